// The alerts worker of the local hub: long-polls the `alerts` queue, gathers announcements for
// ALERTS_BATCH_WINDOW (so a member's burst is matched as one), hands them to the same use case the
// Lambda function runs, and deletes, retries or puts back each message by its outcome. While the mail
// service is down it stops taking messages for the retry delay; nothing is lost, nothing counts towards
// the dead-letter queue. A timer sends held burst alerts and due digests every ALERTS_TICK.
import { ChangeMessageVisibilityCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { setTimeout as wait } from 'node:timers/promises';
import { retryDelaySeconds } from '../shared/alerts/context.ts';
import { runAlertsTick } from '../shared/alerts/digest.ts';
import { processAlertRecords, requeueUnavailable, type QueueRecord } from '../shared/alerts/worker.ts';
import { ATTEMPT_ATTRIBUTE } from '../shared/ports/mailer.ts';
import type { LocalAlerts } from './local-alerts.ts';

export interface AlertsWorkerOptions {
  batchWindowSeconds: number;
  tickSeconds: number;
  /** Long-poll wait of one receive; short, so that stopping is quick. */
  waitSeconds?: number;
  maxBatch?: number;
}

export interface AlertsWorker {
  /** Resolves once the batch and the tick in progress are done. */
  stop(): Promise<void>;
}

const MAX_BATCH = 100;

async function receive(alerts: LocalAlerts, waitSeconds: number, max: number, signal?: AbortSignal): Promise<Message[]> {
  const out = await alerts.sqs.send(
    // SQS takes 1 to 10 messages per receive.
    new ReceiveMessageCommand({ QueueUrl: alerts.queueUrl, MaxNumberOfMessages: Math.max(1, Math.min(10, max)), WaitTimeSeconds: waitSeconds, MessageSystemAttributeNames: ['ApproximateReceiveCount'], MessageAttributeNames: [ATTEMPT_ATTRIBUTE] }),
    signal ? { abortSignal: signal } : {},
  );
  return out.Messages ?? [];
}

/** What is in the queue now, up to `max` messages, without waiting for more. */
async function receiveAvailable(alerts: LocalAlerts, max: number, signal?: AbortSignal): Promise<Message[]> {
  const batch: Message[] = [];
  while (batch.length < max) {
    const more = await receive(alerts, 0, max - batch.length, signal);
    if (more.length === 0) break;
    batch.push(...more);
  }
  return batch;
}

/** Counts a problem the worker got past, and says what it cost. */
function noteFailure(alerts: LocalAlerts, kind: keyof LocalAlerts['failures'], message: string, fields: Record<string, unknown>): void {
  alerts.failures[kind] += 1;
  alerts.ctx.log.warn(message, { ...fields, failure_count: alerts.failures[kind] });
}

/**
 * Runs one batch and settles each message by its outcome: deleted, put back (mail service down), or
 * left to come back after a growing visibility timeout. Returns how long to pause taking messages.
 */
export async function settleBatch(alerts: LocalAlerts, messages: Message[]): Promise<number> {
  const { ctx, sqs, queueUrl } = alerts;
  const records: QueueRecord[] = messages.map((m) => ({ id: m.MessageId!, body: m.Body ?? '', attempt: Number(m.MessageAttributes?.[ATTEMPT_ATTRIBUTE]?.StringValue ?? 0) || 0 }));
  const outcomes = await processAlertRecords(ctx, records);
  const requeued = ctx.queue ? await requeueUnavailable(ctx, ctx.queue, records, outcomes) : new Set<string>();
  const finished = messages.filter((m) => outcomes.get(m.MessageId!)?.kind === 'done' || requeued.has(m.MessageId!));
  for (let i = 0; i < finished.length; i += 10) {
    const entries = finished.slice(i, i + 10).map((m, n) => ({ Id: `d${n}`, ReceiptHandle: m.ReceiptHandle! }));
    const out = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    // Not deleted: the message comes back after its visibility timeout, and is matched again (the
    // delivery records keep anyone from getting a mail twice).
    for (const f of out.Failed ?? []) noteFailure(alerts, 'notDeleted', 'alerts message handled but not deleted; it will be handled again', { error_code: f.Code, error: f.Message });
  }
  let pause = 0;
  for (const m of messages) {
    const o = outcomes.get(m.MessageId!);
    if (!o || o.kind === 'done' || requeued.has(m.MessageId!)) continue;
    // Back off before the queue offers it again: doubling with each receive, at most 15 minutes.
    const receives = Number(m.Attributes?.ApproximateReceiveCount ?? 1) || 1;
    const delay = o.kind === 'unavailable' ? o.delaySeconds : retryDelaySeconds(ctx.retryBaseSeconds, receives - 1);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: delay })).catch((err: unknown) =>
      // Lost: the back-off. The message comes back after the queue's own visibility timeout instead.
      noteFailure(alerts, 'notDelayed', 'alerts message not delayed; it comes back after the queue visibility timeout', { message_id: m.MessageId, delay_seconds: delay, error: (err as Error).message }),
    );
  }
  for (const o of outcomes.values()) if (o.kind === 'unavailable') pause = Math.max(pause, o.delaySeconds);
  return pause;
}

