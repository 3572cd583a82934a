// One polling cycle: the due feeds (or every feed, when forced), at most `pollConcurrency` at once and
// never more than two at once per host, then a sweep for publications stored but never announced.
import type { CycleSummary, Feed, PollOutcome } from '../model.ts';
import { sweepUnannounced } from './announce.ts';
import type { HubContext } from './context.ts';
import { hostOf, runLimited } from './limiter.ts';
import { pollFeed } from './poll-feed.ts';
import { PER_HOST_CONCURRENCY, selectFeeds, type CycleOptions } from './select-feeds.ts';

export { PER_HOST_CONCURRENCY, selectFeeds, type CycleOptions } from './select-feeds.ts';

export async function pollFeeds(ctx: HubContext, feeds: Feed[], options: CycleOptions = {}): Promise<PollOutcome[]> {
  let done = 0;
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
    } finally {
      options.onProgress?.({ done: ++done, total: feeds.length });
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
  options.onProgress?.({ done: 0, total: feeds.length });
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
