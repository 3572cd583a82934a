// Lambda's SQS event source mapping, locally: long-polls a queue of the embedded SQS (fauxqs), gathers
// up to `batchSize` messages for at most `maxBatchingWindowSeconds`, invokes the handler with the
// SQSEvent Lambda would build, deletes every record the handler did not list in `batchItemFailures`
// and leaves the others to come back after the queue's visibility timeout. A handler that throws, or
// that names a record not in the batch, fails the whole batch (as in AWS). Dead-lettering is the
// queue's own: fauxqs applies the RedrivePolicy (maxReceiveCount -> DLQ) when a message is received
// once too often, as SQS does; the queues are made here with the settings the stack gives them
// (shared/topology.ts).
import { randomUUID } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { Logger } from '../shared/log.ts';
import type { QueueTopology } from '../shared/topology.ts';

export type SqsHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse | void>;

export interface HubQueue {
  url: string;
  arn: string;
  deadLetterUrl: string;
  deadLetterArn: string;
}

async function arnOf(sqs: SQSClient, url: string): Promise<string> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return out.Attributes!.QueueArn!;
}

/**
 * A queue and its dead-letter queue `<name>-dlq`, as infra/queues.ts makes them: the visibility
 * timeout, retention and redrive policy of `topology`. `visibilityTimeoutSeconds` may be overridden
 * (tests that wait for a redelivery).
 */