/**
 * Hands what is waiting in the queue to the mailer, without waiting for more: run when the runtime
 * stops, so that announcements of a one-off `icat-hub poll` (no worker running) are mailed too. Stops
 * at the first sign the mail service is down; what is left then waits in the queue.
 */
export async function drainAlertsQueue(alerts: LocalAlerts, maxBatches = 50): Promise<number> {
  let handled = 0;
  for (let i = 0; i < maxBatches; i += 1) {
    const batch = await receiveAvailable(alerts, MAX_BATCH);
    if (batch.length === 0) return handled;
    handled += batch.length;
    if ((await settleBatch(alerts, batch)) > 0) return handled;
  }
  return handled;
}

export function startAlertsWorker(alerts: LocalAlerts, options: AlertsWorkerOptions): AlertsWorker {
  const { ctx } = alerts;
  const controller = new AbortController();
  let stopped = false;
  // node:timers/promises drops its abort listener when the timer fires: a long-running hub sleeps here often.
  const sleep = (ms: number): Promise<void> => (stopped ? Promise.resolve() : wait(ms, undefined, { signal: controller.signal }).catch(() => undefined));
  const maxBatch = options.maxBatch ?? MAX_BATCH;

  const gather = async (): Promise<Message[]> => {
    const batch = await receive(alerts, options.waitSeconds ?? 2, maxBatch, controller.signal);
    const deadline = Date.now() + options.batchWindowSeconds * 1000;
    while (batch.length > 0 && batch.length < maxBatch && !stopped && Date.now() < deadline) {
      const more = await receive(alerts, 0, maxBatch - batch.length, controller.signal);
      if (more.length > 0) batch.push(...more);
      else await sleep(Math.min(250, deadline - Date.now()));
    }
    return batch;
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        const batch = await gather();
        if (batch.length === 0) continue;
        const pause = await settleBatch(alerts, batch);
        if (pause > 0) await sleep(pause * 1000);
      } catch (err) {
        // A receive cut short by the stop is no failure; anything else is. The messages of a failed
        // batch stay in the queue and come back after their visibility timeout.
        if (stopped && controller.signal.aborted && (err as Error).name === 'AbortError') break;
        alerts.failures.batchFailed += 1;
        ctx.log.error('alerts worker: batch failed; its messages come back after the visibility timeout', { error: (err as Error).message, failure_count: alerts.failures.batchFailed });
        if (stopped) break;
        await sleep(1000);
      }
    }
  })();

  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<unknown> | undefined;
  const tick = async () => {
    if (stopped) return;
    ticking = runAlertsTick(ctx).catch((err) => ctx.log.error('alerts tick failed', { error: (err as Error).message }));
    await ticking;
    ticking = undefined;
    if (!stopped) timer = setTimeout(tick, options.tickSeconds * 1000);
  };
  timer = setTimeout(tick, Math.min(options.tickSeconds * 1000, 5000));

  return {
    async stop() {
      stopped = true;
      controller.abort();
      if (timer) clearTimeout(timer);
      await loop;
      await ticking;
    },
  };
}
