// The deployed topology in one process: the eight Lambda handlers (functions/*.ts), loaded with the
// environment the stack gives them (pointed at the embedded emulators), fed the events AWS would feed
// them: the poll-scheduler and the alerts-digest by schedules (local/schedules.ts), the poll-worker
// and the alerts-worker by SQS event source mappings (local/event-sources.ts), and the four HTTP
// functions by API Gateway v2 events routed by the stack's route table (local/api-gateway.ts).
//
// The handlers read their configuration at module load, as Lambda's init does: each topology loads
// its own instances of the modules (an import keyed by instance), with `env` in process.env for the
// time of the imports only.
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { HttpRequest, HttpResponse } from '../shared/http/types.ts';
import type { Logger } from '../shared/log.ts';
import type { DomainVerifier } from '../shared/ports/domain-verifier.ts';
import type { FeedFetcher } from '../shared/ports/fetcher.ts';
import { MailHealth } from '../shared/alerts/context.ts';
import type { CycleSummary, PollOutcome } from '../shared/model.ts';
import { summarise } from '../shared/app/poll-cycle.ts';
import { ALERTS_QUEUE, DIGEST_RATE_MINUTES, POLL_QUEUE, type HttpFunctionName } from '../shared/topology.ts';
import { apiGatewayRouter, type ApiGatewayHandler } from './api-gateway.ts';
import { startSqsEventSource, type EventSourceMapping, type HubQueue, type SqsHandler } from './event-sources.ts';
import { startSchedule, type LocalSchedule, type ScheduledHandler } from './schedules.ts';

export interface LambdaTopologyOptions {
  /**
   * The functions' environment: TABLE_NAME, AWS_REGION, DYNAMODB_ENDPOINT, SNS_ENDPOINT, SQS_ENDPOINT,
   * TOPIC_ARN, PUBLIC_URL, ADMIN_TOKEN and TOKEN_SECRET (in place of the secrets), SMTP_URL or
   * OUTBOX_DIR, and any hub setting. The queue URLs are added from `pollQueue` and `alertsQueue`.
   */
  env: Record<string, string>;
  sqs: SQSClient;
  pollQueue: HubQueue;
  alertsQueue: HubQueue;
  /** The poll schedule's rate (POLL_INTERVAL). */
  pollEverySeconds: number;
  /** The digest schedule's rate; default as in the stack. */
  digestEverySeconds?: number;
  /** Delay before the first scheduled runs; default one second. */
  firstRunMs?: number;
  /** Start the schedules and the queue consumers now (default); else call `startConsumers()`. */
  consumers?: boolean;
  /** Run the schedules (default); false leaves polling to "poll now" (tests). */
  schedules?: boolean;
  /** The alerts mapping's batching window; default as in the stack (20 s). */
  alertsBatchWindowSeconds?: number;
  log: Logger;
  track?: <T>(work: Promise<T>) => Promise<T>;
  /** In place of the api and web functions' domain verifier (tests: the proof read from loopback). */
  domainVerifier?: DomainVerifier;
}

export interface LambdaHandlers {
  http: Record<HttpFunctionName, ApiGatewayHandler>;
  pollScheduler: ScheduledHandler;
  pollWorker: SqsHandler;
  alertsWorker: SqsHandler;
  alertsDigest: ScheduledHandler;
  /** The feeds and web functions' in-memory caches are dropped (a poll in this process stored publications). */
  publicationsChanged(): void;
  /** The api, web and poll-worker functions fetch feeds with `fetcher` from now on (tests). */
  useFetcher(fetcher: FeedFetcher): void;
  /** Each poll-worker batch's outcomes (local only). */
  onPollOutcomes(listener: (outcomes: PollOutcome[]) => void): () => void;
}

