// "Poll every feed now", asked for by the secretariat from the API (POST /api/poll) or its page
// (/admin/poll): one option of the HTTP surface (RouteGroupOptions.pollNow) carries it out for both.
// The local hub polls every feed in its own process; in AWS, where API Gateway stops waiting at 30 s,
// the feeds are queued for the poll workers instead (lambda/queued-poll-now.ts).
import type { CycleSummary } from '../model.ts';
import type { HubContext } from './context.ts';
import { runPollCycle } from './poll-cycle.ts';

export interface PollNowResult {
  /** The cycle's outcome, when the feeds were polled in this process. */
  summary?: CycleSummary;
  /** How many feeds were queued, when they are polled elsewhere. */
  queued?: number;
  /** Feeds that could not be queued. */
  failed?: { feedId: string; error: string }[];
}

export type PollNow = (onProgress: (p: { done: number; total: number }) => void) => Promise<PollNowResult>;

/** Every feed, due or not, polled in this process. */
export function pollInProcess(ctx: HubContext): PollNow {
  return async (onProgress) => ({ summary: await runPollCycle(ctx, { force: true, onProgress }) });
}
