// One polling cycle: the due feeds (or every feed, when forced), at most `pollConcurrency` at once and
// never more than two at once per host, then a sweep for publications stored but never announced.
import type { CycleSummary, Feed, PollOutcome } from '../model.ts';
import { sweepUnannounced } from './announce.ts';
import type { HubContext } from './context.ts';
import { hostOf, runLimited } from './limiter.ts';
import { pollFeed } from './poll-feed.ts';

export const PER_HOST_CONCURRENCY = 2;
const MAX_FEEDS_PER_CYCLE = 10_000;

export interface CycleOptions {
  /** Poll every feed now, due or not, in error or not (paused and removed feeds excepted). */
  force?: boolean;
}

export async function selectFeeds(ctx: HubContext, options: CycleOptions): Promise<Feed[]> {
  if (options.force) return (await ctx.store.listFeeds()).filter((f) => !f.removed && f.status !== 'paused');
  // The store pages internally; 10,000 due feeds in one cycle is the design ceiling of one process
  // (in AWS the scheduler fans feeds out to a queue instead).
  return ctx.store.listDueFeeds(ctx.now().toISOString(), MAX_FEEDS_PER_CYCLE);
}

export async function pollFeeds(ctx: HubContext, feeds: Feed[], options: CycleOptions = {}): Promise<PollOutcome[]> {
  return runLimited(feeds, { concurrency: ctx.pollConcurrency, keyOf: (f) => hostOf(f.url), perKey: PER_HOST_CONCURRENCY }, async (feed) => {
    try {
      return await pollFeed(ctx, feed, options);
    } catch (err) {
      // A store failure for one feed: logged, counted, and the others go on.
      ctx.log.error('feed poll aborted', { feed_id: feed.id, member_id: feed.memberId, error: (err as Error).message });
      return {
        feedId: feed.id,
        memberId: feed.memberId,
        url: feed.url,
        result: 'error' as const,
        newCount: 0,
        updatedCount: 0,
        error: { code: 'internal_error', message: 'The hub could not record this poll; it will be retried.', at: ctx.now().toISOString() },
      };
    }
  });
}

export function summarise(outcomes: PollOutcome[], announced: number): CycleSummary {
  const polled = outcomes.filter((o) => o.result !== 'skipped');
  return {
    feedsPolled: polled.length,
    notModified: polled.filter((o) => o.result === 'not_modified').length,
    unchanged: polled.filter((o) => o.result === 'unchanged').length,
    pending: polled.filter((o) => o.result === 'pending').length,
    newPublications: polled.reduce((n, o) => n + o.newCount, 0),
    updatedPublications: polled.reduce((n, o) => n + o.updatedCount, 0),
    errors: polled.filter((o) => o.result === 'error').length,
    announced,
    outcomes,
  };
}

export async function runPollCycle(ctx: HubContext, options: CycleOptions = {}): Promise<CycleSummary> {
  const feeds = await selectFeeds(ctx, options);
  const outcomes = await pollFeeds(ctx, feeds, options);
  let announced = 0;
  try {
    announced = await sweepUnannounced(ctx);
  } catch (err) {
    ctx.log.error('announcement sweep failed', { error: (err as Error).message });
  }
  const summary = summarise(outcomes, announced);
  ctx.log.info('poll cycle done', {
    feeds_polled: summary.feedsPolled,
    not_modified: summary.notModified,
    new_count: summary.newPublications,
    error_count: summary.errors,
    recovered_announcements: announced,
  });
  return summary;
}
