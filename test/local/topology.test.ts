// The local topology runs the Lambda handlers fed real events: the same requests give the same
// answers through the local HTTP server (API Gateway v2 events routed by the stack's route table) as
// through the handlers invoked with recorded events; "poll now" queues the same messages either way;
// then the poll-worker (event source mapping on the poll queue) polls, the publication is announced on
// the topic, and the alerts-worker (mapping on the alerts queue) mails the confirmed subscriber.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubQueue, type HubQueue } from '../../local/event-sources.ts';
import { startFauxqs, type EmbeddedMessaging } from '../../local/fauxqs.ts';
import { loadHandlers, startLambdaTopology, type LambdaHandlers, type LambdaTopology } from '../../local/handler-topology.ts';
import { seedMembers } from '../../shared/app/members.ts';
import { createDynamoStore } from '../../shared/adapters/dynamo/index.ts';
import { createNodeServer } from '../../shared/http/node-adapter.ts';
import { silentLogger } from '../../shared/log.ts';
import { ALERTS_QUEUE, POLL_QUEUE } from '../../shared/topology.ts';
import { drain } from '../functions/harness.ts';
import { httpEvent } from '../functions/http-events.ts';
import { startTestDynamo, type DynamoTestContext } from '../helpers/dynamo.ts';
import { sendBody, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { rss } from '../helpers/hub.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

const ADMIN = 'topology-admin-token-0123456789';
const READER = 'reader@example.org';
const WATCHER = 'watcher@example.org';

let dynamo: DynamoTestContext;
let messaging: EmbeddedMessaging;
let sqs: SQSClient;
let pollQueue: HubQueue;
let alertsQueue: HubQueue;
let smtp: TestSmtpServer;
let feeds: FeedServer;
let topology: LambdaTopology;
let direct: LambdaHandlers;
let server: Server;
let base: string;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  messaging = await startFauxqs();
  const aws = { region: 'us-east-1', endpoint: messaging.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  sqs = new SQSClient(aws);
  const sns = new SNSClient(aws);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'publications' }))).TopicArn!;
  pollQueue = await createHubQueue(sqs, 'poll', POLL_QUEUE);
  alertsQueue = await createHubQueue(sqs, 'alerts', ALERTS_QUEUE);
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: alertsQueue.arn, Attributes: { RawMessageDelivery: 'true' } }));
  sns.destroy();
  smtp = await startSmtpServer();
  feeds = await startFeedServer({ '/news.xml': sendBody(rss('Test org news', [{ guid: 't-1', title: 'Handbook on victim identification', link: 'https://example.org/handbook', date: 'Mon, 02 Nov 2026 09:00:00 GMT' }])) });
  await seedMembers(createDynamoStore(dynamo.client, dynamo.tableName), new Date().toISOString());
  const env = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    TABLE_NAME: dynamo.tableName,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    SNS_ENDPOINT: messaging.endpoint,
    SQS_ENDPOINT: messaging.endpoint,
    TOPIC_ARN: topicArn,
    PUBLIC_URL: 'https://hub.example.org',
    ADMIN_TOKEN: ADMIN,
    TOKEN_SECRET: 'topology-token-secret-0123456789abcdef0123456789',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'ICAT publication alerts <alerts@hub.example.org>',
    ALLOW_PRIVATE_NETWORKS: '127.0.0.1/32',
    FETCH_TIMEOUT: '5s',
    LOG_LEVEL: 'error',
  };
  topology = await startLambdaTopology({ env, sqs, pollQueue, alertsQueue, pollEverySeconds: 3600, consumers: false, alertsBatchWindowSeconds: 0, log: silentLogger });
  // The same functions in another execution environment, invoked with recorded events.
  direct = await loadHandlers({ ...env, POLL_QUEUE_URL: pollQueue.url, ALERTS_QUEUE_URL: alertsQueue.url, ALERTS_DLQ_URL: alertsQueue.deadLetterUrl, POWERTOOLS_METRICS_DISABLED: 'true' });
  server = createNodeServer(topology.http);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await topology?.stop();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await smtp?.stop();
  await feeds?.close();
  sqs?.destroy();
  await messaging?.stop();
  await dynamo?.teardown();
});

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify(body) });
/** Volatile parts of a page: the CSP nonce and the request id. */
const stable = (html: string) => html.replace(/nonce-[A-Za-z0-9+/=_-]+|nonce="[^"]+"/g, 'nonce');

