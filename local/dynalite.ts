// Embedded DynamoDB (dynalite 4: LevelDB on disk, or in memory), bound to 127.0.0.1 only.
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { HubError } from '../shared/errors.ts';
import { isRunning } from './lock.ts';

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

type WorkerMessage = { type: 'listening'; port: number } | { type: 'error'; message: string } | { type: 'stopped' };

const LOCK_FILE = 'hub-dynalite.pid';

export async function startDynalite(options: { dataDir?: string; port?: number } = {}): Promise<EmbeddedDynamo> {
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  const releaseLock = dataDir === undefined ? async () => {} : await lockDataDir(dataDir);
  // Tables become ACTIVE at once: the default 500 ms delays only slow tests and local starts.
  const dynaliteOptions: DynaliteOptions = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(dataDir ? { path: dataDir } : {}) };
  const worker = new Worker(new URL('./dynalite-worker.mjs', import.meta.url), { workerData: { options: dynaliteOptions, port: options.port ?? 0 } });
  let port: number;
  try {
    port = await new Promise<number>((done, fail) => {
      worker.once('error', fail);
      worker.once('message', (m: WorkerMessage) => (m.type === 'listening' ? done(m.port) : fail(new Error(m.type === 'error' ? m.message : 'unexpected message'))));
    });
  } catch (err) {
    await worker.terminate();
    await releaseLock();
    throw new HubError('config', 'dynalite_listen_failed', `Could not start the local DynamoDB on 127.0.0.1:${options.port ?? 0}: ${(err as Error).message}`, { cause: err });
  }
  // A crash in the worker would otherwise leave the hub running without its database.
  worker.on('error', (err) => {
    process.emitWarning(`The local DynamoDB stopped: ${err.message}`);
  });
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      (stopping ??= new Promise<void>((done) => {
        const timer = setTimeout(() => void worker.terminate().then(() => done()), 5000);
        worker.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        worker.postMessage('stop');
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
