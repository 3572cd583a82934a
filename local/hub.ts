// The local hub: the runtime, the HTTP server on PORT and the scheduler, in one process.
import type { AddressInfo } from 'node:net';
import type { HubConfig } from '../shared/config.ts';
import type { DomainVerifier } from '../shared/ports/domain-verifier.ts';
import { runPollCycle } from '../shared/app/poll-cycle.ts';
import { createHttpApp, type HttpApp } from '../shared/routes/http-app.ts';
import { createNodeServer } from '../shared/http/node-adapter.ts';
import { htmlErrors } from '../shared/web/error-pages.ts';
import { json, type HttpRequest, type HttpResponse } from '../shared/http/types.ts';
import { createLogger, type Logger } from '../shared/log.ts';
import { startLocalRuntime, type LocalRuntime } from './runtime.ts';
import { startScheduler } from './scheduler.ts';
import { WorkTracker } from './work-tracker.ts';
import { startAlertsWorker } from './alerts-queue-worker.ts';
import { requeueRecentAnnouncements } from './alerts-catch-up.ts';
import { startHubTopology } from './hub-topology.ts';
import type { LambdaTopology } from './handler-topology.ts';
import type { CycleSummary } from '../shared/model.ts';
import type { FeedFetcher } from '../shared/ports/fetcher.ts';

export interface RunningHub {
  /** Where the hub listens. */
  url: string;
  /** The base of the links it writes (PUBLIC_URL, or http://localhost:<port> by default). */
  publicUrl: string;
  runtime: LocalRuntime;
  http: HttpApp;
  /** The Lambda handlers and what feeds them, in the 'lambda' topology. */
  topology?: LambdaTopology;
  /**
   * "Poll every feed now" through POST /api/poll, as the secretariat asks for it, and its summary once
   * every feed has been polled: in the 'lambda' topology the API queues the feeds (202) and this waits
   * until the poll workers have taken them all (the CLI's `icat-hub poll`, the tests).
   */
  pollAndWait(): Promise<CycleSummary>;
  /** Publications were written straight to the store (tests): every cache of them, the functions' included, is dropped. */
  publicationsChanged(): void;
  /** Feeds are fetched with `fetcher` from now on, by the runtime and, in the 'lambda' topology, by the functions (tests). */
  useFetcher(fetcher: FeedFetcher): void;
  /** Resolves once no queued poll (with `alerts`, no queued announcement) is waiting or in progress; at once in the 'in-process' topology. */
  whenIdle(options?: { alerts?: boolean }): Promise<void>;
  /**
   * Stops in order: takes no more work (HTTP answers 503, no new poll), lets the work in progress
   * finish within `graceMs` (default SHUTDOWN_GRACE), stops the alerts worker, closes the HTTP
   * server, then the runtime (alerts drained, then SNS/SQS, then DynamoDB). Resolves with how many
   * tasks were still running when the grace period ran out (0 on a clean stop).
   */
  stop(options?: { graceMs?: number }): Promise<StopReport>;
}

export interface HubOptions {
  log?: Logger;
  /** Poll on POLL_INTERVAL (default); false: only when asked (tests). */
  scheduler?: boolean;
  domainVerifier?: DomainVerifier;
  /**
   * 'in-process' (default): the HTTP app, the poll cycle and the alerts worker run as functions of this
   * process. 'lambda': the Lambda handlers run, fed by schedules, SQS event source mappings and API
   * Gateway v2 events (local/handler-topology.ts; docs/local-runtime.md).
   */
  topology?: 'in-process' | 'lambda';
  /** The environment the configuration was read from: the functions' environment in the 'lambda' topology. Default process.env. */
  env?: Record<string, string | undefined>;
}

export interface StopReport {
  abandoned: number;
}

