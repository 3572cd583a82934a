// Refreshes one feed, in order: lease -> conditional GET -> parse -> normalise -> dedup -> store ->
// announce -> save state. A failure of the feed (network, HTTP, parse) is recorded on the feed and
// reported in the outcome; it never throws. Store failures do throw: the caller logs and goes on.
import { parseFeed } from '../core/parse.ts';
import { planIngest } from '../core/dedup.ts';
import { nextPollAfterError, nextPollAfterSuccess, spreadFraction } from '../core/schedule.ts';
import { FetchError, HubError, toHubError } from '../errors.ts';
import type { Feed, PollOutcome, Publication } from '../model.ts';
import type { FetchedFeed } from '../ports/fetcher.ts';
import { announceClaimed, claimUntil } from './announce.ts';
import type { HubContext } from './context.ts';

const LEASE_SECONDS = 300;
/** How stale `lastFetchAt` may get before a routine 304 is written anyway: 3 to 6 hours, spread by feed. */
export const ROUTINE_WRITE_SECONDS = 6 * 3600;

/**
 * A 304 that changes nothing but timestamps is not written: the feed stays due, so the next tick (one
 * poll interval later) polls it again, which is its schedule anyway. Most polls of most feeds are such
 * 304s, so this removes most writes (at 10,000 feeds polled every 15 minutes, about 29 million
 * DynamoDB writes a month). `lastFetchAt` is still refreshed every 3 to 6 hours (spread by feed, so
 * that feeds registered together do not all write in the same cycle).
 */
export function isRoutineNotModified(feed: Feed, fetched: { etag?: string; lastModified?: string }, next: string, now: Date, intervalSeconds: number): boolean {
  const sameValidators = (fetched.etag ?? feed.etag) === feed.etag && (fetched.lastModified ?? feed.lastModified) === feed.lastModified;
  const regularInterval = Date.parse(next) - now.getTime() <= intervalSeconds * 1000;
  const refreshAfter = ROUTINE_WRITE_SECONDS * 1000 * (0.5 + 0.5 * spreadFraction(feed.id));
  const recentlyRecorded = !!feed.lastFetchAt && now.getTime() - Date.parse(feed.lastFetchAt) < refreshAfter;
  return feed.status === 'not_modified' && feed.consecutiveErrors === 0 && feed.lastStatusCode === 304 && sameValidators && regularInterval && recentlyRecorded;
}

export interface PollOptions {
  /** Poll even when the feed is not due (admin "poll now"). */
  force?: boolean;
}

export async function pollFeed(ctx: HubContext, feed: Feed, options: PollOptions = {}): Promise<PollOutcome> {
  const started = ctx.now();
  const base: Omit<PollOutcome, 'result'> = { feedId: feed.id, memberId: feed.memberId, url: feed.url, newCount: 0, updatedCount: 0 };
  if (feed.removed || feed.status === 'paused') return { ...base, result: 'skipped' };
  if (!options.force && feed.nextPollAt > started.toISOString()) return { ...base, result: 'skipped' };
  const leaseUntil = new Date(started.getTime() + LEASE_SECONDS * 1000).toISOString();
  if (!(await ctx.lease.acquire(feed.id, started.toISOString(), leaseUntil))) return { ...base, result: 'skipped' };

  const log = ctx.log.child({ feed_id: feed.id, member_id: feed.memberId, feed_url: feed.url });
  try {
    let fetched;
    try {
      fetched = await ctx.fetcher.fetch(feed.url, { etag: feed.etag, lastModified: feed.lastModified });
    } catch (err) {
      return await recordFailure(ctx, feed, toHubError(err), base, log);
    }
    const now = ctx.now();
    if (fetched.status === 304) {
      const next = nextPollAfterSuccess(now, ctx.pollIntervalSeconds, { minIntervalSeconds: feed.minIntervalSeconds, maxAgeSeconds: fetched.maxAgeSeconds });
      if (!isRoutineNotModified(feed, fetched, next, now, ctx.pollIntervalSeconds)) {
        await ctx.store.saveFeed({
          ...feed,
          status: 'not_modified',
          etag: fetched.etag ?? feed.etag,
          lastModified: fetched.lastModified ?? feed.lastModified,
          lastFetchAt: now.toISOString(),
          lastSuccessAt: now.toISOString(),
          lastStatusCode: 304,
          consecutiveErrors: 0,
          nextPollAt: next,
        });
      }
      log.info('feed not modified', { outcome: 'not_modified', status_code: 304 });
      return { ...base, result: 'not_modified' };
    }
    return await ingest(ctx, feed, fetched, base, log);
  } finally {
    await ctx.lease.release(feed.id).catch((err) => log.warn('could not release poll lease', { error: (err as Error).message }));
  }
}

