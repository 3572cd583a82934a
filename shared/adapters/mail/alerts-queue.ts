// The SQS side of alerts: putting a message back with a delay while the mail service is down, and the
// dead-letter queue as the admin sees it (listed, and moved back once the cause is fixed).
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ATTEMPT_ATTRIBUTE, type AlertQueue, type DeadLetter, type QueueDepth, type RequeuedMessage } from '../../ports/mailer.ts';

const BATCH = 10;

function describe(m: Message): DeadLetter {
  const out: DeadLetter = { messageId: m.MessageId ?? '' };
  try {
    const body = JSON.parse(m.Body ?? '') as { id?: unknown; title?: unknown };
    if (typeof body.id === 'string') out.publicationId = body.id;
    if (typeof body.title === 'string') out.title = body.title.slice(0, 200);
  } catch {
    // not JSON: listed by id only
  }
  const sent = Number(m.Attributes?.SentTimestamp);
  if (Number.isFinite(sent) && sent > 0) out.sentAt = new Date(sent).toISOString();
  const count = Number(m.Attributes?.ApproximateReceiveCount);
  if (Number.isFinite(count)) out.receiveCount = count;
  return out;
}

export class SqsAlertQueue implements AlertQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly deadLetterUrl?: string,
  ) {}

  async requeue(messages: RequeuedMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += BATCH) {
      const batch = messages.slice(i, i + BATCH);
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((m, n) => ({
            Id: `m${n}`,
            MessageBody: m.body,
            DelaySeconds: Math.max(0, Math.min(900, Math.round(m.delaySeconds))),
            MessageAttributes: { [ATTEMPT_ATTRIBUTE]: { DataType: 'Number', StringValue: String(m.attempt) } },
          })),
        }),
      );
      if ((out.Failed ?? []).length > 0) throw new Error(`SQS refused ${out.Failed!.length} of ${batch.length} messages: ${out.Failed![0]!.Message ?? out.Failed![0]!.Code}`);
    }
  }

  private async receiveDead(limit: number, visibility: number): Promise<Message[]> {
    if (!this.deadLetterUrl) return [];
    const seen = new Map<string, Message>();
    for (let round = 0; round < Math.ceil(limit / BATCH) + 1 && seen.size < limit; round += 1) {
      const out = await this.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: this.deadLetterUrl, MaxNumberOfMessages: Math.min(BATCH, limit - seen.size), VisibilityTimeout: visibility, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
      );
      const fresh = (out.Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
      if (fresh.length === 0) break;
      for (const m of fresh) seen.set(m.MessageId!, m);
    }
    return [...seen.values()];
  }

  async listDeadLetters(limit: number) {
    const depth = await this.depth();
    // Received with no visibility timeout: they stay in the dead-letter queue, visible (a redrive can follow at once).
    const messages = await this.receiveDead(limit, 0);
    return { total: depth.deadLetters, items: messages.map(describe) };
  }

  async redriveDeadLetters(limit: number): Promise<number> {
    const messages = await this.receiveDead(limit, 60);
    let moved = 0;
    for (let i = 0; i < messages.length; i += BATCH) {
      const batch = messages.slice(i, i + BATCH);
      const sent = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batch.map((m, n) => ({ Id: `m${n}`, MessageBody: m.Body ?? '' })) }));
      const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
      const done = batch.filter((_m, n) => ok.has(`m${n}`));
      if (done.length > 0) {
        await this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.deadLetterUrl, Entries: done.map((m, n) => ({ Id: `d${n}`, ReceiptHandle: m.ReceiptHandle! })) }));
      }
      moved += done.length;
    }
    return moved;
  }

  async depth(): Promise<{ queue: QueueDepth; deadLetters: number }> {
    const attrs = async (url: string) =>
      (await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }))).Attributes ?? {};
    const [main, dead] = await Promise.all([attrs(this.queueUrl), this.deadLetterUrl ? attrs(this.deadLetterUrl) : Promise.resolve({} as Record<string, string>)]);
    const n = (v: string | undefined) => Number(v ?? 0) || 0;
    return {
      queue: { visible: n(main.ApproximateNumberOfMessages), inFlight: n(main.ApproximateNumberOfMessagesNotVisible), delayed: n(main.ApproximateNumberOfMessagesDelayed) },
      deadLetters: n(dead.ApproximateNumberOfMessages),
    };
  }
}