export interface LambdaTopology {
  handlers: LambdaHandlers;
  /** A request through API Gateway to the function that serves its path. */
  http(req: HttpRequest): Promise<HttpResponse>;
  startConsumers(): void;
  mappings: EventSourceMapping[];
  schedules: LocalSchedule[];
  /**
   * Resolves once the poll queue is empty and no poll-worker invocation is in progress (with `alerts`,
   * the alerts queue and worker too): what was queued, by "poll now" or a schedule, has been handled.
   */
  whenIdle(options?: { alerts?: boolean }): Promise<void>;
  /**
   * "Poll every feed now" as the secretariat asks for it (POST /api/poll through API Gateway, queued for
   * the poll workers), then waits until the workers are done: the cycle's summary, as the in-process
   * topology answers it. Rejects when the API did not queue the poll.
   */
  pollAndWait(adminToken: string): Promise<CycleSummary>;
  /** Stops the schedules and the mappings; resolves once their invocations in progress are done. */
  stop(): Promise<void>;
}

let instances = 0;

/** Imports the handlers with `env` as their environment, as fresh module instances. */
export async function loadHandlers(env: Record<string, string>, overrides: { domainVerifier?: DomainVerifier } = {}): Promise<LambdaHandlers> {
  const key = `instance=${(instances += 1)}`;
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(env)) {
    saved.set(k, process.env[k]);
    process.env[k] = v;
  }
  try {
    // A specifier bundlers leave alone: the modules are found at run time, next to this one.
    const load = <T>(name: string) => import(/* @vite-ignore */ `${new URL(`../functions/${name}.ts`, import.meta.url).href}?${key}`) as Promise<T>;
    type Http = { handler: ApiGatewayHandler; useFetcher?: (fetcher: FeedFetcher) => void; publicationsChanged?: () => void; local?: { domainVerifier?: DomainVerifier }; shareMailHealth?: (health: MailHealth) => void };
    const [feeds, api, alertsApi, web, scheduler, worker, alertsWorker, digest] = await Promise.all([
      load<Http>('feeds'),
      load<Http>('api'),
      load<Http>('alerts-api'),
      load<Http>('web'),
      load<{ handler: ScheduledHandler }>('poll-scheduler'),
      load<{ handler: SqsHandler; onPollOutcomes: LambdaHandlers['onPollOutcomes']; useFetcher: (fetcher: FeedFetcher) => void }>('poll-worker'),
      load<{ handler: SqsHandler; shareMailHealth: (health: MailHealth) => void }>('alerts-worker'),
      load<{ handler: ScheduledHandler; shareMailHealth: (health: MailHealth) => void }>('alerts-digest'),
    ]);
    // One process: the status the alerts API shows is the mail service as the worker and the digest found it.
    const health = new MailHealth();
    for (const fn of [alertsApi, web, alertsWorker, digest]) fn.shareMailHealth?.(health);
    if (overrides.domainVerifier) for (const fn of [api, web]) fn.local!.domainVerifier = overrides.domainVerifier;
    return {
      http: { feeds: feeds.handler, api: api.handler, 'alerts-api': alertsApi.handler, web: web.handler },
      pollScheduler: scheduler.handler,
      pollWorker: worker.handler,
      alertsWorker: alertsWorker.handler,
      alertsDigest: digest.handler,
      onPollOutcomes: worker.onPollOutcomes,
      useFetcher: (fetcher) => {
        for (const fn of [api, web, worker]) fn.useFetcher?.(fetcher);
      },
      publicationsChanged: () => {
        feeds.publicationsChanged?.();
        web.publicationsChanged?.();
      },
    };
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export async function startLambdaTopology(options: LambdaTopologyOptions): Promise<LambdaTopology> {
  const { sqs, pollQueue, alertsQueue, log } = options;
  const region = options.env.AWS_REGION ?? 'us-east-1';
  const handlers = await loadHandlers({
    // EMF metrics and traces have nowhere to go locally.
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_SERVICE_NAME: 'icat-hub-local',
    POWERTOOLS_METRICS_NAMESPACE: 'IcatHubLocal',
    ...options.env,
    POLL_QUEUE_URL: pollQueue.url,
    ALERTS_QUEUE_URL: alertsQueue.url,
    ALERTS_DLQ_URL: alertsQueue.deadLetterUrl,
  }, { domainVerifier: options.domainVerifier });
  const mappings: EventSourceMapping[] = [];
  const mappingNames: string[] = ['poll-worker', 'alerts-worker'];
  const schedules: LocalSchedule[] = [];
  let started = false;
  const startConsumers = () => {
    if (started) return;
    started = true;
    const common = { sqs, log, track: options.track };
    // Consumers before producers: the workers take messages before the schedules make any.
    // The poll worker shares this process with the feeds and web functions: what it stores is seen at once
    // (in AWS their caches bound the staleness to a minute).
    const pollWorker: SqsHandler = async (event, context) => {
      try {
        return await handlers.pollWorker(event, context);
      } finally {
        handlers.publicationsChanged();
      }
    };
    mappings.push(startSqsEventSource({ ...common, queue: pollQueue, functionName: 'poll-worker', handler: pollWorker, topology: POLL_QUEUE }));
    mappings.push(
      startSqsEventSource({
        ...common,
        queue: alertsQueue,
        functionName: 'alerts-worker',
        handler: handlers.alertsWorker,
        topology: { ...ALERTS_QUEUE, maxBatchingWindowSeconds: options.alertsBatchWindowSeconds ?? ALERTS_QUEUE.maxBatchingWindowSeconds },
      }),
    );
    if (options.schedules === false) return;
    schedules.push(
      startSchedule({ ...common, name: 'poll', functionName: 'poll-scheduler', handler: handlers.pollScheduler, everySeconds: options.pollEverySeconds, firstRunMs: options.firstRunMs, retryAttempts: 2, functionTimeoutSeconds: 120, region }),
    );
    schedules.push(
      startSchedule({ ...common, name: 'alerts-digest', functionName: 'alerts-digest', handler: handlers.alertsDigest, everySeconds: options.digestEverySeconds ?? DIGEST_RATE_MINUTES * 60, firstRunMs: options.firstRunMs, functionTimeoutSeconds: 300, region }),
    );
  };
  if (options.consumers !== false) startConsumers();
  const route = apiGatewayRouter((fn) => handlers.http[fn], { region });
  const queued = async (url: string) => {
    const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }));
    const a = out.Attributes ?? {};
    return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(a.ApproximateNumberOfMessagesDelayed ?? 0);
  };
  const whenIdle = async (idleOptions: { alerts?: boolean } = {}) => {
    const watched = [{ url: pollQueue.url, fn: 'poll-worker' }, ...(idleOptions.alerts ? [{ url: alertsQueue.url, fn: 'alerts-worker' }] : [])];
    // Twice idle in a row: a batch handed over between the two reads is not missed.
    for (let idle = 0; idle < 2; ) {
      const busy = mappings.some((m, i) => m.inFlight > 0 && watched.some((w) => w.fn === mappingNames[i])) || (await Promise.all(watched.map((w) => queued(w.url)))).some((n) => n > 0);
      idle = busy ? 0 : idle + 1;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return {
    handlers,
    http: (req) => (options.track ?? ((w) => w))(route(req)),
    startConsumers,
    whenIdle,
    async pollAndWait(adminToken) {
      // What was queued before is not this poll's.
      await whenIdle();
      const outcomes: PollOutcome[] = [];
      const unsubscribe = handlers.onPollOutcomes((o) => outcomes.push(...o));
      try {
        const res = await route({ method: 'POST', path: '/api/poll', query: new URLSearchParams(), headers: { authorization: `Bearer ${adminToken}`, host: 'localhost' } } as HttpRequest);
        if (res.status !== 202) throw new Error(`POST /api/poll answered ${res.status}: ${typeof res.body === 'string' ? res.body : ''}`);
        await whenIdle();
      } finally {
        unsubscribe();
      }
      return summarise(outcomes, 0);
    },
    mappings,
    schedules,
    async stop() {
      // Producers first, then consumers: what the last scheduled run queued is still taken.
      await Promise.all(schedules.map((s) => s.stop()));
      await Promise.all(mappings.map((m) => m.stop()));
    },
  };
}
