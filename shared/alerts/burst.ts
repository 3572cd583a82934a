// Instant alerts and bursts. Pure: the caller passes `now` and what the store holds.
//
// One e-mail per matching publication, unless more than 5 match within 10 minutes: then they roll
// into one mail. In order:
//  1. Nothing held back, and the publications mailed in the last 10 minutes plus the new matches
//     come to at most 5: each new match is mailed on its own, now.
//  2. Otherwise it is a burst. If no rollup went out in the last 10 minutes, everything pending
//     (held and new) goes now as one mail: a member publishing 20 papers at once sends one mail.
//  3. Otherwise the matches are held and go out together 10 minutes after the last rollup, so a
//     steady trickle costs the subscriber at most one mail per 10 minutes.
import type { AlertPublication } from '../ports/subscriptions.ts';

export const BURST_WINDOW_MS = 10 * 60 * 1000;
export const BURST_LIMIT = 5;

export interface InstantState {
  now: Date;
  /** When each publication mailed instantly went out (ISO); older entries are ignored. */
  recentAlerts: string[];
  lastRollupAt?: string;
  /** Matches held back earlier, not mailed yet. */
  held: AlertPublication[];
  /** New matches. */
  incoming: AlertPublication[];
}

export type InstantPlan =
  | { action: 'each'; items: AlertPublication[] }
  | { action: 'rollup'; items: AlertPublication[] }
  | { action: 'hold'; items: AlertPublication[]; until: string };

function unique(items: AlertPublication[]): AlertPublication[] {
  const seen = new Set<string>();
  return items.filter((p) => !seen.has(p.id) && (seen.add(p.id), true));
}

/** The entries of `times` inside the window that ends at `now`. */
export function withinWindow(times: string[], now: Date): string[] {
  const since = now.getTime() - BURST_WINDOW_MS;
  return times.filter((t) => {
    const ms = Date.parse(t);
    return ms > since && ms <= now.getTime();
  });
}

export function planInstant(state: InstantState): InstantPlan {
  const pending = unique([...state.held, ...state.incoming]);
  const recent = withinWindow(state.recentAlerts, state.now).length;
  if (state.held.length === 0 && recent + pending.length <= BURST_LIMIT) return { action: 'each', items: pending };
  const lastRollup = state.lastRollupAt ? Date.parse(state.lastRollupAt) : Number.NEGATIVE_INFINITY;
  const releaseAt = lastRollup + BURST_WINDOW_MS;
  if (releaseAt <= state.now.getTime()) return { action: 'rollup', items: pending };
  return { action: 'hold', items: pending, until: new Date(releaseAt).toISOString() };
}

/** The recent-alerts list after mailing `count` publications at `now`, trimmed to the window. */
export function recordSent(recentAlerts: string[], now: Date, count: number): string[] {
  return [...withinWindow(recentAlerts, now), ...Array.from({ length: count }, () => now.toISOString())];
}
