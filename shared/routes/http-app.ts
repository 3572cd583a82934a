// The whole HTTP surface, the same for the local hub (node:http) and Lambda (API Gateway v2).
import type { HubContext } from '../app/context.ts';
import { FeedCache } from '../http/feed-cache.ts';
import { createDomainVerifier } from '../adapters/domain-proof-checker.ts';
import { registerAlertRoutes } from '../web/routes-alerts.ts';
import { registerApiRoutes } from '../http/routes-api.ts';
import { registerHealthRoutes } from '../http/routes-health.ts';
import { registerMemberRoutes } from '../http/routes-members.ts';
import { registerOpmlRoutes } from '../http/routes-opml.ts';
import { registerFeedRoutes } from '../http/routes-feeds.ts';
import { Router } from '../http/router.ts';
import type { HttpRequest, HttpResponse } from '../http/types.ts';
import { loadAllPublications, PublicationIndex } from '../app/publication-index.ts';
import { registerPublicRoutes } from '../web/routes-public.ts';
import { htmlErrors } from '../web/error-pages.ts';
import { createPortalDeps } from '../web/portal-context.ts';
import { registerAdminRoutes } from '../web/routes-admin.ts';
import { registerPortalRoutes } from '../web/routes-portal.ts';
import { secureCookies, withCsrfCookie } from '../web/security.ts';
import { rememberLanguage } from '../web/language-cookie.ts';
import { httpBasics, type RouteGroupOptions } from './route-groups.ts';

/** The same options as each route group of the Lambda functions (route-groups.ts). */
export type HttpAppOptions = RouteGroupOptions;

export interface HttpApp {
  handle(req: HttpRequest): Promise<HttpResponse>;
  cache: FeedCache;
  /** Publications in memory for the web pages and filtered feeds. */
  publications: PublicationIndex;
  /** Publications were stored or changed: drops rendered feeds and reloads the index on next use. */
  publicationsChanged(): void;
}

export function createHttpApp(ctx: HubContext, options: HttpAppOptions): HttpApp {
  const router = new Router(ctx.log);
  const cache = new FeedCache(options.feedCacheSeconds ?? 60);
  const { clock, auth, registration, gate } = httpBasics(ctx, options);
  // Before the API and feed routes: /feeds/directory.opml must win over /feeds/{file}.
  registerOpmlRoutes(router, { ctx, auth, publicUrl: options.publicUrl, registration });
  // Member routes first: /api/members/me must win over /api/members/{id}.
  const verifier = options.domainVerifier ?? createDomainVerifier({ fetcher: ctx.fetcher });
  registerMemberRoutes(router, ctx, auth, verifier);
  registerApiRoutes(router, ctx, auth, registration, options.pollNow);
  registerHealthRoutes(router, ctx, auth);
  if (options.alerts) registerAlertRoutes(router, options.alerts, auth);
  const publications = new PublicationIndex(() => loadAllPublications(ctx.store), { ttlSeconds: 60, clock, log: ctx.log });
  registerFeedRoutes(router, { store: ctx.store, cache, publicUrl: options.publicUrl, maxAgeSeconds: options.feedCacheSeconds ?? 60, now: ctx.now, publications });
  registerPublicRoutes(router, { ctx, publications, publicUrl: options.publicUrl, alerts: options.alerts?.ctx });
  // The member portal and the secretariat's pages (signed-in HTML, after the API).
  const portal = createPortalDeps({ ctx, publicUrl: options.publicUrl, adminToken: options.adminToken, verifier, registration, alerts: options.alerts, pollNow: options.pollNow, publications });
  registerPortalRoutes(router, portal);
  registerAdminRoutes(router, portal);
  const publicationsChanged = () => {
    cache.invalidate();
    publications.invalidate();
  };
  // A page that handed out a new CSRF token sets its cookie (shared/web/security.ts); a browser asking
  // for a page gets errors as the site's HTML page (shared/web/error-pages.ts).
  const secure = secureCookies(options.publicUrl);
  const handle = async (req: HttpRequest) => withCsrfCookie(req, rememberLanguage(req, htmlErrors(req, (await gate(req)) ?? (await router.handle(req))), secure), secure);
  return { handle, cache, publications, publicationsChanged };
}
