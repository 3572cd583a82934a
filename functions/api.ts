// API Gateway HTTP API -> this function: the JSON API of members and the secretariat (members, feed
// registration and settings, approval, polling, health, OPML, publications, status; see
// shared/routes/route-groups.ts, apiGroup). Its routes, and the feed parser they reach, are loaded by
// the first request. "Poll now" (POST /api/poll) is carried out as the web pages' is (pollNow): every
// feed is queued for the poll workers and the answer is 202 at once, instead of polling them all
// inside one API request (which API Gateway cuts at 30 s).
import { createHttpFunction, withBearer } from '../lambda/http-function.ts';
import { createLambdaRuntime } from '../lambda/lambda-context.ts';
import { queuedPollNow } from '../lambda/queued-poll-now.ts';
import { apiGroup } from '../shared/routes/route-groups.ts';
import type { DomainVerifier } from '../shared/ports/domain-verifier.ts';
import type { FeedFetcher } from '../shared/ports/fetcher.ts';

const runtime = createLambdaRuntime({ needs: { adminToken: true, pollQueue: true } });
const pollNow = queuedPollNow(runtime);

// Every one of these reaches the feed parser (shared/app/feed-registry.ts): loaded by the first request.
async function loadRoutes() {
  const [opml, members, api, health, verifier] = await Promise.all([
    import('../shared/http/routes-opml.ts'),
    import('../shared/http/routes-members.ts'),
    import('../shared/http/routes-api.ts'),
    import('../shared/http/routes-health.ts'),
    import('../shared/adapters/domain-proof-checker.ts'),
  ]);
  return { opml, members, api, health, verifier };
}

/** Local hub only (local/handler-topology.ts): a domain verifier in place of the real one (set before the first request). */
export const local: { domainVerifier?: DomainVerifier } = {};

/** Local hub only (local/handler-topology.ts): a feed fetcher in place of the real one (tests: names resolved from a table). */
export function useFetcher(fetcher: FeedFetcher): void {
  runtime.ctx.fetcher = fetcher;
}

export const handler = createHttpFunction(
  runtime,
  (adminToken) => apiGroup(runtime.ctx, { publicUrl: runtime.config.publicUrl, adminToken, limits: runtime.config, pollNow, get domainVerifier() {
      return local.domainVerifier;
    } }, loadRoutes).handle,
  { needsAdminToken: withBearer },
);
