// The local hub: the runtime, the HTTP server on PORT and the scheduler, in one process.
import type { AddressInfo } from 'node:net';
import type { HubConfig } from '../config.ts';
import type { DomainVerifier } from '../ports/domain-verifier.ts';
import { createHttpApp, type HttpApp } from '../http/app.ts';
import { createNodeServer } from '../http/node-adapter.ts';
import { htmlErrors } from '../web/error-pages.ts';
import { json, type HttpRequest, type HttpResponse } from '../http/types.ts';
import { createLogger, type Logger } from '../log.ts';
import { startLocalRuntime, type LocalRuntime } from './runtime.ts';
import { startScheduler } from './scheduler.ts';
import { startAlertsWorker } from './alerts-worker.ts';
import { requeueRecentAnnouncements } from './alerts-catch-up.ts';

export interface RunningHub {
  /** Where the hub listens. */
  url: string;
  /** The base of the links it writes (PUBLIC_URL, or http://localhost:<port> by default). */
  publicUrl: string;
  runtime: LocalRuntime;
  http: HttpApp;
  stop(): Promise<void>;
}

export async function startHub(config: HubConfig, options: { log?: Logger; scheduler?: boolean; domainVerifier?: DomainVerifier } = {}): Promise<RunningHub> {
  const log = options.log ?? createLogger({ level: config.logLevel });
  // Listen first: with PORT=0 the real port is known only then, and the default PUBLIC_URL uses it.
  let handle: (req: HttpRequest) => Promise<HttpResponse> = async () => json(503, { error: { code: 'starting', message: 'The hub is starting; try again in a moment.' } }, { 'retry-after': '1' });
  const server = createNodeServer((req) => handle(req), { present: htmlErrors });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new Error(`Port ${config.port} on ${config.host} is already in use. Stop what uses it, or set PORT=...`);
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const effective: HubConfig = config.publicUrlExplicit || config.port !== 0 ? config : { ...config, publicUrl: `http://localhost:${port}` };
  let runtime: LocalRuntime;
  try {
    runtime = await startLocalRuntime(effective, log);
  } catch (err) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw err;
  }
  const http = createHttpApp(runtime.ctx, { publicUrl: effective.publicUrl, adminToken: () => runtime.config.adminToken, domainVerifier: options.domainVerifier, alerts: runtime.alerts.http, limits: config });
  runtime.ctx.onPublicationsChanged = () => http.publicationsChanged();
  handle = http.handle;
  // The alerts worker (the topic's consumer) starts before the scheduler (its producer) and stops after it.
  const alertsWorker = startAlertsWorker(runtime.alerts, { batchWindowSeconds: config.alertsBatchWindowSeconds, tickSeconds: config.alertsTickSeconds });
  requeueRecentAnnouncements(runtime.alerts, runtime.ctx.store, runtime.ctx.now()).then(
    (n) => n > 0 && log.info('recent announcements queued again for alerts', { publication_count: n }),
    (err) => log.warn('could not queue recent announcements for alerts', { error: (err as Error).message }),
  );
  const scheduler = options.scheduler === false ? undefined : startScheduler(runtime.ctx, { tickSeconds: config.pollIntervalSeconds });
  let stopping: Promise<void> | undefined;
  return {
    publicUrl: effective.publicUrl,
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
