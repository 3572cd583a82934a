// Refreshes one feed, in order: lease -> conditional GET -> parse -> normalise -> dedup -> store ->
// announce -> save state (-> tell the member when the feed died or recovered). A failure of the feed
// (network, HTTP, parse) is recorded on the feed and reported in the outcome; it never throws. Store
// failures do throw: the caller logs them and goes on with the other feeds.
import { planIngest } from '../core/dedup.ts';
import { afterFailure, afterSuccess, isRoutineNotModified, type SuccessfulCheck } from '../core/feed-state.ts';
import { applyDefaults } from '../core/health.ts';
import { parseFeed } from '../core/parse.ts';
import { FetchError, toHubError, type HubError } from '../errors.ts';
import type { Feed, NormalisedFeed, PollOutcome } from '../model.ts';
import type { FetchedFeed, FetchResult } from '../ports/fetcher.ts';
import { announceClaimed, claimUntil } from './announce.ts';
import type { HubContext } from './context.ts';
import { sendFeedNotice } from './feed-notices.ts';

const LEASE_SECONDS = 300;

export interface PollOptions {
  /** Poll even when the feed is not due (admin "poll now"). */
  force?: boolean;
}

type Base = Omit<PollOutcome, 'result'>;

export async function pollFeed(ctx: HubContext, feed: Feed, options: PollOptions = {}): Promise<PollOutcome> {
  const started = ctx.now();
  const base: Base = { feedId: feed.id, memberId: feed.memberId, url: feed.url, newCount: 0, updatedCount: 0 };
  if (feed.removed || feed.status === 'paused') return { ...base, result: 'skipped' };
  if (!options.force && feed.nextPollAt > started.toISOString()) return { ...base, result: 'skipped' };
  const leaseUntil = new Date(started.getTime() + LEASE_SECONDS * 1000).toISOString();
  if (!(await ctx.lease.acquire(feed.id, started.toISOString(), leaseUntil))) return { ...base, result: 'skipped' };

  const log = ctx.log.child({ feed_id: feed.id, member_id: feed.memberId, feed_url: feed.url });
  try {
    let fetched: FetchResult | undefined;
    try {
      fetched = await ctx.fetcher.fetch(feed.url, { etag: feed.etag, lastModified: feed.lastModified });
    } catch (err) {
      return await recordFailure(ctx, feed, toHubError(err), base, log);
    }
    if (fetched.status === 304) {
      const now = ctx.now();
      const updated = afterSuccess(feed, now, { statusCode: 304, etag: fetched.etag, lastModified: fetched.lastModified, maxAgeSeconds: fetched.maxAgeSeconds, newItems: 0 }, ctx.pollIntervalSeconds);
      if (!isRoutineNotModified(feed, updated, now, ctx.pollIntervalSeconds)) await saveAndNotify(ctx, feed, updated);
      log.info('feed not modified', { outcome: 'not_modified', status_code: 304 });
      return { ...base, result: 'not_modified' };
    }
    let parsed: NormalisedFeed;
    try {
      parsed = parseFeed({ body: fetched.body, contentType: fetched.contentType, url: feed.url });
    } catch (err) {
      return await recordFailure(ctx, feed, toHubError(err), base, log, 200);
    }
    const served: Served = { etag: fetched.etag, lastModified: fetched.lastModified, maxAgeSeconds: fetched.maxAgeSeconds };
    // The body (up to MAX_FEED_BYTES) is not kept through the store writes and announcements.
    fetched = undefined;
    return await ingest(ctx, feed, served, parsed, base, log);
  } finally {
    await ctx.lease.release(feed.id).catch((err) => log.warn('could not release poll lease', { error: (err as Error).message }));
  }
}

type Served = Pick<FetchedFeed, 'etag' | 'lastModified' | 'maxAgeSeconds'>;

