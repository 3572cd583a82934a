// The poll worker, invoked with an SQSEvent built from messages really received from the poll queue,
// against dynalite, fauxqs, feeds served on loopback and an SES v2 stand-in (the member's notices).
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMembers } from '../../shared/app/members.ts';
import { encodePollMessage } from '../../lambda/poll-queue.ts';
import { DEAD_AFTER_ERRORS } from '../../shared/core/health.ts';
import { rss } from '../helpers/hub.ts';
import { sendBody, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { captureOutput, drain, feed, sqsEvent, startLambdaTestEnv, type LambdaTestEnv } from './harness.ts';
import { parseMail } from '../helpers/smtp.ts';
import { startSesStandIn, type SesStandIn } from './http-events.ts';

let t: LambdaTestEnv;
let ses: SesStandIn;
let server: FeedServer;
let handler: (event: SQSEvent) => Promise<SQSBatchResponse>;

beforeAll(async () => {
  t = await startLambdaTestEnv();
  ses = await startSesStandIn();
  server = await startFeedServer({
    '/good.xml': sendBody(
      rss('UNODC news', [
        { guid: 'a-1', title: 'Global Report on Trafficking in Persons', link: 'https://www.unodc.org/report-2026', date: 'Mon, 02 Nov 2026 09:00:00 GMT' },
        { guid: 'a-2', title: 'Toolkit for first responders', link: 'https://www.unodc.org/toolkit', date: 'Tue, 03 Nov 2026 09:00:00 GMT' },
      ]),
    ),
  });
  // The module reads its environment at import, as Lambda's init does.
  delete process.env.SMTP_URL;
  Object.assign(process.env, t.env, { SES_ENDPOINT: ses.endpoint, MAIL_FROM: 'ICAT hub <hub@hub.example.org>' });
  ({ handler } = await import('../../functions/poll-worker.ts'));
});

afterAll(async () => {
  await ses?.close();
  await server?.close();
  await t?.stop();
});

describe('poll worker', () => {
  it('polls every feed of the batch and reports only the records the hub could not handle', async () => {
    await t.store.createFeed(feed('f-good', server.url('/good.xml')));
    await t.store.createFeed(feed('f-missing', server.url('/missing.xml')));
    const bodies = {
      good: encodePollMessage({ feedId: 'f-good' }),
      missing: encodePollMessage({ feedId: 'f-missing' }),
      deleted: encodePollMessage({ feedId: 'f-deleted-since' }),
      malformed: 'not json',
      // A key DynamoDB refuses (over 2,048 bytes): the store fails for this record alone.
      storeFails: encodePollMessage({ feedId: 'x'.repeat(2100) }),
    };
    for (const body of Object.values(bodies)) await t.sqs.send(new SendMessageCommand({ QueueUrl: t.pollQueueUrl, MessageBody: body }));
    const messages = await drain(t.sqs, t.pollQueueUrl);
    expect(messages).toHaveLength(5);
    const idOf = (body: string) => messages.find((m) => m.Body === body)!.MessageId!;

    const out = captureOutput();
    let result: SQSBatchResponse;
    try {
      result = await handler(sqsEvent(messages, t.pollQueueArn));
    } finally {
      out.restore();
    }

    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([idOf(bodies.malformed), idOf(bodies.storeFails)].sort());

    // The good feed: polled, its publications stored and announced.
    const good = await t.store.getFeed('f-good');
    expect(good).toMatchObject({ status: 'ok', lastStatusCode: 200, consecutiveErrors: 0, itemsSeen: 2 });
    const page = await t.store.listPublications({ limit: 10 });
    expect(page.items.map((p) => p.title).sort()).toEqual(['Global Report on Trafficking in Persons', 'Toolkit for first responders']);
    const announced = await drain(t.sqs, t.announcementsQueueUrl);
    expect(announced.map((m) => (JSON.parse(m.Body!) as { title: string }).title).sort()).toEqual(['Global Report on Trafficking in Persons', 'Toolkit for first responders']);

    // The 404 is the member's problem: recorded on the feed, not a batch failure.
    const missing = await t.store.getFeed('f-missing');
    expect(missing).toMatchObject({ status: 'error', lastStatusCode: 404, consecutiveErrors: 1 });
    expect(missing!.lastError?.message).toBeTruthy();

    // Metrics (CloudWatch Embedded Metric Format) and logs, as CloudWatch would receive them.
    const records = out.records();
    const emf = records.find((r) => r._aws !== undefined)!;
    expect(emf).toMatchObject({ service: 'icat-hub-test', FeedsPolled: 2, FeedErrors: 1, NewPublications: 2, PollFailures: 2 });
    expect(JSON.stringify(emf._aws)).toContain('"Namespace":"IcatHub"');
    expect(records.some((r) => r.message === 'feed poll failed' && r.feed_id === 'f-missing' && r.status_code === 404)).toBe(true);
    expect(records.filter((r) => r.level === 'ERROR').map((r) => r.message).sort()).toEqual(['could not read poll message', 'could not read poll message']);
  });

  it('skips a redelivered message for a feed that is no longer due, and polls it when forced', async () => {
    await t.store.createFeed(feed('f-later', server.url('/good.xml'), { nextPollAt: '2999-01-01T00:00:00.000Z' }));
    const event = (body: string): SQSEvent => sqsEvent([{ MessageId: `m-${body.length}`, ReceiptHandle: 'r', Body: body }], t.pollQueueArn);
    const out = captureOutput();
    try {
      expect((await handler(event(encodePollMessage({ feedId: 'f-later' })))).batchItemFailures).toEqual([]);
      expect((await t.store.getFeed('f-later'))!.lastFetchAt).toBeUndefined();
      expect((await handler(event(encodePollMessage({ feedId: 'f-later', force: true })))).batchItemFailures).toEqual([]);
    } finally {
      out.restore();
    }
    expect((await t.store.getFeed('f-later'))!).toMatchObject({ status: 'ok', lastStatusCode: 200 });
  });

  it('mails the member through SES when its feed dies, and again when it recovers', async () => {
    await seedMembers(t.store, '2026-01-01T00:00:00.000Z');
    const ilo = (await t.store.getMember('ilo'))!;
    await t.store.saveMember({ ...ilo, email: 'feeds@ilo.example' });
    await t.store.createFeed(feed('f-dying', server.url('/gone.xml'), { memberId: 'ilo', status: 'error', consecutiveErrors: DEAD_AFTER_ERRORS - 1, errorsSince: '2026-01-01T00:00:00.000Z' }));
    const event = (id: string, force = false): SQSEvent => sqsEvent([{ MessageId: id, ReceiptHandle: 'r', Body: encodePollMessage({ feedId: 'f-dying', force }) }], t.pollQueueArn);
    const out = captureOutput();
    try {
      expect((await handler(event('m-dies'))).batchItemFailures).toEqual([]);
    } finally {
      out.restore();
    }
    expect(await t.store.getFeed('f-dying')).toMatchObject({ status: 'dead', deadNoticeAt: expect.any(String) });
    expect(ses.sent).toHaveLength(1);
    expect(ses.sent[0]!.to).toEqual(['feeds@ilo.example']);
    const dead = parseMail(ses.sent[0]!.raw);
    expect(dead.subject).toContain('has stopped working');
    expect(dead.text).toContain('https://hub.example.org/api/feeds/f-dying');
    // No address reaches the logs.
    expect(JSON.stringify(out.records())).not.toContain('feeds@ilo.example');

    await t.store.saveFeed({ ...(await t.store.getFeed('f-dying'))!, url: server.url('/good.xml') });
    const again = captureOutput();
    try {
      expect((await handler(event('m-recovers', true))).batchItemFailures).toEqual([]);
    } finally {
      again.restore();
    }
    expect(await t.store.getFeed('f-dying')).toMatchObject({ status: 'ok', consecutiveErrors: 0 });
    expect(ses.sent).toHaveLength(2);
    expect(parseMail(ses.sent[1]!.raw).subject).toBe('[ICAT hub] Your feed "UNODC news" works again');
  });
});
