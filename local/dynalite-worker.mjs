// Runs dynalite in a worker thread, so the local DynamoDB has a core of its own instead of sharing the
// hub's event loop. Plain JavaScript: worker threads do not go through the TypeScript loader.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const dynalite = createRequire(import.meta.url)('dynalite');
const server = dynalite(workerData.options);
server.once('error', (err) => parentPort.postMessage({ type: 'error', message: err.message }));
server.listen(workerData.port, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }));
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  // dynalite's close also closes LevelDB, so the folder can be opened again afterwards.
  server.close(() => {
    parentPort.postMessage({ type: 'stopped' });
    parentPort.close();
  });
  server.closeIdleConnections();
});
