// The poll queue: the scheduler (and the admin's "poll now") sends one message per feed, the poll
// worker consumes them in batches. Thousands of feeds become thousands of small messages, polled by
// as many short worker runs as the queue's event source allows, never one long run.
import type { SQSClient } from '@aws-sdk/client-sqs';
import { hostOf, runLimited } from '../shared/app/limiter.ts';
import { ValidationError } from '../shared/errors.ts';
import type { Feed } from '../shared/model.ts';
import { PER_HOST_CONCURRENCY } from '../shared/app/select-feeds.ts';

export interface PollMessage {
  feedId: string;
  /** Poll even when not due (the admin's "poll now"). */
  force?: boolean;
}

export interface PlannedMessage {
  feedId: string;
  body: string;
  delaySeconds: number;
}

const SQS_BATCH = 10; // SendMessageBatch limit
const SQS_MAX_DELAY = 900;
const PARALLEL_BATCHES = 4;

export function encodePollMessage(m: PollMessage): string {
  return JSON.stringify(m.force ? { feedId: m.feedId, force: true } : { feedId: m.feedId });
}

export function decodePollMessage(body: string): PollMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ValidationError('bad_poll_message', 'A poll message must be JSON like {"feedId": "..."}.');
  }
  const m = parsed as { feedId?: unknown; force?: unknown } | null;
  if (!m || typeof m.feedId !== 'string' || m.feedId === '') throw new ValidationError('bad_poll_message', 'A poll message must name a feed: {"feedId": "..."}.');
  return { feedId: m.feedId, ...(m.force === true ? { force: true } : {}) };
}

/**
 * One message per feed. Feeds on the same host are spread out with per-message delays, two at a time
 * `hostSpacingSeconds` apart: several workers run at once, and a member's server should see no more
 * requests at once from the hub in AWS than from the local hub.
 */
export function planPollMessages(feeds: Feed[], options: { force?: boolean; hostSpacingSeconds?: number } = {}): PlannedMessage[] {
  const spacing = options.hostSpacingSeconds ?? 10;
  const seen = new Map<string, number>();
  return feeds.map((feed) => {
    const host = hostOf(feed.url);
    const n = seen.get(host) ?? 0;
    seen.set(host, n + 1);
    const delaySeconds = Math.min(SQS_MAX_DELAY, Math.floor(n / PER_HOST_CONCURRENCY) * spacing);
    return { feedId: feed.id, body: encodePollMessage({ feedId: feed.id, force: options.force }), delaySeconds };
  });
}

export interface EnqueueResult {
  enqueued: number;
  failed: { feedId: string; error: string }[];
}

/** Sends the messages in batches of ten; entries SQS refuses are retried once, then reported. */
export async function enqueuePollMessages(sqs: SQSClient, queueUrl: string, messages: PlannedMessage[]): Promise<EnqueueResult> {
  const batches: PlannedMessage[][] = [];
  for (let i = 0; i < messages.length; i += SQS_BATCH) batches.push(messages.slice(i, i + SQS_BATCH));
  const results = await runLimited(batches, { concurrency: PARALLEL_BATCHES }, async (batch) => {
    let pending = batch;
    let failed: EnqueueResult['failed'] = [];
    for (let attempt = 1; attempt <= 2 && pending.length > 0; attempt++) {
      const outcome = await sendBatch(sqs, queueUrl, pending);
      pending = outcome.retry;
      failed = outcome.failed;
    }
    return { enqueued: batch.length - failed.length, failed };
  });
  return { enqueued: results.reduce((n, r) => n + r.enqueued, 0), failed: results.flatMap((r) => r.failed) };
}

async function sendBatch(sqs: SQSClient, queueUrl: string, batch: PlannedMessage[]): Promise<{ retry: PlannedMessage[]; failed: EnqueueResult['failed'] }> {
  try {
    // The scheduler has the SQS client loaded already; the API loads it with its first "poll now".
    const { SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((m, i) => ({ Id: `m${i}`, MessageBody: m.body, DelaySeconds: m.delaySeconds })),
      }),
    );
    const refused = (out.Failed ?? []).map((f) => ({ message: batch[Number(f.Id?.slice(1))], error: `${f.Code ?? 'error'}: ${f.Message ?? ''}` }));
    const retry = refused.flatMap((r) => (r.message ? [r.message] : []));
    return { retry, failed: refused.flatMap((r) => (r.message ? [{ feedId: r.message.feedId, error: r.error }] : [])) };
  } catch (err) {
    return { retry: batch, failed: batch.map((m) => ({ feedId: m.feedId, error: (err as Error).message })) };
  }
}

/**
 * "Poll every feed now" in AWS: every feed (paused and removed ones excepted) goes to the poll queue
 * for the workers, instead of being polled inside an API request (API Gateway stops waiting at 30 s).
 */
export async function queueEveryFeed(
  ctx: Parameters<typeof import('../shared/app/select-feeds.ts').selectFeeds>[0] & { log: import('../shared/log.ts').Logger },
  sqs: SQSClient,
  queueUrl: string,
): Promise<{ total: number; enqueued: number; failed: { feedId: string; error: string }[] }> {
  const { selectFeeds } = await import('../shared/app/select-feeds.ts');
  const feeds = await selectFeeds(ctx, { force: true });
  const result = await enqueuePollMessages(sqs, queueUrl, planPollMessages(feeds, { force: true }));
  ctx.log.info('poll of every feed queued', { feed_count: feeds.length, enqueued_count: result.enqueued, failed_count: result.failed.length });
  return { total: feeds.length, ...result };
}
