// The two alert Lambda functions, invoked as Lambda would: the worker with an SQSEvent built from
// messages really received from the alerts queue, the digest function with a scheduled event; against
// dynalite, fauxqs, and an SES v2 stand-in on loopback that records what would have been sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { ScheduledEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubscriptionStore } from '../../shared/adapters/dynamo/subscription-store.ts';
import { latestDigestTime } from '../../shared/alerts/delivery-schedule.ts';
import { TokenService } from '../../shared/alerts/tokens.ts';
import type { Subscription, SubscriptionStore } from '../../shared/ports/subscriptions.ts';
import { captureOutput, drain, sqsEvent, startLambdaTestEnv, type LambdaTestEnv } from '../functions/harness.ts';
import { parseMail, type ReceivedMail } from '../helpers/smtp.ts';

const SECRET = 'lambda-alerts-test-secret-0123456789abcdef';
let t: LambdaTestEnv;
let ses: http.Server;
const sent: { to: string[]; mail: ReceivedMail }[] = [];
let sesDown = false;
let queue: { url: string; arn: string };
let store: SubscriptionStore;
let worker: (event: SQSEvent) => Promise<SQSBatchResponse>;
let digest: (event: Partial<ScheduledEvent>) => Promise<{ digests: { mailed: number } }>;

const announcement = (id: string, title: string) => JSON.stringify({ id, title, link: `https://www.unodc.org/${id}`, summary: 'About it.', published: '2026-11-02T09:00:00.000Z', members: ['unodc'], categories: ['Research'], language: 'en', enclosures: [], first_seen: new Date().toISOString() });

async function subscriber(email: string, over: Partial<Subscription> = {}): Promise<Subscription> {
  const at = new Date().toISOString();
  const sub: Subscription = {
    id: await new TokenService(() => SECRET).addressId(email), email, status: 'active', frequency: 'instant', gen: 'g1', createdAt: at, updatedAt: at, confirmedAt: at, recentAlerts: [], rev: 1,
    filters: { members: ['unodc'], categories: [], languages: [], keywords: [] }, ...over,
  };
  await store.createSubscription(sub);
  return sub;
}

async function invokeWorker(bodies: string[]): Promise<{ result: SQSBatchResponse; ids: string[] }> {
  for (const body of bodies) await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body }));
  const messages = await drain(t.sqs, queue.url);
  expect(messages).toHaveLength(bodies.length);
  const out = captureOutput();
  try {
    return { result: await worker(sqsEvent(messages, queue.arn)), ids: bodies.map((b) => messages.find((m) => m.Body === b)!.MessageId!) };
  } finally {
    out.restore();
  }
}

beforeAll(async () => {
  t = await startLambdaTestEnv();
  ses = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (sesDown) return void res.writeHead(503, { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceUnavailable' }).end('{"message":"down"}');
      const request = JSON.parse(body) as { Destination: { ToAddresses: string[] }; Content: { Raw: { Data: string } } };
      sent.push({ to: request.Destination.ToAddresses, mail: parseMail(Buffer.from(request.Content.Raw.Data, 'base64').toString('utf8').replace(/\r?\n/g, '\r\n')) });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ MessageId: `ses-${sent.length}` }));
    });
  });
  await new Promise<void>((resolve) => ses.listen(0, '127.0.0.1', resolve));
  const url = (await t.sqs.send(new CreateQueueCommand({ QueueName: 'alerts' }))).QueueUrl!;
  queue = { url, arn: (await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn! };
  Object.assign(process.env, t.env, {
    TOKEN_SECRET: SECRET,
    SES_ENDPOINT: `http://127.0.0.1:${(ses.address() as AddressInfo).port}`,
    ALERTS_QUEUE_URL: queue.url,
    ALERTS_RETRY_BASE: '1',
    MAIL_FROM: 'ICAT publication alerts <alerts@hub.example.org>',
  });
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  store = createSubscriptionStore(new DynamoDBClient({ region: 'us-east-1', endpoint: t.env.DYNAMODB_ENDPOINT, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }), t.env.TABLE_NAME!);
  ({ handler: worker } = await import('../../functions/alerts-worker.ts'));
  ({ handler: digest } = await import('../../functions/alerts-digest.ts'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => ses?.close(() => resolve()));
  await t?.stop();
});

