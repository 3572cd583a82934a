// The local hub: the runtime, the HTTP server on PORT and the scheduler, in one process.
import type { AddressInfo } from 'node:net';
import type { HubConfig } from '../config.ts';
import type { DomainVerifier } from '../ports/domain-verifier.ts';
import { createHttpApp, type HttpApp } from '../http/app.ts';
import { createNodeServer } from '../http/node-adapter.ts';
import { createLogger, type Logger } from '../log.ts';
import { startLocalRuntime, type LocalRuntime } from './runtime.ts';
import { startScheduler } from './scheduler.ts';
import { startAlertsWorker } from './alerts-worker.ts';

export interface RunningHub {
  url: string;
  runtime: LocalRuntime;
  http: HttpApp;
  stop(): Promise<void>;
}

export async function startHub(config: HubConfig, options: { log?: Logger; scheduler?: boolean; domainVerifier?: DomainVerifier } = {}): Promise<RunningHub> {
  const log = options.log ?? createLogger({ level: config.logLevel });
  const runtime = await startLocalRuntime(config, log);
  const http = createHttpApp(runtime.ctx, { publicUrl: config.publicUrl, adminToken: () => runtime.config.adminToken, domainVerifier: options.domainVerifier, alerts: runtime.alerts.http, limits: config });
  runtime.ctx.onPublicationsChanged = () => http.cache.invalidate();
  const server = createNodeServer(http.handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (err) {
    await runtime.stop();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new Error(`Port ${config.port} on ${config.host} is already in use. Stop what uses it, or set PORT=...`);
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  // The alerts worker (the topic's consumer) starts before the scheduler (its producer) and stops after it.
  const alertsWorker = startAlertsWorker(runtime.alerts, { batchWindowSeconds: config.alertsBatchWindowSeconds, tickSeconds: config.alertsTickSeconds });
  const scheduler = options.scheduler === false ? undefined : startScheduler(runtime.ctx, { tickSeconds: config.pollIntervalSeconds });
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    runtime,
    http,
    stop: () =>
      (stopping ??= (async () => {
        await scheduler?.stop();
        await alertsWorker.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await runtime.stop();
      })()),
  };
}
