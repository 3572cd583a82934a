// The AWS side of a Lambda function, on loopback: dynalite (the table), fauxqs (the topic, the poll
// queue and a queue subscribed to the topic to see announcements), and a Secrets Manager stand-in that
// speaks the service's JSON protocol. `env` is what the stack gives the functions, pointed here.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSEvent } from 'aws-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { createDynamoStore } from '../../shared/adapters/dynamo/index.ts';
import { toSqsEvent } from '../../local/event-sources.ts';
import { startFauxqs } from '../../local/fauxqs.ts';
import type { Feed } from '../../shared/model.ts';
import type { HubStore } from '../../shared/ports/store.ts';
import { startTestDynamo } from '../helpers/dynamo.ts';

export const ADMIN_TOKEN = 'lambda-test-admin-token-0123456789';
export const ADMIN_TOKEN_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:icat-hub-admin-token-AbCdEf';
export const SIGNING_KEY_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:icat-hub-token-signing-key-GhIjKl';
const REGION = 'us-east-1';
const LOCAL = { region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

export interface SecretsStandIn {
  endpoint: string;
  /** SecretIds asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Answers GetSecretValue (JSON 1.1 protocol) for the secrets it holds; ResourceNotFound for others. */
export async function startSecretsStandIn(secrets: Record<string, string>): Promise<SecretsStandIn> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const id = (JSON.parse(body || '{}') as { SecretId?: string }).SecretId ?? '';
      requests.push(id);
      const value = secrets[id];
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target !== 'secretsmanager.GetSecretValue' || value === undefined) {
        res.writeHead(400).end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'Secrets Manager can\'t find the specified secret.' }));
        return;
      }
      res.writeHead(200).end(JSON.stringify({ ARN: id, Name: id.split(':').pop(), SecretString: value, VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: 1_700_000_000 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface LambdaTestEnv {
  env: Record<string, string>;
  store: HubStore;
  sqs: SQSClient;
  pollQueueUrl: string;
  pollQueueArn: string;
  /** Receives every announcement published on the topic (raw message delivery). */
  announcementsQueueUrl: string;
  secrets: SecretsStandIn;
  stop(): Promise<void>;
}

export async function startLambdaTestEnv(): Promise<LambdaTestEnv> {
  const dynamo = await startTestDynamo();
  const messaging = await startFauxqs();
  const secrets = await startSecretsStandIn({ [ADMIN_TOKEN_ARN]: ADMIN_TOKEN, [SIGNING_KEY_ARN]: 'lambda-test-signing-key-0123456789abcdef0123456789' });
  const sqs = new SQSClient({ ...LOCAL, endpoint: messaging.endpoint });
  const sns = new SNSClient({ ...LOCAL, endpoint: messaging.endpoint });
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'publications' }))).TopicArn!;
  const queue = async (name: string) => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    return { url, arn };
  };
  const poll = await queue('poll');
  const announcements = await queue('announcements');
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: announcements.arn, Attributes: { RawMessageDelivery: 'true' } }));
  sns.destroy();

  const env: Record<string, string> = {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    TABLE_NAME: dynamo.tableName,
    TOPIC_ARN: topicArn,
    POLL_QUEUE_URL: poll.url,
    ADMIN_TOKEN_SECRET_ARN: ADMIN_TOKEN_ARN,
    TOKEN_SIGNING_KEY_SECRET_ARN: SIGNING_KEY_ARN,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    SNS_ENDPOINT: messaging.endpoint,
    SQS_ENDPOINT: messaging.endpoint,
    SECRETS_MANAGER_ENDPOINT: secrets.endpoint,
    ALLOW_PRIVATE_NETWORKS: '127.0.0.1/32',
    FETCH_TIMEOUT: '5s',
    PUBLIC_URL: 'https://hub.example.org',
    POWERTOOLS_SERVICE_NAME: 'icat-hub-test',
    POWERTOOLS_METRICS_NAMESPACE: 'IcatHub',
    LOG_LEVEL: 'info',
  };
  return {
    env,
    store: createDynamoStore(dynamo.client, dynamo.tableName),
    sqs,
    pollQueueUrl: poll.url,
    pollQueueArn: poll.arn,
    announcementsQueueUrl: announcements.url,
    secrets,
    async stop() {
      sqs.destroy();
      await secrets.close();
      await messaging.stop();
      await dynamo.teardown();
    },
  };
}

/** Every message currently visible on a queue (a few receives, ten at a time). */
export async function drain(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'] }));
    if (!out.Messages || out.Messages.length === 0) return all;
    all.push(...out.Messages);
  }
}

/** The SQSEvent Lambda's event source mapping builds from received messages (the local mapping's builder). */
export function sqsEvent(messages: Message[], queueArn: string): SQSEvent {
  return toSqsEvent(messages, queueArn);
}

export function feed(id: string, url: string, overrides: Partial<Feed> = {}): Feed {
  return { id, memberId: 'unodc', url, status: 'pending', createdAt: '2026-01-01T00:00:00.000Z', consecutiveErrors: 0, nextPollAt: '2026-01-01T00:00:00.000Z', itemsSeen: 0, ...overrides };
}

/** Collects what the function writes (Powertools logs and EMF metrics, on stdout and stderr), parsed as JSON. */
export function captureOutput(): { records(): Record<string, unknown>[]; restore(): void } {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write);
  for (const s of streams) {
    s.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof s.write;
  }
  return {
    records: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => streams.forEach((s, i) => (s.write = originals[i]!)),
  };
}