export async function startHub(config: HubConfig, options: HubOptions = {}): Promise<RunningHub> {
  const log = options.log ?? createLogger({ level: config.logLevel });
  // Listen first: with PORT=0 the real port is known only then, and the default PUBLIC_URL uses it.
  let handle: (req: HttpRequest) => Promise<HttpResponse> = async () => json(503, { error: { code: 'starting', message: 'The hub is starting; try again in a moment.' } }, { 'retry-after': '1' });
  // Requests in progress (a poll asked for over the API, a registration) finish before the database stops.
  const work = new WorkTracker();
  const server = createNodeServer((req) =>
    work.accepting ? work.track(handle(req)) : Promise.resolve(json(503, { error: { code: 'stopping', message: 'The hub is stopping.' } }, { connection: 'close' })),
    { present: htmlErrors },
  );
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
  const ctx = runtime.ctx;
  let lastSummary: CycleSummary | undefined;
  const http = createHttpApp(ctx, {
    publicUrl: effective.publicUrl,
    adminToken: () => runtime.config.adminToken,
    domainVerifier: options.domainVerifier,
    alerts: runtime.alerts.http,
    limits: config,
    // The web pages' "poll every feed now" runs past its request: followed too.
    pollNow: async (onProgress) => {
      const summary = await work.track(runPollCycle(ctx, { force: true, onProgress }));
      lastSummary = summary;
      return { summary };
    },
  });
  runtime.ctx.onPublicationsChanged = () => http.publicationsChanged();
  let topology: LambdaTopology | undefined;
  if (options.topology === 'lambda') {
    try {
      topology = await startHubTopology(runtime, effective, { env: options.env ?? process.env, log, schedules: options.scheduler !== false, track: (w) => work.track(w), domainVerifier: options.domainVerifier });
    } catch (err) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.stop();
      throw err;
    }
    handle = topology.http;
  } else {
    handle = http.handle;
  }
  // The alerts worker (the topic's consumer) starts before the scheduler (its producer) and stops after it.
  const alertsWorker = topology ? undefined : startAlertsWorker(runtime.alerts, { batchWindowSeconds: config.alertsBatchWindowSeconds, tickSeconds: config.alertsTickSeconds });
  void work.track(
    requeueRecentAnnouncements(runtime.alerts, runtime.ctx.store, runtime.ctx.now()).then(
      (n) => n > 0 && log.info('recent announcements queued again for alerts', { publication_count: n }),
      (err) => log.warn('could not queue recent announcements for alerts', { error: (err as Error).message }),
    ),
  );
  const scheduler = options.scheduler === false || topology ? undefined : startScheduler(runtime.ctx, { tickSeconds: config.pollIntervalSeconds, track: (w) => work.track(w) });
  let stopping: Promise<StopReport> | undefined;
  return {
    publicUrl: effective.publicUrl,
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    runtime,
    http,
    topology,
    pollAndWait: async () => {
      if (topology) return topology.pollAndWait(runtime.config.adminToken);
      lastSummary = undefined;
      const res = await handle({ method: 'POST', path: '/api/poll', query: new URLSearchParams(), headers: { authorization: `Bearer ${runtime.config.adminToken}`, host: 'localhost' } });
      if (res.status !== 200 || !lastSummary) throw new Error(`POST /api/poll answered ${res.status}`);
      return lastSummary;
    },
    publicationsChanged: () => {
      http.publicationsChanged();
      topology?.handlers.publicationsChanged();
    },
    useFetcher: (fetcher) => {
      runtime.ctx.fetcher = fetcher;
      topology?.handlers.useFetcher(fetcher);
    },
    whenIdle: async (idleOptions) => {
      await topology?.whenIdle(idleOptions);
    },
    stop: (stopOptions = {}) =>
      (stopping ??= (async () => {
        const graceMs = stopOptions.graceMs ?? config.shutdownGraceSeconds * 1000;
        // 1. No new work: no new connections, no new poll cycle, 503 for requests on open connections.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // (The handler topology: its schedules, then its queue consumers, each finishing what it has started.)
        const schedulerStopped = Promise.all([scheduler?.stop(), topology?.stop()]);
        // 2. The work in progress finishes, within the grace period.
        const abandoned = await work.close(graceMs);
        if (abandoned > 0) log.warn('stopping with work in progress: the grace period ran out', { task_count: abandoned, grace_seconds: graceMs / 1000 });
        else await schedulerStopped;
        // 3. Alerts: the worker stops taking messages; the runtime mails what is left (runtime.stop).
        await alertsWorker?.stop();
        server.closeAllConnections();
        await closed;
        // 4. The emulators, last.
        await runtime.stop();
        return { abandoned };
      })()),
  };
}