export async function createHubQueue(sqs: SQSClient, name: string, topology: QueueTopology, overrides: { visibilityTimeoutSeconds?: number } = {}): Promise<HubQueue> {
  const deadLetterUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq`, Attributes: { MessageRetentionPeriod: String(14 * 86400) } }))).QueueUrl!;
  const deadLetterArn = await arnOf(sqs, deadLetterUrl);
  const url = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          VisibilityTimeout: String(overrides.visibilityTimeoutSeconds ?? topology.visibilityTimeoutSeconds),
          MessageRetentionPeriod: String(topology.retentionSeconds),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount: topology.maxReceiveCount }),
        },
      }),
    )
  ).QueueUrl!;
  return { url, arn: await arnOf(sqs, url), deadLetterUrl, deadLetterArn };
}

function regionOf(arn: string): string {
  return arn.split(':')[3] || 'us-east-1';
}

function messageAttributes(m: Message): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, a] of Object.entries(m.MessageAttributes ?? {})) {
    out[name] = {
      dataType: (a.DataType ?? 'String') as SQSMessageAttributes[string]['dataType'],
      ...(a.StringValue !== undefined ? { stringValue: a.StringValue } : {}),
      ...(a.BinaryValue !== undefined ? { binaryValue: Buffer.from(a.BinaryValue).toString('base64') } : {}),
      stringListValues: [],
      binaryListValues: [],
    };
  }
  return out;
}

/** The SQSEvent Lambda's event source mapping builds from received messages. */
export function toSqsEvent(messages: Message[], queueArn: string): SQSEvent {
  const region = regionOf(queueArn);
  return {
    Records: messages.map(
      (m): SQSRecord => ({
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body ?? '',
        attributes: {
          ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
          SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
          SenderId: m.Attributes?.SenderId ?? 'local',
          ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
        },
        messageAttributes: messageAttributes(m),
        md5OfBody: m.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: region,
      }),
    ),
  };
}

/** A Lambda context for one local invocation: the function's name and timeout, a fresh request id. */
export function localContext(functionName: string, timeoutSeconds: number, region = 'us-east-1'): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: '0',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export interface EventSourceOptions {
  sqs: SQSClient;
  queue: Pick<HubQueue, 'url' | 'arn'>;
  /** The function's name, for its context and the logs. */
  functionName: string;
  handler: SqsHandler;
  /** Batch size, batching window, concurrent invocations, function timeout (shared/topology.ts). */
  topology: Pick<QueueTopology, 'batchSize' | 'maxBatchingWindowSeconds' | 'maxConcurrency' | 'functionTimeoutSeconds'>;
  log: Logger;
  /** Long-poll wait of one receive; short, so that stopping is quick. Default 2 s. */
  waitSeconds?: number;
  /** Follows each invocation (the hub's graceful stop waits for it). */
  track?: <T>(work: Promise<T>) => Promise<T>;
}

export interface EventSourceStats {
  invocations: number;
  /** Records deleted after the handler succeeded with them. */
  deleted: number;
  /** Records left in the queue (listed in batchItemFailures, or their batch failed). */
  failed: number;
  /** Invocations that threw (their whole batch comes back). */
  errors: number;
}

export interface EventSourceMapping {
  readonly stats: EventSourceStats;
  /** Batches received and not yet handled and deleted (or left to come back). */
  readonly inFlight: number;
  /** Takes no more messages (a long-poll in progress is let finish, at most `waitSeconds`); resolves once the invocations in progress have finished. */
  stop(): Promise<void>;
}

/** Which records to delete: all but the failures; none when the handler names a record not in the batch (Lambda then fails the batch). */
export function recordsToDelete(event: SQSEvent, response: SQSBatchResponse | void): SQSRecord[] | undefined {
  const failures = response?.batchItemFailures ?? [];
  const ids = new Set(event.Records.map((r) => r.messageId));
  const failed = new Set<string>();
  for (const f of failures) {
    if (typeof f.itemIdentifier !== 'string' || !ids.has(f.itemIdentifier)) return undefined;
    failed.add(f.itemIdentifier);
  }
  return event.Records.filter((r) => !failed.has(r.messageId));
}

export function startSqsEventSource(options: EventSourceOptions): EventSourceMapping {
  const { sqs, queue, topology, log, functionName } = options;
  const track = options.track ?? (<T>(work: Promise<T>) => work);
  const stats: EventSourceStats = { invocations: 0, deleted: 0, failed: 0, errors: 0 };
  const controller = new AbortController();
  let stopped = false;
  let inFlight = 0;
  const flog = log.child({ function_name: functionName });

  const receive = async (wait: number, max: number): Promise<Message[]> => {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: Math.max(1, Math.min(10, max)),
        WaitTimeSeconds: wait,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      // Not cut short at a stop: a receive abandoned by the client would still take messages on the
      // queue's side, hiding them for the visibility timeout and counting a receive towards the DLQ.
    );
    return out.Messages ?? [];
  };

  // node:timers/promises drops its abort listener when the timer fires: a long-running hub sleeps here often.
  const sleep = (ms: number): Promise<void> => (stopped ? Promise.resolve() : wait(ms, undefined, { signal: controller.signal }).catch(() => undefined));

  /** Up to batchSize messages: the first long-poll, then more until the batch is full or the window closes. */
  const gather = async (): Promise<Message[]> => {
    const batch = await receive(options.waitSeconds ?? 2, topology.batchSize);
    const deadline = Date.now() + topology.maxBatchingWindowSeconds * 1000;
    while (batch.length > 0 && batch.length < topology.batchSize && !stopped) {
      const more = await receive(0, topology.batchSize - batch.length);
      if (more.length > 0) batch.push(...more);
      else if (Date.now() < deadline) await sleep(Math.min(250, deadline - Date.now()));
      else break;
    }
    return batch;
  };

  const invoke = async (messages: Message[]): Promise<void> => {
    const event = toSqsEvent(messages, queue.arn);
    stats.invocations += 1;
    let toDelete: SQSRecord[] | undefined;
    try {
      const response = await options.handler(event, localContext(functionName, topology.functionTimeoutSeconds, regionOf(queue.arn)));
      toDelete = recordsToDelete(event, response);
      if (!toDelete) flog.error('batchItemFailures names a record not in the batch: the whole batch comes back', { record_count: messages.length });
    } catch (err) {
      stats.errors += 1;
      flog.error('invocation failed: its records come back after the visibility timeout', { record_count: messages.length, error: (err as Error).message });
    }
    const deleting = toDelete ?? [];
    stats.failed += messages.length - deleting.length;
    for (let i = 0; i < deleting.length; i += 10) {
      const entries = deleting.slice(i, i + 10).map((r, n) => ({ Id: `d${n}`, ReceiptHandle: r.receiptHandle }));
      const out = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: entries }));
      stats.deleted += entries.length - (out.Failed?.length ?? 0);
      for (const f of out.Failed ?? []) flog.warn('record handled but not deleted; it will be delivered again', { error_code: f.Code });
    }
  };

  const poller = async () => {
    while (!stopped) {
      try {
        const batch = await gather();
        if (batch.length === 0) continue;
        // Once received, a batch is handed to the function even when the mapping is stopping (the stop waits for it).
        inFlight += 1;
        try {
          await track(invoke(batch));
        } finally {
          inFlight -= 1;
        }
      } catch (err) {
        flog.error('event source mapping: receive failed', { error: (err as Error).message });
        await sleep(1000);
      }
    }
  };
  const pollers = Array.from({ length: Math.max(1, topology.maxConcurrency) }, () => poller());

  return {
    stats,
    get inFlight() {
      return inFlight;
    },
    async stop() {
      stopped = true;
      controller.abort();
      await Promise.all(pollers);
    },
  };
}
