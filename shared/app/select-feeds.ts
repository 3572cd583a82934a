// Which feeds a polling cycle takes, and how hard it may press one host. Kept apart from the poller
// so that the scheduler (which only queues feeds) does not bundle the feed parser.
import type { Feed } from '../model.ts';
import type { HubContext } from './context.ts';

/** At most this many requests at once to one host. */
export const PER_HOST_CONCURRENCY = 2;
/** The design ceiling of one cycle in one process (in AWS the scheduler fans feeds out to a queue). */
export const MAX_FEEDS_PER_CYCLE = 10_000;

export interface CycleOptions {
  /** Poll every feed now, due or not, in error or not (paused and removed feeds excepted). */
  force?: boolean;
  /** Told after the feeds are chosen (done 0) and after each feed, for a progress display. */
  onProgress?: (progress: { done: number; total: number }) => void;
}

export async function selectFeeds(ctx: Pick<HubContext, 'store' | 'now'>, options: CycleOptions): Promise<Feed[]> {
  if (options.force) return (await ctx.store.listFeeds()).filter((f) => !f.removed && f.status !== 'paused');
  return ctx.store.listDueFeeds(ctx.now().toISOString(), MAX_FEEDS_PER_CYCLE);
}
