// EventBridge Scheduler -> this function, every 15 minutes by default: selects the feeds that are
// due and hands them to the poll queue, one message each, then announces anything stored but never
// announced. It polls nothing itself, so its run time does not grow with the number of feeds.
import type { ScheduledEvent } from 'aws-lambda';
import { sweepUnannounced } from '../shared/app/announce.ts';
import { seedMembers } from '../shared/app/members.ts';
import { createSqsClient } from '../shared/adapters/aws-clients.ts';
import { HubError } from '../shared/errors.ts';
import { lambdaHandler } from '../lambda/invocation.ts';
import { createLambdaRuntime } from '../lambda/lambda-context.ts';
import { count, METRIC } from '../lambda/metrics.ts';
import { enqueuePollMessages, planPollMessages } from '../lambda/poll-queue.ts';
import { selectFeeds } from '../shared/app/select-feeds.ts';

const runtime = createLambdaRuntime({ needs: { publish: true, pollQueue: true } });
const sqs = runtime.tracer.captureAWSv3Client(createSqsClient(runtime.config));
let seeded = false;

export interface SchedulerResult {
  due: number;
  enqueued: number;
  failed: number;
  announced: number;
}

export const handler = lambdaHandler(runtime, async (event: Partial<ScheduledEvent>): Promise<SchedulerResult> => {
  const { ctx, config, metrics } = runtime;
  const log = ctx.log.child({ scheduled_time: event.time ?? null });
  if (!seeded) {
    // Once per execution environment: adds members shipped in a new release; existing ones stay as they are.
    const added = await seedMembers(ctx.store, ctx.now().toISOString());
    if (added > 0) log.info('seeded ICAT member list', { member_count: added });
    seeded = true;
  }

  const feeds = await selectFeeds(ctx, {});
  const result = await enqueuePollMessages(sqs, config.pollQueueUrl!, planPollMessages(feeds));
  count(metrics, METRIC.feedsEnqueued, result.enqueued);
  for (const f of result.failed) log.error('could not queue a feed for polling', { feed_id: f.feedId, error: f.error });

  let announced = 0;
  let sweepFailed = false;
  try {
    announced = await sweepUnannounced(ctx);
  } catch (err) {
    sweepFailed = true;
    log.error('announcement sweep failed', { error: (err as Error).message });
  }
  count(metrics, METRIC.recoveredAnnouncements, announced);
  count(metrics, METRIC.pollFailures, result.failed.length + (sweepFailed ? 1 : 0));
  log.info('poll cycle scheduled', { due_count: feeds.length, enqueued_count: result.enqueued, failed_count: result.failed.length, recovered_announcements: announced });

  if (result.failed.length > 0) {
    // A failed invocation is retried by the scheduler; feeds queued twice are polled once (lease, due time).
    throw new HubError('internal', 'enqueue_failed', `${result.failed.length} of ${feeds.length} due feeds could not be queued`);
  }
  return { due: feeds.length, enqueued: result.enqueued, failed: result.failed.length, announced };
});
