// Instant alerts and bursts. Pure: the caller passes `now` and what the store holds.
//
// One e-mail per matching publication, unless more than 5 match within 10 minutes: then they roll
// into one mail. In order:
//  1. Nothing held back, and the publications mailed in the last 10 minutes plus the new matches
//     come to at most 5: each new match is mailed on its own, now.
//  2. Otherwise it is a burst, and its matches are held (in the store, so every worker and every
//     Lambda invocation sees them). A new burst is gathered for BURST_GATHER_MS: the queue hands a
//     burst over in batches (at most 10 messages per receive, 100 per Lambda batch), and all of them
//     must join the one rollup. It goes out when the gathering ends, but never sooner than 10 minutes
//     after the previous rollup, so a steady trickle costs at most one mail per 10 minutes.
//  3. Matches arriving while a hold is pending join it, without moving its time (a trickle cannot
//     postpone it forever); once that time has come, everything held goes as one mail.
import type { AlertPublication } from '../ports/subscriptions.ts';

export const BURST_WINDOW_MS = 10 * 60 * 1000;
export const BURST_LIMIT = 5;
/** How long a new burst is gathered before its rollup goes out. */
export const BURST_GATHER_MS = 60 * 1000;

export interface InstantState {
  now: Date;
  /** When each publication mailed instantly went out (ISO); older entries are ignored. */
  recentAlerts: string[];
  lastRollupAt?: string;
  /** Matches held back earlier, not mailed yet. */
  held: AlertPublication[];
  /** When the held matches go out (set with them). */
  heldUntil?: string;
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
  const now = state.now.getTime();
  const pendingUntil = state.held.length > 0 && state.heldUntil ? Date.parse(state.heldUntil) : Number.NaN;
  if (Number.isFinite(pendingUntil)) {
    return pendingUntil <= now ? { action: 'rollup', items: pending } : { action: 'hold', items: pending, until: state.heldUntil! };
  }
  const lastRollup = state.lastRollupAt ? Date.parse(state.lastRollupAt) : Number.NEGATIVE_INFINITY;
  const releaseAt = Math.max(now + BURST_GATHER_MS, lastRollup + BURST_WINDOW_MS);
  return { action: 'hold', items: pending, until: new Date(releaseAt).toISOString() };
}

/** The recent-alerts list after mailing `count` publications at `now`, trimmed to the window. */
export function recordSent(recentAlerts: string[], now: Date, count: number): string[] {
  return [...withinWindow(recentAlerts, now), ...Array.from({ length: count }, () => now.toISOString())];
}
