// The JSON API: members, feeds, polling, publications, health.
import type { HubContext } from '../app/context.ts';
import { feedForCaller, feedView, registerFeed, removeFeed, type RegistrationPolicy } from '../app/feed-registry.ts';
import { pollInProcess, type PollNow } from '../app/poll-now.ts';
import { updateFeed } from '../app/change-feed.ts';
import { feedHealthView } from './routes-health.ts';
import type { CycleSummary, Publication } from '../model.ts';
import type { Authenticator } from './auth.ts';
import { parseLimit } from './params.ts';
import type { Router } from './router.ts';
import { json, readJson } from './types.ts';

export function publicationView(p: Publication) {
  return {
    id: p.id,
    title: p.title,
    link: p.link ?? null,
    summary: p.summary ?? null,
    text: p.text ?? null,
    published: p.published ?? null,
    published_raw: p.publishedRaw ?? null,
    updated: p.updated ?? null,
    authors: p.authors,
    categories: p.categories,
    enclosures: p.enclosures,
    language: p.language ?? null,
    members: p.members,
    first_seen: p.firstSeen,
    // Every feed that carried it has been removed by its member; the publication itself stays.
    from_removed_feed: !!p.removedFeeds?.length && p.feeds.every((f) => p.removedFeeds!.includes(f)),
  };
}

export function summaryView(s: CycleSummary) {
  return {
    feeds_polled: s.feedsPolled,
    not_modified: s.notModified,
    unchanged: s.unchanged,
    pending: s.pending,
    new_publications: s.newPublications,
    updated_publications: s.updatedPublications,
    errors: s.errors,
    announced_recovered: s.announced,
    feeds: s.outcomes
      .filter((o) => o.result !== 'skipped')
      .map((o) => ({ feed_id: o.feedId, member_id: o.memberId, url: o.url, result: o.result, new_count: o.newCount, updated_count: o.updatedCount, error: o.error ?? null })),
  };
}

export function registerApiRoutes(router: Router, ctx: HubContext, auth: Authenticator, registration: RegistrationPolicy = {}, pollNow: PollNow = pollInProcess(ctx)): void {
  router.on('GET', '/healthz', async () => json(200, { status: 'ok', time: ctx.now().toISOString() }));

  router.on('POST', '/api/feeds', async (req) => {
    const { member } = await auth.member(req);
    const { feed, findings } = await registerFeed(ctx, member, readJson(req), registration);
    return json(201, { feed: feedHealthView(feed), found: findings }, { location: `/api/feeds/${feed.id}` });
  });

  router.on('GET', '/api/feeds', async (req) => {
    const caller = await auth.caller(req);
    const feeds = await ctx.store.listFeeds(caller.admin ? {} : { memberId: caller.memberId });
    return json(200, { items: feeds.filter((f) => !f.removed).map(feedView) });
  });

  router.on('GET', '/api/feeds/{id}', async (req, { id }) => {
    const feed = await feedForCaller(ctx, id!, await auth.caller(req));
    return json(200, feedHealthView(feed));
  });

  router.on('PATCH', '/api/feeds/{id}', async (req, { id }) => {
    const feed = await feedForCaller(ctx, id!, await auth.caller(req));
    return json(200, feedHealthView(await updateFeed(ctx, feed, readJson(req))));
  });

  router.on('DELETE', '/api/feeds/{id}', async (req, { id }) => {
    const feed = await feedForCaller(ctx, id!, await auth.caller(req));
    await removeFeed(ctx, feed);
    return { status: 204, headers: {}, body: '' };
  });

  // Polled here: the cycle's summary. Queued for the poll workers (AWS): 202 at once.
  router.on('POST', '/api/poll', async (req) => {
    await auth.admin(req);
    const result = await pollNow(() => {});
    if (result.summary) return json(200, summaryView(result.summary));
    return json(202, {
      queued: result.queued ?? 0,
      failed: (result.failed ?? []).map((f) => ({ feed_id: f.feedId, error: f.error })),
      note: 'Every feed is queued for polling now; see GET /api/feeds for each feed\'s outcome in a minute or two.',
    });
  });

  router.on('GET', '/api/publications', async (req) => {
    const limit = parseLimit(req.query.get('limit'), 50, 500);
    const member = req.query.get('member') || undefined;
    const cursor = req.query.get('cursor') || undefined;
    const page = await ctx.store.listPublications({ memberId: member, limit, cursor });
    return json(200, { items: page.items.map(publicationView), next_cursor: page.cursor ?? null }, { 'cache-control': 'public, max-age=60' });
  });
}
