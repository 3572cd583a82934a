// The HTTP surface in groups, one per Lambda function behind the HTTP API (infra/http-front.ts sends each
// path to its group's function), so that a function bundles only the code of its own routes. Each
// group is built from the same register*Routes functions, authenticator, limits and public gate as
// shared/routes/http-app.ts, in the same order, so the local hub can compose the very same groups.
//
// The route modules are handed in by the caller rather than imported here, so that each caller
// chooses what it loads when: a function imports its group's modules statically (loaded at init) or
// with `import()` (loaded by the first request that needs them), and never bundles another group's.
import type { HubContext } from '../app/context.ts';
import type { RegistrationPolicy } from '../app/feed-registry.ts';
import type { DomainVerifier } from '../ports/domain-verifier.ts';
import type { PublicationIndex } from '../app/publication-index.ts';
import { Authenticator } from '../http/auth.ts';
import type { FeedCache } from '../http/feed-cache.ts';
import { createPublicGate, DEFAULT_HTTP_LIMITS, RateLimiter, type HttpLimits } from '../http/rate-limit.ts';
import type { AlertsHttp } from '../web/routes-alerts.ts';
import { Router } from '../http/router.ts';
import type { HttpRequest, HttpResponse } from '../http/types.ts';
import type { PollNow } from '../app/poll-now.ts';

/** The options of createHttpApp (shared/routes/http-app.ts), for one group. */
export interface RouteGroupOptions {
  publicUrl: string;
  adminToken: () => string | undefined;
  /** How long rendered feeds are reused, and what Cache-Control tells readers; seconds. */
  feedCacheSeconds?: number;
  /** How domain proofs are read; by default over the network through the hub's guarded fetcher. */
  domainVerifier?: DomainVerifier;
  /** E-mail alerts: their routes, the subscribe form of the web pages, the keys of web sessions. */
  alerts?: AlertsHttp;
  limits?: Partial<HttpLimits>;
  /** How the secretariat's "poll every feed now" runs, from the API and its page alike (default: in the request's process). */
  pollNow?: PollNow;
}

export interface RouteGroup {
  handle(req: HttpRequest): Promise<HttpResponse>;
}

/** What the routes of a group share, built once per group as app.ts builds it once. */
export interface GroupDeps {
  ctx: HubContext;
  options: RouteGroupOptions;
  router: Router;
  auth: Authenticator;
  registration: RegistrationPolicy & { maxFeedsPerMember: number };
}

export interface Section {
  /** Paths served (the prefix itself and everything below it); absent: every other path. */
  prefixes?: string[];
  /** Registers the routes; runs with the first request for one of them, once (a failed load is retried). */
  register: (deps: GroupDeps) => void | Promise<void>;
}

/** Modules, or a function that loads them (with `import()`) when first needed. */
export type Modules<T> = T | (() => Promise<T>);
const resolve = async <T>(m: Modules<T>): Promise<T> => (typeof m === 'function' ? (m as () => Promise<T>)() : m);

/**
 * What every HTTP surface (the local hub's whole app, each Lambda route group) builds once: who is
 * calling, the registration budget per member, and the per-address gate for unauthenticated requests.
 */
export function httpBasics(ctx: HubContext, options: RouteGroupOptions) {
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  const clock = () => ctx.now().getTime();
  const auth = new Authenticator(ctx.store, options.adminToken);
  const registration = { maxFeedsPerMember: limits.maxFeedsPerMember, budget: new RateLimiter({ limit: limits.registrationsPerHour, windowSeconds: 3600, now: clock }) };
  const gate = createPublicGate({ perMinute: limits.publicRateLimit, trustProxy: limits.trustProxy, now: clock, authenticated: (req) => auth.caller(req).then(() => true, () => false) });
  return { clock, auth, registration, gate };
}

/** A group's request handler: the public rate-limit gate, then the router of the section the path belongs to. */
export function createRouteGroup(ctx: HubContext, options: RouteGroupOptions, sections: Section[], wrap?: (req: HttpRequest, res: HttpResponse) => HttpResponse): RouteGroup {
  const { auth, registration, gate } = httpBasics(ctx, options);
  const routers = sections.map((section) => {
    const router = new Router(ctx.log);
    let ready: Promise<void> | undefined;
    const load = () =>
      (ready ??= Promise.resolve(section.register({ ctx, options, router, auth, registration })).catch((err: unknown) => {
        ready = undefined;
        throw err;
      }));
    return { prefixes: section.prefixes, router, load };
  });
  const within = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  const sectionOf = (path: string) => routers.find((r) => r.prefixes?.some((p) => within(path, p))) ?? routers.find((r) => !r.prefixes);
  const nowhere = new Router(ctx.log);
  return {
    async handle(req) {
      let res = await gate(req);
      if (!res) {
        const section = sectionOf(req.path);
        await section?.load();
        res = await (section?.router ?? nowhere).handle(req);
      }
      return wrap ? wrap(req, res) : res;
    },
  };
}

export interface FeedsModules {
  feeds: Pick<typeof import('../http/routes-feeds.ts'), 'registerFeedRoutes'>;
}

