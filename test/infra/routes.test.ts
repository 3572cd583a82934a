// API Gateway sends every route of each route group to the function that serves that group: the
// routes are read from the groups themselves (built as the functions build them, every section
// loaded), and matched against the stack's routes (infra/http-functions.ts, HTTP_ROUTES) the way
// API Gateway matches: an exact route first, then the greedy route with the longest prefix, then
// $default (the web pages).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HTTP_ROUTES } from '../../infra/http-functions.ts';
import { matchRoute } from '../../shared/topology.ts';
import * as verifier from '../../shared/adapters/domain-proof-checker.ts';
import type { HubContext } from '../../shared/app/context.ts';
import type { AlertsContext } from '../../shared/alerts/context.ts';
import { FeedCache } from '../../shared/http/feed-cache.ts';
import { alertsGroup, apiGroup, feedsGroup, webGroup, type RouteGroup } from '../../shared/routes/route-groups.ts';
import { Router } from '../../shared/http/router.ts';
import * as alerts from '../../shared/web/routes-alerts.ts';
import * as api from '../../shared/http/routes-api.ts';
import * as feeds from '../../shared/http/routes-feeds.ts';
import * as health from '../../shared/http/routes-health.ts';
import * as members from '../../shared/http/routes-members.ts';
import * as opml from '../../shared/http/routes-opml.ts';
import type { HttpRequest } from '../../shared/http/types.ts';
import { createLogger } from '../../shared/log.ts';
import { PublicationIndex } from '../../shared/app/publication-index.ts';

/** The function API Gateway invokes for a request path (the matcher the local hub routes with). */
const target = (path: string): string => matchRoute(path).fn;

const recorded: { router: Router; method: string; path: string }[] = [];
const on = Router.prototype.on;
beforeEach(() => {
  recorded.length = 0;
  vi.spyOn(Router.prototype, 'on').mockImplementation(function (this: Router, method: string, path: string, handler) {
    recorded.push({ router: this, method, path });
    return on.call(this, method, path, handler);
  });
});
afterEach(() => vi.restoreAllMocks());

const log = createLogger({ level: 'error' });
const ctx = { log, now: () => new Date(), store: {}, fetcher: {} } as unknown as HubContext;
const alertsCtx = { log, now: () => new Date(), tokens: { addressId: async () => 'x' } } as unknown as AlertsContext;
const options = { publicUrl: 'https://hub.example.org', adminToken: () => undefined, limits: { publicRateLimit: 0 }, alerts: { ctx: alertsCtx } };
const index = new PublicationIndex(async () => [], { ttlSeconds: 60 });

/** Every route of a group, each section loaded by a request under its prefix. */
async function routesOf(group: RouteGroup, probes: string[]): Promise<string[]> {
  for (const path of probes) await group.handle({ method: 'GET', path, headers: {}, query: new URLSearchParams(), sourceIp: '127.0.0.1' } as HttpRequest);
  return recorded.map((r) => r.path);
}
const concrete = (pattern: string) => pattern.replace(/\{\w+\}/g, 'x1');

describe('HTTP API routes', () => {
  const groups: Record<string, () => Promise<string[]>> = {
    feeds: () => routesOf(feedsGroup(ctx, options, { cache: new FeedCache(60), publications: index }, { feeds }), ['/probe']),
    api: () => routesOf(apiGroup(ctx, options, async () => ({ opml, members, api, health, verifier })), ['/probe']),
    'alerts-api': () => routesOf(alertsGroup(ctx, options, { alerts }), ['/probe']),
    web: async () => {
      const [pages, security, errors, language, portalContext, portal, admin] = await Promise.all([
        import('../../shared/web/routes-public.ts'),
        import('../../shared/web/security.ts'),
        import('../../shared/web/error-pages.ts'),
        import('../../shared/web/language-cookie.ts'),
        import('../../shared/web/portal-context.ts'),
        import('../../shared/web/routes-portal.ts'),
        import('../../shared/web/routes-admin.ts'),
      ]);
      return routesOf(webGroup(ctx, options, index, { pages, security, errors, language }, { portalContext, portal, admin, verifier }), ['/probe', '/portal/probe']);
    },
  };

  for (const [fn, load] of Object.entries(groups)) {
    it(`sends every route of the ${fn} group to the ${fn} function`, async () => {
      const paths = await load();
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) expect(target(concrete(path)), path).toBe(fn);
      // And no route of the stack sends the function a path it does not serve.
      for (const route of HTTP_ROUTES[fn as keyof typeof HTTP_ROUTES] ?? []) {
        const prefix = route.replace('{proxy+}', '');
        expect(paths.some((p) => (route.endsWith('{proxy+}') ? p.startsWith(prefix) : p === route)), route).toBe(true);
      }
    });
  }

  it('matches as API Gateway does: exact, then the longest greedy prefix, then $default', () => {
    expect(target('/feeds/directory.opml')).toBe('api');
    expect(target('/feeds/all.rss')).toBe('feeds');
    expect(target('/api/alerts/status')).toBe('alerts-api');
    expect(target('/api/feeds/f1/approve')).toBe('api');
    expect(target('/api/feedsx')).toBe('web');
    expect(target('/')).toBe('web');
  });
});