async function ingest(ctx: HubContext, feed: Feed, fetched: FetchedFeed, base: Omit<PollOutcome, 'result'>, log: HubContext['log']): Promise<PollOutcome> {
  let parsed;
  try {
    parsed = parseFeed({ body: fetched.body, contentType: fetched.contentType, url: feed.url });
  } catch (err) {
    return recordFailure(ctx, feed, toHubError(err), base, log, 200);
  }
  const now = ctx.now();
  const nowIso = now.toISOString();
  const ref = { id: feed.id, memberId: feed.memberId };
  const existing = await ctx.store.getPublications(parsed.items.map((i) => i.id));
  const plan = planIngest(ref, parsed.items, existing, nowIso);

  const { created, existing: raced } = await ctx.store.createPublications(plan.create, claimUntil(now));
  if (raced.length > 0) {
    // Another feed stored the same publication between our read and our write (a joint paper polled
    // at the same moment): treat those as existing and credit this member too.
    const again = await ctx.store.getPublications(raced);
    const racedItems = parsed.items.filter((i) => raced.includes(i.id));
    plan.changes.push(...planIngest(ref, racedItems, again, nowIso).changes);
  }
  await ctx.store.applyChanges(plan.changes);
  if (created.length > 0 || plan.changes.length > 0) ctx.onPublicationsChanged?.();

  let announced = 0;
  try {
    announced = await announceClaimed(ctx, created as Publication[]);
  } catch (err) {
    log.warn('announcement failed; will retry on a later cycle', { error: (err as Error).message });
  }

  await ctx.store.saveFeed({
    ...feed,
    title: feed.title ?? parsed.title,
    format: parsed.format,
    status: 'ok',
    etag: fetched.etag,
    lastModified: fetched.lastModified,
    lastFetchAt: nowIso,
    lastSuccessAt: nowIso,
    lastStatusCode: 200,
    consecutiveErrors: 0,
    minIntervalSeconds: parsed.minIntervalSeconds,
    itemsSeen: feed.itemsSeen + created.length,
    nextPollAt: nextPollAfterSuccess(now, ctx.pollIntervalSeconds, { minIntervalSeconds: parsed.minIntervalSeconds, maxAgeSeconds: fetched.maxAgeSeconds }),
  });
  const updatedCount = plan.changes.filter((c) => c.content).length;
  log.info('feed polled', {
    outcome: created.length > 0 ? 'new' : 'unchanged',
    status_code: 200,
    item_count: parsed.items.length,
    new_count: created.length,
    updated_count: updatedCount,
    credited_count: plan.changes.filter((c) => c.credit).length,
    announced_count: announced,
  });
  return { ...base, result: created.length > 0 ? 'new' : 'unchanged', newCount: created.length, updatedCount };
}

async function recordFailure(
  ctx: HubContext,
  feed: Feed,
  error: HubError,
  base: Omit<PollOutcome, 'result'>,
  log: HubContext['log'],
  statusCode?: number,
): Promise<PollOutcome> {
  const now = ctx.now();
  const consecutiveErrors = feed.consecutiveErrors + 1;
  const status = error instanceof FetchError ? error.status : statusCode;
  const lastError = { code: error.code, message: error.message, at: now.toISOString(), ...(status ? { status } : {}) };
  const retryAfter = error instanceof FetchError ? error.retryAfterSeconds : undefined;
  await ctx.store.saveFeed({
    ...feed,
    status: 'error',
    lastFetchAt: now.toISOString(),
    lastStatusCode: status,
    consecutiveErrors,
    lastError,
    nextPollAt: nextPollAfterError(feed.id, now, ctx.pollIntervalSeconds, consecutiveErrors, retryAfter),
  });
  log.warn('feed poll failed', { outcome: 'error', error_code: error.code, error_message: error.message, status_code: status, consecutive_errors: consecutiveErrors });
  return { ...base, result: 'error', error: lastError };
}
