// One hub per data folder: dynalite's LevelDB cannot be shared, and a second process would crash on
// its first request. The lock file holds the owner's pid; a lock left by a dead process is taken over.
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../shared/errors.ts';

/** True when a process with this pid runs (EPERM: it exists but belongs to someone else). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDataDirLock(dataDir: string): () => void {
  const path = join(dataDir, 'hub.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) {
        throw new ConfigError([
          `Another hub (process ${pid}) is already using the data folder ${dataDir}. Stop it first, or give this one its own folder with DATA_DIR=...`,
        ]);
      }
      rmSync(path, { force: true });
    }
  }
  throw new ConfigError([`Could not lock the data folder ${dataDir} (${path}).`]);
}