/** The merged feeds (GET /feeds/all.*, /feeds/members/*): the store and the renderer only. */
export function feedsGroup(ctx: HubContext, options: RouteGroupOptions, state: { cache: FeedCache; publications: PublicationIndex }, modules: Modules<FeedsModules>): RouteGroup {
  const register = async ({ router }: GroupDeps) => {
    const { feeds } = await resolve(modules);
    feeds.registerFeedRoutes(router, { store: ctx.store, cache: state.cache, publicUrl: options.publicUrl, maxAgeSeconds: options.feedCacheSeconds ?? 60, now: ctx.now, publications: state.publications });
  };
  return createRouteGroup(ctx, options, [{ register }]);
}

export interface ApiModules {
  opml: Pick<typeof import('../http/routes-opml.ts'), 'registerOpmlRoutes'>;
  members: Pick<typeof import('../http/routes-members.ts'), 'registerMemberRoutes'>;
  api: Pick<typeof import('../http/routes-api.ts'), 'registerApiRoutes'>;
  health: Pick<typeof import('../http/routes-health.ts'), 'registerHealthRoutes'>;
  verifier: Pick<typeof import('../adapters/domain-proof-checker.ts'), 'createDomainVerifier'>;
}

/** The JSON API of members and the secretariat: OPML (with GET /feeds/directory.opml), members, feeds, polling, publications, health, status, GET /healthz. */
export function registerApiGroup({ ctx, options, router, auth, registration }: GroupDeps, m: ApiModules): void {
  // Before the feed routes: /feeds/directory.opml must win over /feeds/{file}.
  m.opml.registerOpmlRoutes(router, { ctx, auth, publicUrl: options.publicUrl, registration });
  // Member routes first: /api/members/me must win over /api/members/{id}.
  m.members.registerMemberRoutes(router, ctx, auth, options.domainVerifier ?? m.verifier.createDomainVerifier({ fetcher: ctx.fetcher }));
  m.api.registerApiRoutes(router, ctx, auth, registration, options.pollNow);
  m.health.registerHealthRoutes(router, ctx, auth);
}

export function apiGroup(ctx: HubContext, options: RouteGroupOptions, modules: Modules<ApiModules>): RouteGroup {
  return createRouteGroup(ctx, options, [{ register: async (deps) => registerApiGroup(deps, await resolve(modules)) }]);
}

export interface AlertsModules {
  alerts: Pick<typeof import('../web/routes-alerts.ts'), 'registerAlertRoutes'>;
}

/** E-mail alerts: the subscription API, the pages behind the links in mails, the admin's views. */
export function alertsGroup(ctx: HubContext, options: RouteGroupOptions & { alerts: AlertsHttp }, modules: Modules<AlertsModules>): RouteGroup {
  return createRouteGroup(ctx, options, [{ register: async ({ router, auth }) => (await resolve(modules)).alerts.registerAlertRoutes(router, options.alerts, auth) }]);
}

export interface PublicPageModules {
  pages: Pick<typeof import('../web/routes-public.ts'), 'registerPublicRoutes'>;
  security: Pick<typeof import('../web/security.ts'), 'secureCookies' | 'withCsrfCookie'>;
  errors: Pick<typeof import('../web/error-pages.ts'), 'htmlErrors'>;
  language: Pick<typeof import('../web/language-cookie.ts'), 'rememberLanguage'>;
}

export interface SignedInPageModules {
  portalContext: Pick<typeof import('../web/portal-context.ts'), 'createPortalDeps'>;
  portal: Pick<typeof import('../web/routes-portal.ts'), 'registerPortalRoutes'>;
  admin: Pick<typeof import('../web/routes-admin.ts'), 'registerAdminRoutes'>;
  verifier: Pick<typeof import('../adapters/domain-proof-checker.ts'), 'createDomainVerifier'>;
}

/** The web pages: the public ones, and the member portal and the secretariat's pages (/portal, /admin). */
export function webGroup(ctx: HubContext, options: RouteGroupOptions, publications: PublicationIndex, open: PublicPageModules, signedIn: Modules<SignedInPageModules>): RouteGroup {
  const secure = open.security.secureCookies(options.publicUrl);
  const signedInPages: Section = {
    prefixes: ['/portal', '/admin'],
    async register({ router, registration }) {
      const m = await resolve(signedIn);
      const verifier = options.domainVerifier ?? m.verifier.createDomainVerifier({ fetcher: ctx.fetcher });
      const deps = m.portalContext.createPortalDeps({ ctx, publicUrl: options.publicUrl, adminToken: options.adminToken, verifier, registration, alerts: options.alerts, pollNow: options.pollNow, publications });
      m.portal.registerPortalRoutes(router, deps);
      m.admin.registerAdminRoutes(router, deps);
    },
  };
  const publicPages: Section = { register: ({ router }) => open.pages.registerPublicRoutes(router, { ctx, publications, publicUrl: options.publicUrl, alerts: options.alerts?.ctx }) };
  // A page that handed out a new CSRF token sets its cookie (shared/web/security.ts); errors reach a browser as pages.
  return createRouteGroup(ctx, options, [signedInPages, publicPages], (req, res) => open.security.withCsrfCookie(req, open.language.rememberLanguage(req, open.errors.htmlErrors(req, res), secure), secure));
}
