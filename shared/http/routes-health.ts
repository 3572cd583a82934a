// Feed health: members and the secretariat see each feed's state and history; anyone sees a summary.
import type { HubContext } from '../app/context.ts';
import { feedView } from '../app/feed-registry.ts';
import { MAX_ITEMS_PER_DOCUMENT } from '../core/item-limit.ts';
import type { Feed, FeedStatus } from '../model.ts';
import type { Authenticator } from './auth.ts';
import type { Router } from './router.ts';
import { json } from './types.ts';

export function feedHealthView(f: Feed) {
  return {
    ...feedView(f),
    pending_reason: f.pendingReason ?? null,
    defaults: f.defaults ?? null,
    errors_since: f.errorsSince ?? null,
    mean_new_item_interval_seconds: f.meanNewItemIntervalSeconds ?? null,
    last_new_item_at: f.lastNewItemAt ?? null,
    conditional_get: f.conditionalSupported ?? false,
    dead_notice_sent_at: f.deadNoticeAt ?? null,
    // The last document held more items than the hub takes from one; only the newest were read.
    items_limited: f.itemsInDocument === undefined ? null : { items_in_document: f.itemsInDocument, items_taken: MAX_ITEMS_PER_DOCUMENT },
    history: (f.history ?? []).map((d) => ({ day: d.day, checks: d.checks, errors: d.errors, new_items: d.newItems, last_status_code: d.lastStatusCode ?? null })),
  };
}

const IN_ERROR: FeedStatus[] = ['error'];

export function registerHealthRoutes(router: Router, ctx: HubContext, auth: Authenticator): void {
  router.on('GET', '/api/health/feeds', async (req) => {
    const caller = await auth.caller(req);
    const feeds = (await ctx.store.listFeeds(caller.admin ? {} : { memberId: caller.memberId })).filter((f) => !f.removed);
    return json(200, { items: feeds.map(feedHealthView) });
  });

  router.on('GET', '/api/status', async () => {
    const [members, feeds] = await Promise.all([ctx.store.listMembers(), ctx.store.listFeeds()]);
    const live = feeds.filter((f) => !f.removed);
    const count = (memberId: string, pick: (f: Feed) => boolean) => live.filter((f) => f.memberId === memberId && pick(f)).length;
    const rows = members
      .filter((m) => m.active)
      .map((m) => ({
        member_id: m.id,
        name: m.acronym ?? m.name,
        feeds_ok: count(m.id, (f) => f.status === 'ok' || f.status === 'not_modified'),
        feeds_in_error: count(m.id, (f) => IN_ERROR.includes(f.status)),
        feeds_dead: count(m.id, (f) => f.status === 'dead'),
        feeds_pending: count(m.id, (f) => f.status === 'pending'),
        feeds_paused: count(m.id, (f) => f.status === 'paused'),
      }));
    const total = (k: keyof (typeof rows)[number]) => rows.reduce((n, r) => n + (r[k] as number), 0);
    return json(
      200,
      { generated_at: ctx.now().toISOString(), members: rows, totals: { feeds_ok: total('feeds_ok'), feeds_in_error: total('feeds_in_error'), feeds_dead: total('feeds_dead'), feeds_pending: total('feeds_pending') } },
      { 'cache-control': 'public, max-age=60' },
    );
  });
}
