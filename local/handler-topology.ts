// The deployed topology in one process: the eight Lambda handlers (functions/*.ts), loaded with the
// environment the stack gives them (pointed at the embedded emulators), fed the events AWS would feed
// them: the poll-scheduler and the alerts-digest by schedules (local/schedules.ts), the poll-worker
// and the alerts-worker by SQS event source mappings (local/event-sources.ts), and the four HTTP
// functions by API Gateway v2 events routed by the stack's route table (local/api-gateway.ts).
//
// The handlers read their configuration at module load, as Lambda's init does: each topology loads
// its own instances of the modules (an import keyed by instance), with `env` in process.env for the
// time of the imports only.
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { HttpRequest, HttpResponse } from '../shared/http/types.ts';
import type { Logger } from '../shared/log.ts';
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
}

export interface LambdaHandlers {
  http: Record<HttpFunctionName, ApiGatewayHandler>;
  pollScheduler: ScheduledHandler;
  pollWorker: SqsHandler;
  alertsWorker: SqsHandler;
  alertsDigest: ScheduledHandler;
}

export interface LambdaTopology {
  handlers: LambdaHandlers;
  /** A request through API Gateway to the function that serves its path. */
  http(req: HttpRequest): Promise<HttpResponse>;
  startConsumers(): void;
  mappings: EventSourceMapping[];
  schedules: LocalSchedule[];
  /** Stops the schedules and the mappings; resolves once their invocations in progress are done. */
  stop(): Promise<void>;
}

let instances = 0;

/** Imports the handlers with `env` as their environment, as fresh module instances. */
export async function loadHandlers(env: Record<string, string>): Promise<LambdaHandlers> {
  const key = `instance=${(instances += 1)}`;
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(env)) {
    saved.set(k, process.env[k]);
    process.env[k] = v;
  }
  try {
    // A specifier bundlers leave alone: the modules are found at run time, next to this one.
    const load = <T>(name: string) => import(/* @vite-ignore */ `${new URL(`../functions/${name}.ts`, import.meta.url).href}?${key}`) as Promise<T>;
    type Http = { handler: ApiGatewayHandler };
    const [feeds, api, alertsApi, web, scheduler, worker, alertsWorker, digest] = await Promise.all([
      load<Http>('feeds'),
      load<Http>('api'),
      load<Http>('alerts-api'),
      load<Http>('web'),
      load<{ handler: ScheduledHandler }>('poll-scheduler'),
      load<{ handler: SqsHandler }>('poll-worker'),
      load<{ handler: SqsHandler }>('alerts-worker'),
      load<{ handler: ScheduledHandler }>('alerts-digest'),
    ]);
    return {
      http: { feeds: feeds.handler, api: api.handler, 'alerts-api': alertsApi.handler, web: web.handler },
      pollScheduler: scheduler.handler,
      pollWorker: worker.handler,
      alertsWorker: alertsWorker.handler,
      alertsDigest: digest.handler,
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
  });
  const mappings: EventSourceMapping[] = [];
  const schedules: LocalSchedule[] = [];
  let started = false;
  const startConsumers = () => {
    if (started) return;
    started = true;
    const common = { sqs, log, track: options.track };
    // Consumers before producers: the workers take messages before the schedules make any.
    mappings.push(startSqsEventSource({ ...common, queue: pollQueue, functionName: 'poll-worker', handler: handlers.pollWorker, topology: POLL_QUEUE }));
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
  return {
    handlers,
    http: (req) => (options.track ?? ((w) => w))(route(req)),
    startConsumers,
    mappings,
    schedules,
    async stop() {
      // Producers first, then consumers: what the last scheduled run queued is still taken.
      await Promise.all(schedules.map((s) => s.stop()));
      await Promise.all(mappings.map((m) => m.stop()));
    },
  };
}
