// The whole HTTP surface, the same for the local hub (node:http) and Lambda (API Gateway v2).
import type { HubContext } from '../app/context.ts';
import { Authenticator } from './auth.ts';
import { FeedCache } from './feed-cache.ts';
import { createDomainVerifier } from '../adapters/domain-verifier.ts';
import type { DomainVerifier } from '../ports/domain-verifier.ts';
import { registerApiRoutes } from './routes-api.ts';
import { registerHealthRoutes } from './routes-health.ts';
import { registerMemberRoutes } from './routes-members.ts';
import { registerFeedRoutes } from './routes-feeds.ts';
import { Router } from './router.ts';
import type { HttpRequest, HttpResponse } from './types.ts';

export interface HttpAppOptions {
  publicUrl: string;
  adminToken: () => string | undefined;
  /** How long rendered feeds are reused, and what Cache-Control tells readers; seconds. */
  feedCacheSeconds?: number;
  /** How domain proofs are read; by default over the network through the hub's guarded fetcher. */
  domainVerifier?: DomainVerifier;
}

export interface HttpApp {
  handle(req: HttpRequest): Promise<HttpResponse>;
  cache: FeedCache;
}

export function createHttpApp(ctx: HubContext, options: HttpAppOptions): HttpApp {
  const router = new Router(ctx.log);
  const cache = new FeedCache(options.feedCacheSeconds ?? 60);
  const auth = new Authenticator(ctx.store, options.adminToken);
  // Member routes first: /api/members/me must win over /api/members/{id}.
  registerMemberRoutes(router, ctx, auth, options.domainVerifier ?? createDomainVerifier({ fetcher: ctx.fetcher }));
  registerApiRoutes(router, ctx, auth);
  registerHealthRoutes(router, ctx, auth);
  registerFeedRoutes(router, { store: ctx.store, cache, publicUrl: options.publicUrl, maxAgeSeconds: options.feedCacheSeconds ?? 60, now: ctx.now });
  return { handle: (req) => router.handle(req), cache };
}
