// The alerts worker of the local hub: long-polls the `alerts` queue, gathers announcements for
// ALERTS_BATCH_WINDOW (so a member's burst is matched as one), hands them to the same use case the
// Lambda function runs, and deletes, retries or puts back each message by its outcome. While the mail
// service is down it stops taking messages for the retry delay; nothing is lost, nothing counts towards
// the dead-letter queue. A timer sends held burst alerts and due digests every ALERTS_TICK.
import { ChangeMessageVisibilityCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { retryDelaySeconds } from '../alerts/context.ts';
import { runAlertsTick } from '../alerts/digest.ts';
import { processAlertRecords, requeueUnavailable, type QueueRecord } from '../alerts/worker.ts';
import { ATTEMPT_ATTRIBUTE } from '../ports/mailer.ts';
import type { LocalAlerts } from './alerts-runtime.ts';

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
    new ReceiveMessageCommand({ QueueUrl: alerts.queueUrl, MaxNumberOfMessages: Math.min(10, max), WaitTimeSeconds: waitSeconds, MessageSystemAttributeNames: ['ApproximateReceiveCount'], MessageAttributeNames: [ATTEMPT_ATTRIBUTE] }),
    signal ? { abortSignal: signal } : {},
  );
  return out.Messages ?? [];
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
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
  let pause = 0;
  for (const m of messages) {
    const o = outcomes.get(m.MessageId!);
    if (!o || o.kind === 'done' || requeued.has(m.MessageId!)) continue;
    // Back off before the queue offers it again: doubling with each receive, at most 15 minutes.
    const receives = Number(m.Attributes?.ApproximateReceiveCount ?? 1) || 1;
    const delay = o.kind === 'unavailable' ? o.delaySeconds : retryDelaySeconds(ctx.retryBaseSeconds, receives - 1);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: delay })).catch(() => undefined);
  }
  for (const o of outcomes.values()) if (o.kind === 'unavailable') pause = Math.max(pause, o.delaySeconds);
  return pause;
}

/**
 * Hands what is waiting in the queue to the mailer, without waiting for more: run when the runtime
 * stops, so that announcements of a one-off `icat-hub poll` (no worker running) are mailed too. Stops
 * at the first sign the mail service is down; what is left then waits in the queue.
 */
export async function drainAlertsQueue(alerts: LocalAlerts, maxBatches = 50): Promise<void> {
  for (let i = 0; i < maxBatches; i += 1) {
    const batch: Message[] = [];
    for (let more = await receive(alerts, 0, MAX_BATCH); more.length > 0 && batch.length < MAX_BATCH; more = await receive(alerts, 0, MAX_BATCH - batch.length)) batch.push(...more);
    if (batch.length === 0 || (await settleBatch(alerts, batch)) > 0) return;
  }
}

export function startAlertsWorker(alerts: LocalAlerts, options: AlertsWorkerOptions): AlertsWorker {
  const { ctx } = alerts;
  const controller = new AbortController();
  let stopped = false;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve();
      // The listener goes when the timer fires: a long-running hub sleeps here thousands of times.
      const onAbort = () => (clearTimeout(timer), resolve());
      const timer = setTimeout(() => {
        controller.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      controller.signal.addEventListener('abort', onAbort, { once: true });
    });
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
        if (stopped) break;
        ctx.log.error('alerts worker: batch failed', { error: (err as Error).message });
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
