// How a feed's stored state changes after a check. Pure: the poller passes `now` and what happened.
import type { Feed, FeedError, FeedStatus } from '../model.ts';
import { DEAD_POLL_SECONDS, adaptiveInterval, hasCheckToday, isDead, nextMeanInterval, recordCheck } from './health.ts';
import { nextPollAfterError, nextPollAfterSuccess, spreadFraction } from './schedule.ts';

/** How stale `lastFetchAt` may get before a routine 304 is written anyway: 3 to 6 hours, spread by feed. */
export const ROUTINE_WRITE_SECONDS = 6 * 3600;

export interface SuccessfulCheck {
  statusCode: 200 | 304;
  etag?: string;
  lastModified?: string;
  maxAgeSeconds?: number;
  /** From the feed (200 only): <ttl>, sy:updatePeriod. */
  minIntervalSeconds?: number;
  newItems: number;
  title?: string;
  format?: Feed['format'];
  /** From the feed (200 only): its item count, when above the hub's limit for one document. */
  itemsInDocument?: number;
}

/** A feed that was checked successfully is ok (or not modified), unless it still awaits approval. */
function healthyStatus(feed: Feed, statusCode: 200 | 304): FeedStatus {
  if (feed.pendingReason) return 'pending';
  return statusCode === 304 ? 'not_modified' : 'ok';
}

export function afterSuccess(feed: Feed, now: Date, check: SuccessfulCheck, intervalSeconds: number): Feed {
  const iso = now.toISOString();
  const minIntervalSeconds = check.statusCode === 200 ? check.minIntervalSeconds : feed.minIntervalSeconds;
  const meanNewItemIntervalSeconds = nextMeanInterval(feed, now, check.newItems);
  const interval = adaptiveInterval(intervalSeconds, meanNewItemIntervalSeconds);
  const next: Feed = {
    ...feed,
    status: healthyStatus(feed, check.statusCode),
    etag: check.statusCode === 304 ? (check.etag ?? feed.etag) : check.etag,
    lastModified: check.statusCode === 304 ? (check.lastModified ?? feed.lastModified) : check.lastModified,
    lastFetchAt: iso,
    lastSuccessAt: iso,
    lastStatusCode: check.statusCode,
    consecutiveErrors: 0,
    errorsSince: undefined,
    minIntervalSeconds,
    itemsSeen: feed.itemsSeen + check.newItems,
    meanNewItemIntervalSeconds,
    lastNewItemAt: check.newItems > 0 ? iso : feed.lastNewItemAt,
    conditionalSupported: feed.conditionalSupported || !!(check.etag || check.lastModified),
    history: recordCheck(feed.history, now, { error: false, newItems: check.newItems, statusCode: check.statusCode }),
    nextPollAt: nextPollAfterSuccess(now, interval, { minIntervalSeconds, maxAgeSeconds: check.maxAgeSeconds }),
    // A 304 says the document is the one read last time: what was said of it still holds.
    itemsInDocument: check.statusCode === 304 ? feed.itemsInDocument : check.itemsInDocument,
  };
  if (check.title && !feed.title) next.title = check.title;
  if (check.format) next.format = check.format;
  return next;
}

export function afterFailure(feed: Feed, now: Date, error: FeedError, intervalSeconds: number, retryAfterSeconds?: number): Feed {
  const consecutiveErrors = feed.consecutiveErrors + 1;
  const errorsSince = feed.errorsSince ?? now.toISOString();
  const dead = isDead(consecutiveErrors, errorsSince, now);
  return {
    ...feed,
    status: dead ? 'dead' : 'error',
    lastFetchAt: now.toISOString(),
    lastStatusCode: error.status,
    consecutiveErrors,
    errorsSince,
    lastError: error,
    history: recordCheck(feed.history, now, { error: true, newItems: 0, statusCode: error.status }),
    nextPollAt: dead
      ? new Date(now.getTime() + Math.max(DEAD_POLL_SECONDS, retryAfterSeconds ?? 0) * 1000).toISOString()
      : nextPollAfterError(feed.id, now, intervalSeconds, consecutiveErrors, retryAfterSeconds),
  };
}

/**
 * A 304 that changes nothing but timestamps is not written: the feed stays due, so the next tick (one
 * poll interval later) polls it again, which is its schedule anyway. Most polls of most feeds are such
 * 304s, so this removes most writes (at 10,000 feeds polled every 15 minutes, about 29 million
 * DynamoDB writes a month). Each day still gets one recorded check in the history, and `lastFetchAt`
 * is refreshed every 3 to 6 hours (spread by feed, so feeds registered together do not all write at once).
 */
export function isRoutineNotModified(feed: Feed, updated: Feed, now: Date, intervalSeconds: number): boolean {
  const sameValidators = updated.etag === feed.etag && updated.lastModified === feed.lastModified;
  const regularInterval = Date.parse(updated.nextPollAt) - now.getTime() <= intervalSeconds * 1000;
  const refreshAfter = ROUTINE_WRITE_SECONDS * 1000 * (0.5 + 0.5 * spreadFraction(feed.id));
  const recentlyRecorded = !!feed.lastFetchAt && now.getTime() - Date.parse(feed.lastFetchAt) < refreshAfter;
  return (
    feed.status === 'not_modified' &&
    updated.status === 'not_modified' &&
    feed.consecutiveErrors === 0 &&
    !feed.deadNoticeAt &&
    sameValidators &&
    regularInterval &&
    recentlyRecorded &&
    hasCheckToday(feed.history, now)
  );
}
