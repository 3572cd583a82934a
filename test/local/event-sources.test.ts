// The local event source mapping and schedules drive the real poll functions against fauxqs and
// dynalite: the poll-scheduler on its schedule queues due feeds, the mapping hands them to the
// poll-worker in SQSEvents; a record the worker reports as failed comes back after the visibility
// timeout with a growing receive count and ends in the dead-letter queue after maxReceiveCount.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePollMessage } from '../../lambda/poll-queue.ts';
import { createHubQueue, recordsToDelete, startSqsEventSource, toSqsEvent, type HubQueue } from '../../local/event-sources.ts';
import { startSchedule } from '../../local/schedules.ts';
import { silentLogger } from '../../shared/log.ts';
import { POLL_QUEUE } from '../../shared/topology.ts';
import { rss } from '../helpers/hub.ts';
import { sendBody, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { captureOutput, drain, feed, startLambdaTestEnv, type LambdaTestEnv } from '../functions/harness.ts';

let t: LambdaTestEnv;
let server: FeedServer;
let sqs: SQSClient;
let queue: HubQueue;
let worker: (event: SQSEvent) => Promise<SQSBatchResponse>;
let scheduler: typeof import('../../functions/poll-scheduler.ts').handler;
let output: ReturnType<typeof captureOutput>;

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 300; i += 1) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}

beforeAll(async () => {
  t = await startLambdaTestEnv();
  server = await startFeedServer({ '/news.xml': sendBody(rss('UNODC news', [{ guid: 'n-1', title: 'Trafficking in persons report', link: 'https://www.unodc.org/tip', date: 'Mon, 02 Nov 2026 09:00:00 GMT' }])) });
  sqs = new SQSClient({ region: 'us-east-1', endpoint: t.env.SQS_ENDPOINT, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  // The stack's poll queue, but offered again one second after a failure instead of twelve minutes.
  queue = await createHubQueue(sqs, 'hub-poll', POLL_QUEUE, { visibilityTimeoutSeconds: 1 });
  delete process.env.SMTP_URL;
  Object.assign(process.env, t.env, { POLL_QUEUE_URL: queue.url, MAIL_FROM: 'ICAT hub <hub@hub.example.org>' });
  ({ handler: worker } = await import('../../functions/poll-worker.ts'));
  ({ handler: scheduler } = await import('../../functions/poll-scheduler.ts'));
  output = captureOutput();
});

afterAll(async () => {
  output?.restore();
  sqs?.destroy();
  await server?.close();
  await t?.stop();
});

describe('local event source mapping', () => {
  it('creates the queue with the visibility, retention and redrive policy of the stack', async () => {
    const plain = await createHubQueue(sqs, 'hub-poll-settings', POLL_QUEUE);
    const { GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
    const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: plain.url, AttributeNames: ['All'] }))).Attributes!;
    expect(Number(attrs.VisibilityTimeout)).toBe(720);
    expect(Number(attrs.MessageRetentionPeriod)).toBe(6 * 3600);
    expect(JSON.parse(attrs.RedrivePolicy!)).toMatchObject({ deadLetterTargetArn: plain.deadLetterArn });
    expect(Number(JSON.parse(attrs.RedrivePolicy!).maxReceiveCount)).toBe(3);
  });

  it('a batch failure naming a record outside the batch fails the whole batch', () => {
    const event = toSqsEvent([{ MessageId: 'a', ReceiptHandle: 'ra', Body: '{}' }, { MessageId: 'b', ReceiptHandle: 'rb', Body: '{}' }], queue.arn);
    expect(recordsToDelete(event, { batchItemFailures: [{ itemIdentifier: 'b' }] })!.map((r) => r.messageId)).toEqual(['a']);
    expect(recordsToDelete(event, undefined)!.map((r) => r.messageId)).toEqual(['a', 'b']);
    expect(recordsToDelete(event, { batchItemFailures: [{ itemIdentifier: 'zzz' }] })).toBeUndefined();
  });

  it('the schedule runs the poll-scheduler, whose messages the mapping hands to the poll-worker', async () => {
    await t.store.createFeed(feed('f-news', server.url('/news.xml')));
    const seen: SQSEvent[] = [];
    const mapping = startSqsEventSource({
      sqs,
      queue,
      functionName: 'poll-worker',
      handler: async (event) => (seen.push(event), worker(event)),
      topology: { ...POLL_QUEUE, maxConcurrency: 1 },
      waitSeconds: 1,
      log: silentLogger,
    });
    const schedule = startSchedule({ name: 'icat-hub-local-poll', functionName: 'poll-scheduler', handler: scheduler, everySeconds: 3600, firstRunMs: 0, retryAttempts: 2, log: silentLogger });
    try {
      const polled = await eventually(async () => {
        const f = await t.store.getFeed('f-news');
        return f?.status === 'ok' ? f : undefined;
      }, 'the feed polled');
      expect(polled).toMatchObject({ lastStatusCode: 200, itemsSeen: 1 });
      expect((await t.store.listPublications({ limit: 10 })).items.map((p) => p.title)).toEqual(['Trafficking in persons report']);
      const record = seen.flatMap((e) => e.Records).find((r) => JSON.parse(r.body).feedId === 'f-news')!;
      expect(record).toMatchObject({ eventSource: 'aws:sqs', eventSourceARN: queue.arn, awsRegion: 'us-east-1', attributes: { ApproximateReceiveCount: '1' } });
      expect(schedule.runs).toBe(1);
    } finally {
      await schedule.stop();
      await mapping.stop();
    }
    // Handled, so deleted: nothing comes back, nothing is dead-lettered.
    expect(mapping.stats).toMatchObject({ deleted: 1, failed: 0, errors: 0 });
  });

  it('a poll message the worker fails is delivered again, then dead-lettered after maxReceiveCount', async () => {
    const bad = 'not a poll message';
    const good = encodePollMessage({ feedId: 'f-gone' });
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: bad }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: good }));
    const receives: Record<string, string[]> = { [bad]: [], [good]: [] };
    const mapping = startSqsEventSource({
      sqs,
      queue,
      functionName: 'poll-worker',
      handler: async (event) => {
        for (const r of event.Records) receives[r.body]?.push(r.attributes.ApproximateReceiveCount);
        return worker(event);
      },
      topology: { ...POLL_QUEUE, maxConcurrency: 1 },
      waitSeconds: 1,
      log: silentLogger,
    });
    let dead;
    try {
      dead = await eventually(async () => {
        const m = await drain(sqs, queue.deadLetterUrl);
        return m.length > 0 ? m : undefined;
      }, 'the bad message dead-lettered');
    } finally {
      await mapping.stop();
    }
    expect(dead.map((m) => m.Body)).toEqual([bad]);
    expect(receives[bad]).toEqual(['1', '2', '3']);
    // The good record of the same batch was deleted the first time.
    expect(receives[good]).toEqual(['1']);
    expect(await drain(sqs, queue.url)).toEqual([]);
  });
});