describe('alerts worker function', () => {
  it('mails matching subscribers through SES once, and reports only messages it could not handle', async () => {
    await subscriber('reader@example.org');
    const { result, ids } = await invokeWorker([announcement('p1', 'Global Report on Trafficking in Persons 2026'), 'not json']);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: ids[1] }]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toEqual(['reader@example.org']);
    expect(sent[0]!.mail.subject).toBe('[ICAT] UNODC: Global Report on Trafficking in Persons 2026');
    expect(sent[0]!.mail.headers.get('list-unsubscribe')).toMatch(/^<https:\/\/hub\.example\.org\/unsubscribe\?token=u\.[\w.-]+>, <mailto:alerts@hub\.example\.org\?subject=unsubscribe>$/);
    // Redelivered: nothing goes twice.
    expect((await invokeWorker([announcement('p1', 'Global Report on Trafficking in Persons 2026')])).result.batchItemFailures).toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it('puts messages back, delayed, while SES is unavailable, instead of failing them', async () => {
    sesDown = true;
    let result: SQSBatchResponse;
    try {
      ({ result } = await invokeWorker([announcement('p2', 'Toolkit for prosecutors')]));
    } finally {
      sesDown = false;
    }
    expect(result.batchItemFailures).toEqual([]);
    const attrs = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }));
    expect(attrs.Attributes?.ApproximateNumberOfMessagesDelayed).toBe('1');
    expect(sent).toHaveLength(1);
  });

  it('suspends a subscription on an SES permanent bounce notification', async () => {
    const sub = await subscriber('gone@example.org');
    const bounce = JSON.stringify({ notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'gone@example.org' }] }, mail: { destination: ['gone@example.org'] } });
    expect((await invokeWorker([bounce])).result.batchItemFailures).toEqual([]);
    expect(await store.getSubscription(sub.id)).toMatchObject({ status: 'suspended', suspendedReason: 'bounce' });
  });
});

describe('a burst over several Lambda batches', () => {
  it('goes as one rollup mail, from the hold the batches share, when the digest function runs', async () => {
    const sub = await subscriber('ilo-reader@example.org', { filters: { members: ['ilo'], categories: [], languages: [], keywords: [] } });
    const body = (i: number) => JSON.stringify({ id: `ilo-${i}`, title: `ILO paper ${i}`, link: `https://www.ilo.org/${i}`, summary: null, published: '2026-11-02T09:00:00.000Z', members: ['ilo'], categories: [], language: 'en', enclosures: [], first_seen: new Date().toISOString() });
    // Three batches of the event source (batchSize 100), as Lambda hands a burst of 300 over.
    for (let b = 0; b < 3; b += 1) {
      const bodies = new Set(Array.from({ length: 100 }, (_, i) => body(b * 100 + i)));
      for (const m of bodies) await t.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: m }));
      // Only this test's messages (one put back by an earlier test may be due again).
      const messages = (await drain(t.sqs, queue.url)).filter((m) => bodies.has(m.Body!));
      expect(messages).toHaveLength(100);
      const out = captureOutput();
      try {
        expect((await worker(sqsEvent(messages, queue.arn))).batchItemFailures).toEqual([]);
      } finally {
        out.restore();
      }
    }
    expect(sent.filter((s) => s.to[0] === 'ilo-reader@example.org')).toHaveLength(0);
    const held = (await store.getSubscription(sub.id))!;
    expect(held.heldUntil).toBeDefined();
    expect(await store.listHeld(sub.id)).toHaveLength(300);
    // The gathering time has passed (set in the store rather than waited for).
    expect(await store.saveSubscription({ ...held, heldUntil: new Date(Date.now() - 1000).toISOString() })).toBe(true);
    const out = captureOutput();
    try {
      await digest({ time: new Date().toISOString() });
      await digest({ time: new Date().toISOString() });
    } finally {
      out.restore();
    }
    const mails = sent.filter((s) => s.to[0] === 'ilo-reader@example.org');
    expect(mails.map((m) => m.mail.subject)).toEqual(['[ICAT] 300 new publications from ILO']);
  }, 120_000);
});

describe('alerts digest function', () => {
  it('sends the digests that are due', async () => {
    const due = latestDigestTime('daily', new Date(Date.now() - 120_000));
    const previous = new Date(due.getTime() - 86_400_000);
    await subscriber('daily@example.org', { frequency: 'daily', lastDigestAt: previous.toISOString(), nextDigestAt: due.toISOString() });
    await store.logAnnouncements([{ id: 'pd', title: 'Handbook on victim identification', members: ['unodc'], categories: [], enclosures: [], firstSeen: previous.toISOString() }], new Date(due.getTime() - 3_600_000).toISOString());
    const out = captureOutput();
    let result;
    try {
      result = await digest({ time: new Date().toISOString() });
    } finally {
      out.restore();
    }
    expect(result.digests.mailed).toBe(1);
    const mail = sent.find((s) => s.to[0] === 'daily@example.org')!.mail;
    expect(mail.subject).toMatch(/^\[ICAT\] Daily digest, \d{1,2} \w+ \d{4}: 1 new publication$/);
    expect(mail.text).toContain('Handbook on victim identification');
  });
});
