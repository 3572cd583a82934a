// A feed's health, as pure rules: its 30-day history of checks, the mean interval between new items,
// when it counts as dead, and how often a feed that rarely changes needs polling. `now` comes in.
import type { CheckDay, Feed, FeedDefaults, NormalisedItem } from '../model.ts';

export const HISTORY_DAYS = 30;
export const DEAD_AFTER_ERRORS = 5;
export const DEAD_AFTER_DAYS = 7;
/** A dead feed is still tried once a day, so that it comes back by itself when fixed. */
export const DEAD_POLL_SECONDS = 24 * 3600;
/** The longest a healthy feed waits between polls, however rarely it changes. */
export const MAX_ADAPTIVE_SECONDS = 4 * 3600;

const dayOf = (d: Date) => d.toISOString().slice(0, 10);

export interface CheckOutcome {
  error: boolean;
  newItems: number;
  statusCode?: number;
}

/** Adds one check to the history, keeping the last HISTORY_DAYS days. */
export function recordCheck(history: CheckDay[] | undefined, now: Date, outcome: CheckOutcome): CheckDay[] {
  const day = dayOf(now);
  const days = (history ?? []).filter((d) => d.day !== day);
  const today = history?.find((d) => d.day === day) ?? { day, checks: 0, errors: 0, newItems: 0 };
  const updated: CheckDay = {
    day,
    checks: today.checks + 1,
    errors: today.errors + (outcome.error ? 1 : 0),
    newItems: today.newItems + outcome.newItems,
    ...(outcome.statusCode !== undefined ? { lastStatusCode: outcome.statusCode } : {}),
  };
  const oldest = dayOf(new Date(now.getTime() - (HISTORY_DAYS - 1) * 86_400_000));
  return [...days, updated].filter((d) => d.day >= oldest).sort((a, b) => a.day.localeCompare(b.day));
}

export function hasCheckToday(history: CheckDay[] | undefined, now: Date): boolean {
  return !!history?.some((d) => d.day === dayOf(now));
}

/**
 * Mean interval between new items, as an exponentially weighted mean (recent behaviour counts most).
 * Several items in one poll share the interval since the last new item.
 */
export function nextMeanInterval(feed: Pick<Feed, 'lastNewItemAt' | 'meanNewItemIntervalSeconds'>, now: Date, newItems: number): number | undefined {
  if (newItems === 0 || !feed.lastNewItemAt) return feed.meanNewItemIntervalSeconds;
  const interval = Math.max(0, (now.getTime() - Date.parse(feed.lastNewItemAt)) / 1000) / newItems;
  const prev = feed.meanNewItemIntervalSeconds;
  return Math.round(prev === undefined ? interval : 0.7 * prev + 0.3 * interval);
}

/**
 * Poll interval for a healthy feed: the configured one, stretched for feeds that rarely publish (a
 * sixth of their mean interval between items, at most MAX_ADAPTIVE_SECONDS), never shorter.
 */
export function adaptiveInterval(intervalSeconds: number, meanNewItemIntervalSeconds: number | undefined): number {
  if (!meanNewItemIntervalSeconds) return intervalSeconds;
  return Math.max(intervalSeconds, Math.min(MAX_ADAPTIVE_SECONDS, Math.round(meanNewItemIntervalSeconds / 6)));
}

/** Dead: DEAD_AFTER_ERRORS consecutive failures, or failing for DEAD_AFTER_DAYS days. */
export function isDead(consecutiveErrors: number, errorsSince: string | undefined, now: Date): boolean {
  if (consecutiveErrors >= DEAD_AFTER_ERRORS) return true;
  return !!errorsSince && now.getTime() - Date.parse(errorsSince) >= DEAD_AFTER_DAYS * 86_400_000;
}

/** A member's defaults fill in what an item does not say for itself. */
export function applyDefaults(items: NormalisedItem[], defaults: FeedDefaults | undefined): NormalisedItem[] {
  if (!defaults || (!defaults.language && !defaults.categories?.length)) return items;
  return items.map((item) => ({
    ...item,
    language: item.language ?? defaults.language,
    categories: item.categories.length > 0 || !defaults.categories ? item.categories : [...defaults.categories],
  }));
}
