// SQS poll queue -> this function, in batches: polls each feed of the batch (bounded concurrency, at
// most two at once per host) and reports partial batch failures. A feed that fails as a feed (network,
// HTTP status, not a feed) is recorded on the feed for its member to see and is not a failure here;
// only what the hub itself could not do (the store unreachable, a malformed message) goes back to the
// queue, to be retried and finally dead-lettered.
//
// The feed pipeline (fetch, decode, parse, normalise, store: about 330 KB, most of this function's
// code) is loaded by the first batch, not at init; every cold worker loads it, so this moves that
// time from Lambda's init phase into the first invocation (README "Bundles").
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { hostOf, runLimited } from '../shared/app/limiter.ts';
import { PER_HOST_CONCURRENCY } from '../shared/app/select-feeds.ts';
import type { Feed, PollOutcome } from '../shared/model.ts';
import { lambdaHandler } from '../lambda/invocation.ts';
import { createLambdaRuntime } from '../lambda/lambda-context.ts';
import { once } from '../lambda/lazy.ts';
import { count, METRIC, recordPollOutcomes } from '../lambda/metrics.ts';
import { decodePollMessage } from '../lambda/poll-queue.ts';
import type { FeedFetcher } from '../shared/ports/fetcher.ts';

const runtime = createLambdaRuntime({ needs: { publish: true, mail: true } });
const pipeline = once(() => import('../shared/app/poll-feed.ts'));

const outcomeListeners = new Set<(outcomes: PollOutcome[]) => void>();
/** Local hub only (local/handler-topology.ts): each batch's outcomes, for "poll now and wait". Returns the unsubscribe. */
export function onPollOutcomes(listener: (outcomes: PollOutcome[]) => void): () => void {
  outcomeListeners.add(listener);
  return () => outcomeListeners.delete(listener);
}

interface Job {
  record: SQSRecord;
  feed: Feed;
  force: boolean;
}

/** Local hub only (local/handler-topology.ts): a feed fetcher in place of the real one (tests: names resolved from a table). */
export function useFetcher(fetcher: FeedFetcher): void {
  runtime.ctx.fetcher = fetcher;
}

export const handler = lambdaHandler(runtime, async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { ctx, metrics } = runtime;
  const failures: SQSBatchItemFailure[] = [];
  const fail = (record: SQSRecord, message: string, err: unknown) => {
    failures.push({ itemIdentifier: record.messageId });
    ctx.log.error(message, { message_id: record.messageId, receive_count: Number(record.attributes?.ApproximateReceiveCount ?? 0), error: (err as Error).message });
  };

  const jobs: Job[] = [];
  await Promise.all(
    event.Records.map(async (record) => {
      try {
        const message = decodePollMessage(record.body);
        const feed = await ctx.store.getFeed(message.feedId);
        if (!feed) ctx.log.info('feed no longer exists; nothing to poll', { feed_id: message.feedId });
        else jobs.push({ record, feed, force: message.force === true });
      } catch (err) {
        fail(record, 'could not read poll message', err);
      }
    }),
  );

  const { pollFeed } = await pipeline();
  const outcomes = await runLimited(jobs, { concurrency: ctx.pollConcurrency, keyOf: (j) => hostOf(j.feed.url), perKey: PER_HOST_CONCURRENCY }, async (job): Promise<PollOutcome | undefined> => {
    try {
      return await pollFeed(ctx, job.feed, { force: job.force });
    } catch (err) {
      fail(job.record, 'feed poll aborted; the message goes back to the queue', err);
      return undefined;
    }
  });

  const done = outcomes.filter((o): o is PollOutcome => o !== undefined);
  recordPollOutcomes(metrics, done);
  for (const listener of outcomeListeners) listener(done);
  count(metrics, METRIC.pollFailures, failures.length);
  return { batchItemFailures: failures };
});
