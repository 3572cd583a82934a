// Embedded DynamoDB (dynalite 4: LevelDB on disk, or in memory), bound to 127.0.0.1 only.
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { HubError } from '../errors.ts';

export interface EmbeddedDynamo {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

// dynalite ships no type declarations.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: DynaliteOptions) => Server;

const LOCK_FILE = 'hub-dynalite.pid';

export async function startDynalite(options: { dataDir?: string; port?: number } = {}): Promise<EmbeddedDynamo> {
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  const releaseLock = dataDir === undefined ? async () => {} : await lockDataDir(dataDir);
  // Tables become ACTIVE at once: the default 500 ms delays only slow tests and local starts.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(dataDir ? { path: dataDir } : {}) });
  try {
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', fail);
        done();
      });
    });
  } catch (err) {
    await releaseLock();
    throw new HubError('config', 'dynalite_listen_failed', `Could not start the local DynamoDB on 127.0.0.1:${options.port ?? 0}: ${(err as Error).message}`, { cause: err });
  }
  const address = server.address();
  if (!address || typeof address === 'string') throw new HubError('internal', 'dynalite_no_address', 'dynalite did not report a TCP address');
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    // dynalite's close also closes LevelDB, so the folder can be opened again afterwards.
    stop: () =>
      (stopping ??= new Promise<void>((done, fail) => {
        server.close((err) => (err ? fail(err) : done()));
        server.closeIdleConnections();
      }).finally(releaseLock)),
  };
}

/**
 * LevelDB allows one opener per folder, and a second dynalite on the same folder only fails on its
 * first request, taking the process down. A pid file refuses the second start up front; a pid file
 * left by a process that no longer runs (killed) is taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const lockPath = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockPath, String(process.pid), { flag: 'wx' });
      return async () => {
        await unlink(lockPath).catch(() => {});
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
      throw new HubError(
        'config',
        'data_dir_in_use',
        `The data folder ${dataDir} is in use by another hub (process ${holder}${holder === process.pid ? ', this one' : ''}). Stop it, or use another data folder.`,
        { details: { dataDir, pid: holder } },
      );
    }
    await unlink(lockPath).catch(() => {});
  }
  throw new HubError('config', 'data_dir_in_use', `Could not lock the data folder ${dataDir}: another process keeps taking it.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
