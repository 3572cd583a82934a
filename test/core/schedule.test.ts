import { describe, expect, it } from 'vitest';
import { nextPollAfterError, nextPollAfterSuccess } from '../../shared/core/schedule.ts';

const now = new Date('2026-11-10T00:00:00Z');
const secondsUntil = (iso: string) => (Date.parse(iso) - now.getTime()) / 1000;

describe('polling schedule', () => {
  it('polls again one interval later, so that the next tick finds the feed due', () => {
    expect(secondsUntil(nextPollAfterSuccess(now, 900))).toBe(900);
  });

  it('never polls faster than the feed or the server asks', () => {
    expect(secondsUntil(nextPollAfterSuccess(now, 900, { minIntervalSeconds: 3600 }))).toBeGreaterThanOrEqual(3600);
    expect(secondsUntil(nextPollAfterSuccess(now, 900, { maxAgeSeconds: 7200 }))).toBeGreaterThanOrEqual(7200);
  });

  it('backs off exponentially on errors, capped at a day, and honours Retry-After', () => {
    const waits = [1, 2, 3, 4].map((n) => secondsUntil(nextPollAfterError('f1', now, 900, n)));
    expect(waits[1]! / waits[0]!).toBeCloseTo(2, 5);
    expect(waits[3]! / waits[2]!).toBeCloseTo(2, 5);
    expect(secondsUntil(nextPollAfterError('f1', now, 900, 30))).toBeLessThanOrEqual(24 * 3600 * 1.1);
    expect(secondsUntil(nextPollAfterError('f1', now, 900, 1, 5 * 3600))).toBeGreaterThanOrEqual(5 * 3600);
  });
});
