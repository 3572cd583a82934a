// The deployed topology as data, read by the CDK stack (infra/) and by the local hub (local/) alike:
// which HTTP paths API Gateway sends to which function, and the settings of the queues and event
// source mappings between the functions. Plain data: no CDK, no SDK.

/** Paths (any method) API Gateway routes to each function; the most specific route wins, `$default` goes to `web`. */
export const HTTP_ROUTES: Record<'feeds' | 'api' | 'alerts-api', string[]> = {
  // The merged feeds; /feeds/directory.opml and /feeds/sources.opml (exact routes, which win over the greedy one) are the API's.
  feeds: ['/feeds/{proxy+}'],
  api: [
    '/api/members', '/api/members/{proxy+}', '/api/feeds', '/api/feeds/{proxy+}', '/api/feeds.opml', '/api/poll',
    '/api/publications', '/api/health/{proxy+}', '/api/status', '/healthz', '/feeds/directory.opml', '/feeds/sources.opml',
  ],
  'alerts-api': ['/api/subscriptions', '/subscriptions/{proxy+}', '/unsubscribe', '/api/outbox', '/api/alerts/{proxy+}', '/api/subscribers/{proxy+}'],
};

export type HttpFunctionName = keyof typeof HTTP_ROUTES | 'web';

export interface RouteMatch {
  fn: HttpFunctionName;
  /** API Gateway's routeKey: `ANY /path` of the route matched, or `$default`. */
  routeKey: string;
  /** The `proxy` path parameter of a greedy route. */
  proxy?: string;
}

/** The function API Gateway invokes for a request path: an exact route first, then the greedy route with the longest prefix, then `$default` (the web pages). */
export function matchRoute(path: string): RouteMatch {
  const routes = Object.entries(HTTP_ROUTES).flatMap(([fn, paths]) => paths.map((p) => ({ fn: fn as HttpFunctionName, p })));
  const exact = routes.find((r) => !r.p.includes('{') && r.p === path);
  if (exact) return { fn: exact.fn, routeKey: `ANY ${exact.p}` };
  const greedy = routes
    .filter((r) => r.p.endsWith('/{proxy+}') && path.startsWith(r.p.slice(0, -'{proxy+}'.length)) && path.length > r.p.length - '{proxy+}'.length)
    .sort((a, b) => b.p.length - a.p.length)[0];
  if (greedy) return { fn: greedy.fn, routeKey: `ANY ${greedy.p}`, proxy: path.slice(greedy.p.length - '{proxy+}'.length) };
  return { fn: 'web', routeKey: '$default' };
}

/** A queue, its dead-letter queue, and the event source mapping of the function that consumes it. */
export interface QueueTopology {
  /** Seconds a received message stays hidden before it is offered again. */
  visibilityTimeoutSeconds: number;
  /** Receives after which the message goes to the dead-letter queue. */
  maxReceiveCount: number;
  retentionSeconds: number;
  /** Event source mapping: records per invocation, how long to gather them, concurrent invocations. */
  batchSize: number;
  maxBatchingWindowSeconds: number;
  maxConcurrency: number;
  /** The consuming function's timeout. */
  functionTimeoutSeconds: number;
}

/** Poll worker: a batch of ten feeds, at most two at once per host, each fetch capped at 20 s. */
const POLL_WORKER_TIMEOUT = 120;
export const POLL_QUEUE: QueueTopology = {
  // Lambda's guidance: visibility at least six times the consumer's timeout.
  visibilityTimeoutSeconds: POLL_WORKER_TIMEOUT * 6,
  maxReceiveCount: 3,
  // Stale poll messages are useless after a few hours (the next cycle queues the feed again).
  retentionSeconds: 6 * 3600,
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  // Concurrent worker runs: bounds the load on members' servers and on the table, whatever the backlog.
  maxConcurrency: 5,
  functionTimeoutSeconds: POLL_WORKER_TIMEOUT,
};

/** Alerts worker: a batch of up to 100 announcements gathered for 20 s, so a member's burst is matched as one. */
const ALERTS_WORKER_TIMEOUT = 300;
const ALERTS_WINDOW = 20;
export const ALERTS_QUEUE: QueueTopology = {
  // Six times the worker's timeout plus the batching window (Lambda's guidance).
  visibilityTimeoutSeconds: ALERTS_WORKER_TIMEOUT * 6 + ALERTS_WINDOW,
  maxReceiveCount: 5,
  retentionSeconds: 4 * 86400,
  batchSize: 100,
  maxBatchingWindowSeconds: ALERTS_WINDOW,
  maxConcurrency: 2,
  functionTimeoutSeconds: ALERTS_WORKER_TIMEOUT,
};

/** The alerts-digest function's schedule: held bursts and due digests are mailed every five minutes. */
export const DIGEST_RATE_MINUTES = 5;