describe('local topology: the Lambda handlers behind the local HTTP server', () => {
  it('serves the same page, JSON and feed as the handlers invoked with recorded events', async () => {
    for (const [path, fn] of [['/', 'web'], ['/api/members', 'api'], ['/feeds/all.atom', 'feeds'], ['/members', 'web']] as const) {
      const viaHub = await fetch(base + path, { headers: { accept: 'text/html' } });
      const viaEvent = await direct.http[fn](httpEvent('GET', path, { headers: { accept: 'text/html' } }));
      const hubBody = await viaHub.text();
      expect(typeof viaEvent === 'object' && viaEvent.statusCode, path).toBe(viaHub.status);
      if (typeof viaEvent !== 'object') throw new Error('structured result expected');
      expect(viaEvent.headers?.['content-type'], path).toBe(viaHub.headers.get('content-type'));
      expect(stable(viaEvent.body ?? ''), path).toBe(stable(hubBody));
    }
  });

  it('mails the same confirmation for a subscription through either', async () => {
    const viaHub = await fetch(`${base}/api/subscriptions`, { ...json({ email: READER, frequency: 'instant' }), headers: { 'content-type': 'application/json' } });
    const viaEvent = await direct.http['alerts-api'](httpEvent('POST', '/api/subscriptions', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: WATCHER, frequency: 'instant' }) }));
    expect(viaHub.status).toBe(202);
    expect(typeof viaEvent === 'object' && viaEvent.statusCode).toBe(202);
    expect(typeof viaEvent === 'object' && viaEvent.body).toBe(await viaHub.text());
    await smtp.waitFor((m) => m.length >= 2, 10_000, 'two confirmation mails');
    const [reader, watcher] = [smtp.to(READER)[0]!, smtp.to(WATCHER)[0]!];
    expect(reader.subject).toBe(watcher.subject);
    const link = (text: string) => /https:\/\/hub\.example\.org(\/subscriptions\/confirm\?token=[\w.-]+)/.exec(text)![1]!;
    expect(reader.text.replace(link(reader.text), 'LINK')).toBe(watcher.text.replace(link(watcher.text), 'LINK'));
    // The reader confirms through the local hub.
    const confirmed = await fetch(base + link(reader.text));
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Your alerts are confirmed');
  });

  it('queues the same poll messages for "poll now" through either', async () => {
    const member = (await (await fetch(`${base}/api/members`, json({ id: 'testorg', name: 'Test org', email: 'feeds@testorg.example', domains: ['127.0.0.1'] }))).json()) as { api_key: string };
    const feed = await fetch(`${base}/api/feeds`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${member.api_key}` }, body: JSON.stringify({ url: feeds.url('/news.xml') }) });
    expect(feed.status).toBe(201);

    const viaEvent = await direct.http.api(httpEvent('POST', '/api/poll', { headers: { authorization: `Bearer ${ADMIN}` } }));
    const queuedByEvent = await drain(sqs, pollQueue.url);
    for (const m of queuedByEvent) await sqs.send(new DeleteMessageCommand({ QueueUrl: pollQueue.url, ReceiptHandle: m.ReceiptHandle! }));
    const viaHub = await fetch(`${base}/api/poll`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
    const queuedByHub = await drain(sqs, pollQueue.url);
    // Offered again at once, for the poll worker below.
    for (const m of queuedByHub) await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: pollQueue.url, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));

    expect(viaHub.status).toBe(202);
    expect(typeof viaEvent === 'object' && viaEvent.statusCode).toBe(202);
    expect(typeof viaEvent === 'object' && JSON.parse(viaEvent.body!)).toEqual(await viaHub.json());
    expect(queuedByHub.map((m) => m.Body).sort()).toEqual(queuedByEvent.map((m) => m.Body).sort());
    expect(queuedByHub.map((m) => JSON.parse(m.Body!))).toContainEqual({ feedId: expect.any(String), force: true });
  });

  it('polls through the poll queue and mails the alert through the alerts queue', async () => {
    topology.startConsumers();
    const alert = await smtp.waitFor((m) => m.some((x) => x.to.includes(READER) && x.subject.includes('Handbook on victim identification')), 20_000, 'the alert mail');
    expect(alert.filter((m) => m.to.includes(READER) && m.subject.includes('Handbook'))).toHaveLength(1);
    // The watcher never confirmed: nothing but the confirmation.
    expect(smtp.to(WATCHER)).toHaveLength(1);
    // (The merged feeds are kept a minute by the feeds function, as in AWS: the API shows it at once.)
    const publications = await (await fetch(`${base}/api/publications`)).text();
    expect(publications).toContain('Handbook on victim identification');
    expect(topology.mappings.every((m) => m.stats.errors === 0 && m.stats.failed === 0)).toBe(true);
    expect(await drain(sqs, alertsQueue.deadLetterUrl)).toEqual([]);
  });
});
