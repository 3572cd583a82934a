import { describe, expect, it } from 'vitest';
import { afterFailure, afterSuccess, isRoutineNotModified } from '../../shared/core/feed-state.ts';
import { adaptiveInterval, applyDefaults, isDead, nextMeanInterval, recordCheck } from '../../shared/core/health.ts';
import type { Feed, NormalisedItem } from '../../shared/model.ts';

const t0 = new Date('2026-11-10T12:00:00Z');
const feed = (over: Partial<Feed> = {}): Feed => ({
  id: 'f1', memberId: 'unodc', url: 'https://unodc.example/feed.xml', status: 'ok', createdAt: t0.toISOString(),
  consecutiveErrors: 0, nextPollAt: t0.toISOString(), itemsSeen: 0, ...over,
});
const err = (at: Date, status?: number) => ({ code: 'http_status', message: 'The server answered 404 Not Found.', at: at.toISOString(), ...(status ? { status } : {}) });
const hours = (h: number) => new Date(t0.getTime() + h * 3_600_000);

describe('feed state after a check', () => {
  it('goes dead after five failures in a row, polled daily from then on', () => {
    let f = feed();
    for (let i = 1; i <= 4; i += 1) {
      f = afterFailure(f, hours(i), err(hours(i), 404), 900);
      expect(f.status).toBe('error');
      expect(f.consecutiveErrors).toBe(i);
    }
    f = afterFailure(f, hours(5), err(hours(5), 404), 900);
    expect(f.status).toBe('dead');
    expect(Date.parse(f.nextPollAt) - hours(5).getTime()).toBe(24 * 3_600_000);
    expect(f.errorsSince).toBe(hours(1).toISOString());
    expect(f.history).toEqual([{ day: '2026-11-10', checks: 5, errors: 5, newItems: 0, lastStatusCode: 404 }]);
  });

  it('goes dead after seven days of errors even with few attempts', () => {
    let f = afterFailure(feed(), t0, err(t0), 900);
    f = afterFailure(f, new Date(t0.getTime() + 7 * 86_400_000), err(t0), 900);
    expect(f.consecutiveErrors).toBe(2);
    expect(f.status).toBe('dead');
    expect(isDead(1, undefined, t0)).toBe(false);
  });

  it('recovers fully on success and keeps a pending feed pending', () => {
    const broken = afterFailure(feed({ consecutiveErrors: 6, errorsSince: t0.toISOString(), status: 'dead' }), t0, err(t0), 900);
    const ok = afterSuccess(broken, hours(1), { statusCode: 200, etag: '"a"', newItems: 2 }, 900);
    expect(ok).toMatchObject({ status: 'ok', consecutiveErrors: 0, lastStatusCode: 200, itemsSeen: 2, conditionalSupported: true });
    expect(ok.errorsSince).toBeUndefined();
    const pending = afterSuccess(feed({ status: 'pending', pendingReason: 'not verified' }), t0, { statusCode: 200, newItems: 0 }, 900);
    expect(pending.status).toBe('pending');
  });

  it('skips writing a routine 304, but records one check a day and refreshes within 3-6 hours', () => {
    const seen = afterSuccess(feed({ status: 'not_modified', lastStatusCode: 304, etag: '"a"' }), t0, { statusCode: 304, etag: '"a"', newItems: 0 }, 900);
    const later = hours(0.25);
    expect(isRoutineNotModified(seen, afterSuccess(seen, later, { statusCode: 304, etag: '"a"', newItems: 0 }, 900), later, 900)).toBe(true);
    // A new ETag, a new day, or a stale lastFetchAt is written.
    expect(isRoutineNotModified(seen, afterSuccess(seen, later, { statusCode: 304, etag: '"b"', newItems: 0 }, 900), later, 900)).toBe(false);
    const tomorrow = new Date('2026-11-11T00:05:00Z');
    expect(isRoutineNotModified(seen, afterSuccess(seen, tomorrow, { statusCode: 304, etag: '"a"', newItems: 0 }, 900), tomorrow, 900)).toBe(false);
    const stale = hours(6.1);
    expect(isRoutineNotModified(seen, afterSuccess(seen, stale, { statusCode: 304, etag: '"a"', newItems: 0 }, 900), stale, 900)).toBe(false);
  });
});

describe('health rules', () => {
  it('keeps 30 days of history', () => {
    let h = recordCheck(undefined, t0, { error: false, newItems: 1, statusCode: 200 });
    for (let d = 1; d <= 40; d += 1) h = recordCheck(h, new Date(t0.getTime() + d * 86_400_000), { error: d % 2 === 0, newItems: 0 });
    expect(h).toHaveLength(30);
    expect(h[0]!.day).toBe('2026-11-21');
    expect(h.at(-1)!.day).toBe('2026-12-20');
  });

  it('learns the mean interval between new items and polls rarely changing feeds less often', () => {
    const day = 86_400;
    expect(nextMeanInterval({ lastNewItemAt: t0.toISOString() }, new Date(t0.getTime() + 2 * day * 1000), 2)).toBe(day);
    expect(nextMeanInterval({ lastNewItemAt: t0.toISOString(), meanNewItemIntervalSeconds: day }, new Date(t0.getTime() + 11 * day * 1000), 1)).toBe(Math.round(0.7 * day + 0.3 * 11 * day));
    expect(adaptiveInterval(900, undefined)).toBe(900);
    expect(adaptiveInterval(900, 3600)).toBe(900);
    expect(adaptiveInterval(900, day)).toBe(4 * 3600);
    expect(adaptiveInterval(900, 6 * 3600)).toBe(3600);
  });

  it('fills in a feed\'s default language and categories only where items say nothing', () => {
    const items = [{ id: 'a', title: 'A', authors: [], categories: [], enclosures: [] }, { id: 'b', title: 'B', authors: [], categories: ['Own'], enclosures: [], language: 'fr' }] as NormalisedItem[];
    const out = applyDefaults(items, { language: 'en', categories: ['Research'] });
    expect(out.map((i) => [i.language, i.categories])).toEqual([['en', ['Research']], ['fr', ['Own']]]);
  });
});