async function ingest(ctx: HubContext, feed: Feed, fetched: Served, parsed: NormalisedFeed, base: Base, log: HubContext['log']): Promise<PollOutcome> {
  const check: SuccessfulCheck = {
    statusCode: 200,
    etag: fetched.etag,
    lastModified: fetched.lastModified,
    maxAgeSeconds: fetched.maxAgeSeconds,
    minIntervalSeconds: parsed.minIntervalSeconds,
    newItems: 0,
    title: parsed.title,
    format: parsed.format,
    itemsInDocument: parsed.itemsInDocument,
  };
  // A pending feed (host not verified) is checked, but nothing of it is published.
  if (feed.pendingReason) {
    await saveAndNotify(ctx, feed, afterSuccess(feed, ctx.now(), check, ctx.pollIntervalSeconds));
    log.info('pending feed checked', { outcome: 'pending', status_code: 200, item_count: parsed.items.length });
    return { ...base, result: 'pending' };
  }

  const now = ctx.now();
  const nowIso = now.toISOString();
  const items = applyDefaults(parsed.items, feed.defaults);
  const ref = { id: feed.id, memberId: feed.memberId };
  const existing = await ctx.store.getPublications(items.map((i) => i.id));
  const plan = planIngest(ref, items, existing, nowIso);

  const { created, existing: raced } = await ctx.store.createPublications(plan.create, claimUntil(now));
  if (raced.length > 0) {
    // Another feed stored the same publication between our read and our write (a joint paper polled
    // at the same moment): treat those as existing and credit this member too.
    const again = await ctx.store.getPublications(raced);
    plan.changes.push(...planIngest(ref, items.filter((i) => raced.includes(i.id)), again, nowIso).changes);
  }
  await ctx.store.applyChanges(plan.changes);
  if (created.length > 0 || plan.changes.length > 0) ctx.onPublicationsChanged?.();

  let announced = 0;
  try {
    announced = await announceClaimed(ctx, created);
  } catch (err) {
    log.warn('announcement failed; will retry on a later cycle', { error: (err as Error).message });
  }

  await saveAndNotify(ctx, feed, afterSuccess(feed, ctx.now(), { ...check, newItems: created.length }, ctx.pollIntervalSeconds));
  const updatedCount = plan.changes.filter((c) => c.content).length;
  log.info('feed polled', {
    outcome: created.length > 0 ? 'new' : 'unchanged',
    status_code: 200,
    item_count: items.length,
    ...(parsed.itemsInDocument !== undefined && { items_in_document: parsed.itemsInDocument }),
    new_count: created.length,
    updated_count: updatedCount,
    credited_count: plan.changes.filter((c) => c.credit).length,
    announced_count: announced,
  });
  return { ...base, result: created.length > 0 ? 'new' : 'unchanged', newCount: created.length, updatedCount };
}

async function recordFailure(ctx: HubContext, feed: Feed, error: HubError, base: Base, log: HubContext['log'], statusCode?: number): Promise<PollOutcome> {
  const now = ctx.now();
  const status = error instanceof FetchError ? error.status : statusCode;
  const lastError = { code: error.code, message: error.message, at: now.toISOString(), ...(status ? { status } : {}) };
  const retryAfter = error instanceof FetchError ? error.retryAfterSeconds : undefined;
  const updated = afterFailure(feed, now, lastError, ctx.pollIntervalSeconds, retryAfter);
  await saveAndNotify(ctx, feed, updated);
  log.warn('feed poll failed', { outcome: updated.status, error_code: error.code, error_message: error.message, status_code: status, consecutive_errors: updated.consecutiveErrors });
  return { ...base, result: 'error', error: lastError };
}

/** Saves the new state; a feed that just died, or came back from the dead, is told to its member once. */
async function saveAndNotify(ctx: HubContext, before: Feed, after: Feed): Promise<void> {
  let next = after;
  if (after.status === 'dead' && !before.deadNoticeAt) {
    if (await sendFeedNotice(ctx, after, 'dead')) next = { ...after, deadNoticeAt: ctx.now().toISOString() };
  } else if (after.status !== 'dead' && after.consecutiveErrors === 0 && before.deadNoticeAt) {
    if (await sendFeedNotice(ctx, after, 'recovered')) next = { ...after, deadNoticeAt: undefined };
  }
  await ctx.store.saveFeed(next);
}
