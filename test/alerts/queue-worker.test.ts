// One batch of the alerts queue through the use case and the SQS adapter, against fauxqs, dynalite and
// an SMTP server on loopback: what is deleted, retried, put back while the mail server is down, and
// what the admin sees in the dead-letter queue.
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsAlertQueue } from '../../shared/adapters/mail/alerts-queue.ts';
import { SmtpMailer } from '../../shared/adapters/mail/smtp-mailer.ts';
import { MailHealth, retryDelaySeconds, type AlertsContext } from '../../shared/alerts/context.ts';
import { processAlertRecords, requeueUnavailable } from '../../shared/alerts/worker.ts';
import { startFauxqs, type EmbeddedMessaging } from '../../local/fauxqs.ts';
import { ATTEMPT_ATTRIBUTE } from '../../shared/ports/mailer.ts';
import { startTestDynamo, type DynamoTestContext } from '../helpers/dynamo.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { testAlertsContext } from '../helpers/alerts-context.ts';

let db: DynamoTestContext;
let smtp: TestSmtpServer;
let messaging: EmbeddedMessaging;
let sqs: SQSClient;
let ctx: AlertsContext;
let queueUrl: string;
let dlqUrl: string;

const announcement = (id: string) => JSON.stringify({ id, title: `Paper ${id}`, link: `https://unodc.example/${id}`, summary: null, published: '2026-11-02T09:00:00.000Z', members: ['unodc'], categories: [], language: 'en', enclosures: [], first_seen: '2026-11-02T09:00:00.000Z' });

beforeAll(async () => {
  db = await startTestDynamo();
  smtp = await startSmtpServer();
  messaging = await startFauxqs();
  sqs = new SQSClient({ region: 'us-east-1', endpoint: messaging.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'alerts-dlq' }))).QueueUrl!;
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'alerts', Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) } }))).QueueUrl!;
  ctx = testAlertsContext({ db, smtpUrl: smtp.url, from: 'alerts@hub.example', queue: new SqsAlertQueue(sqs, queueUrl, dlqUrl) });
  const at = new Date().toISOString();
  await ctx.subscriptions.createSubscription({
    id: await ctx.tokens.addressId('reader@example.org'), email: 'reader@example.org', status: 'active', frequency: 'instant', gen: 'g', createdAt: at, updatedAt: at, recentAlerts: [], rev: 1,
    filters: { members: [], categories: [], languages: [], keywords: [] },
  });
});

afterAll(async () => {
  (ctx?.mailer as SmtpMailer | undefined)?.close();
  sqs?.destroy();
  await messaging?.stop();
  await smtp?.stop();
  await db?.teardown();
});

describe('retry delays while the mail service is down', () => {
  it('double from the base up to 15 minutes', () => {
    expect([0, 1, 2, 3, 10, 50].map((n) => retryDelaySeconds(30, n))).toEqual([30, 60, 120, 240, 900, 900]);
    expect(retryDelaySeconds(1, 0)).toBe(1);
  });
});

describe('a batch of the alerts queue', () => {
  it('deletes what was mailed and retries what is not an announcement', async () => {
    const outcomes = await processAlertRecords(ctx, [
      { id: 'm1', body: announcement('p1'), attempt: 0 },
      { id: 'm2', body: 'not json', attempt: 0 },
      { id: 'm3', body: JSON.stringify({ hello: 'world' }), attempt: 0 },
      { id: 'm4', body: announcement('p1'), attempt: 0 },
      // Without raw message delivery: the announcement inside an SNS envelope.
      { id: 'm5', body: JSON.stringify({ Type: 'Notification', MessageId: 'x', Message: announcement('p0') }), attempt: 0 },
    ]);
    expect(Object.fromEntries([...outcomes].map(([id, o]) => [id, o.kind]))).toEqual({ m1: 'done', m2: 'retry', m3: 'retry', m4: 'done', m5: 'done' });
    expect(smtp.to('reader@example.org').map((m) => m.subject).sort()).toEqual(['[ICAT] UNODC: Paper p0', '[ICAT] UNODC: Paper p1']);
  });

  it('puts messages back, delayed, while the mail server is down, without counting receives', async () => {
    await smtp.stop();
    let outcomes;
    const records = [{ id: 'm5', body: announcement('p2'), attempt: 0 }];
    try {
      outcomes = await processAlertRecords(ctx, records);
    } finally {
      await smtp.start();
    }
    expect(outcomes.get('m5')).toEqual({ kind: 'unavailable', attempt: 1, delaySeconds: 1 });
    expect(await requeueUnavailable(ctx, ctx.queue!, records, outcomes)).toEqual(new Set(['m5']));
    expect(ctx.health.deferredMessages).toBe(1);
    expect((await ctx.queue!.depth()).queue).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
    // Back after its delay as a new message that carries the attempt count and has never been received.
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    const back = out.Messages![0]!;
    expect(back.Body).toBe(announcement('p2'));
    expect(back.MessageAttributes?.[ATTEMPT_ATTRIBUTE]?.StringValue).toBe('1');
    expect(back.Attributes?.ApproximateReceiveCount).toBe('1');
  });

  it('shows messages that kept failing in the dead-letter queue, and moves them back on request', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"broken": true}' }));
    for (let i = 0; i < 3; i += 1) await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 0, MaxNumberOfMessages: 10 }));
    const dead = await ctx.queue!.listDeadLetters(10);
    expect(dead.total).toBeGreaterThanOrEqual(1);
    expect(dead.items.some((d) => d.receiveCount !== undefined && d.sentAt !== undefined)).toBe(true);
    expect(await ctx.queue!.redriveDeadLetters(10)).toBe(dead.items.length);
    expect((await ctx.queue!.depth()).deadLetters).toBe(0);
  });
});
