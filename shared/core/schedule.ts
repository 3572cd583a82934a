// When a feed is polled next. Pure: the caller passes `now`. Jitter comes from the feed id, not from
// randomness, so tests and replays see the same schedule.
import { createHash } from 'node:crypto';

const MAX_BACKOFF_SECONDS = 24 * 3600;

/** 0..1, stable per feed: spreads work that would otherwise fall on every feed at once. */
export function spreadFraction(feedId: string): number {
  return createHash('sha256').update(feedId).digest().readUInt16BE(0) / 0xffff;
}

function addSeconds(now: Date, seconds: number): string {
  return new Date(now.getTime() + Math.round(seconds * 1000)).toISOString();
}

export interface SuccessHints {
  /** What the feed asks for: <ttl>, sy:updatePeriod. */
  minIntervalSeconds?: number;
  /** Cache-Control max-age from the response. */
  maxAgeSeconds?: number;
}

/**
 * After a successful fetch (200 or 304): the regular interval, never faster than the feed asks. No
 * jitter here: the scheduler ticks once per interval, and a feed due a moment after a tick would wait
 * a whole extra interval.
 */
export function nextPollAfterSuccess(now: Date, intervalSeconds: number, hints: SuccessHints = {}): string {
  const asked = Math.min(Math.max(hints.minIntervalSeconds ?? 0, hints.maxAgeSeconds ?? 0), MAX_BACKOFF_SECONDS);
  return addSeconds(now, Math.max(intervalSeconds, asked));
}

/**
 * After a failure: exponential backoff from the regular interval (x2 per consecutive error, capped at a
 * day), and never sooner than a Retry-After the server sent.
 */
export function nextPollAfterError(feedId: string, now: Date, intervalSeconds: number, consecutiveErrors: number, retryAfterSeconds?: number): string {
  const exp = Math.min(intervalSeconds * 2 ** Math.max(0, consecutiveErrors - 1), MAX_BACKOFF_SECONDS);
  const wait = Math.max(exp * (1 + 0.1 * spreadFraction(feedId)), Math.min(retryAfterSeconds ?? 0, 7 * MAX_BACKOFF_SECONDS));
  return addSeconds(now, wait);
}
