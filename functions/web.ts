// API Gateway HTTP API ($default: every path no other function serves) -> this function: the web
// pages (shared/routes/route-groups.ts, webGroup). The public pages (latest publications, member
// directory, alert sign-up, assets, language switch) load with the function; the member portal and the
// secretariat's pages (/portal, /admin), which register feeds and poll and so reach the feed parser,
// load with the first request for one of them.
import { createLambdaAlerts } from '../lambda/alerts-context.ts';
import { createHttpFunction } from '../lambda/http-function.ts';
import { createLambdaRuntime } from '../lambda/lambda-context.ts';
import { queuedPollNow } from '../lambda/queued-poll-now.ts';
import { bearer } from '../shared/http/auth.ts';
import { webGroup } from '../shared/routes/route-groups.ts';
import type { HttpRequest } from '../shared/http/types.ts';
import { loadAllPublications, PublicationIndex } from '../shared/app/publication-index.ts';
import * as pages from '../shared/web/routes-public.ts';
import * as security from '../shared/web/security.ts';
import * as errors from '../shared/web/error-pages.ts';
import * as language from '../shared/web/language-cookie.ts';
import type { DomainVerifier } from '../shared/ports/domain-verifier.ts';
import type { MailHealth } from '../shared/alerts/context.ts';
import type { FeedFetcher } from '../shared/ports/fetcher.ts';

const runtime = createLambdaRuntime({ needs: { adminToken: true, pollQueue: true, mail: true } });
const { ctx, config } = runtime;
// The secretariat's "poll every feed now" queues the feeds for the poll workers, as POST /api/poll does.
const pollNow = queuedPollNow(runtime);
const alerts = createLambdaAlerts(runtime);
/** Local hub only (local/handler-topology.ts): the functions of one process see the mail service as one. */
export function shareMailHealth(health: MailHealth): void {
  alerts.health = health;
}
const publications = new PublicationIndex(() => loadAllPublications(ctx.store), { ttlSeconds: 60, clock: () => ctx.now().getTime(), log: ctx.log });

/** Local hub only (local/handler-topology.ts): a poll in the same process stored publications. */
export function publicationsChanged(): void {
  publications.invalidate();
}

async function loadSignedInPages() {
  const [portalContext, portal, admin, verifier] = await Promise.all([
    import('../shared/web/portal-context.ts'),
    import('../shared/web/routes-portal.ts'),
    import('../shared/web/routes-admin.ts'),
    import('../shared/adapters/domain-proof-checker.ts'),
  ]);
  return { portalContext, portal, admin, verifier };
}

// The secretariat signs in with the admin token, and a session is checked against it on any signed-in
// page; public pages never wait for Secrets Manager.
const signedIn = (req: HttpRequest) => ['/admin', '/portal'].some((p) => req.path === p || req.path.startsWith(`${p}/`)) || bearer(req) !== undefined;

/** Local hub only (local/handler-topology.ts): a domain verifier in place of the real one (set before the first request). */
export const local: { domainVerifier?: DomainVerifier } = {};

/** Local hub only (local/handler-topology.ts): a feed fetcher in place of the real one (tests: names resolved from a table). */
export function useFetcher(fetcher: FeedFetcher): void {
  ctx.fetcher = fetcher;
}

export const handler = createHttpFunction(
  runtime,
  (adminToken) => webGroup(ctx, { publicUrl: config.publicUrl, adminToken, limits: config, alerts: { ctx: alerts, outbox: runtime.outbox }, pollNow, get domainVerifier() {
      return local.domainVerifier;
    } }, publications, { pages, security, errors, language }, loadSignedInPages).handle,
  { needsAdminToken: signedIn, present: errors.htmlErrors },
);
