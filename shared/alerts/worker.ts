// One batch of the alerts queue, whatever runs it (the local worker loop or the Lambda function):
// announcements become instant alerts, SES notifications suspend subscriptions. Each message ends up
// in one of three states:
//  - done: delete it;
//  - retry: something is wrong with it or with the hub (a malformed body, the store unreachable): let
//    the queue deliver it again; after maxReceiveCount receives it lands in the dead-letter queue;
//  - unavailable: the mail service is down. The message is not at fault, so it must not creep towards
//    the dead-letter queue however long the outage lasts: it is sent again as a new message, delayed
//    (doubling from ALERTS_RETRY_BASE up to 15 minutes), and the original deleted. What had already
//    been mailed is recorded per subscriber and is not mailed again.
import type { AlertQueue } from '../ports/mailer.ts';
import { looksLikeAnnouncement, parseAnnouncement } from './announcement.ts';
import { retryDelaySeconds, type AlertsContext } from './context.ts';
import { deliverAnnouncements } from './instant.ts';
import { applyMailEvent, parseMailEvent } from './mail-events.ts';
import type { AlertPublication } from '../ports/subscriptions.ts';

export interface QueueRecord {
  id: string;
  body: string;
  /** How many times the mail service was unavailable for this message so far. */
  attempt: number;
}

export type RecordOutcome = { kind: 'done' } | { kind: 'retry'; reason: string } | { kind: 'unavailable'; attempt: number; delaySeconds: number };

export async function processAlertRecords(ctx: AlertsContext, records: QueueRecord[]): Promise<Map<string, RecordOutcome>> {
  const outcomes = new Map<string, RecordOutcome>();
  const retry = (r: QueueRecord, reason: string) => {
    outcomes.set(r.id, { kind: 'retry', reason });
    ctx.log.warn('alerts message will be retried', { message_id: r.id, reason });
  };
  const announced: { record: QueueRecord; publication: AlertPublication }[] = [];
  for (const r of records) {
    let parsed: unknown;
    let body = r.body;
    try {
      parsed = JSON.parse(body);
      // Without raw message delivery SNS wraps the message in an envelope: read what it carries.
      const envelope = parsed as { Type?: unknown; Message?: unknown } | null;
      if (envelope?.Type === 'Notification' && typeof envelope.Message === 'string') {
        body = envelope.Message;
        parsed = JSON.parse(body);
      }
    } catch {
      retry(r, 'the message is not JSON');
      continue;
    }
    const event = looksLikeAnnouncement(parsed) ? undefined : parseMailEvent(parsed);
    if (event) {
      try {
        const suspended = await applyMailEvent(ctx, event);
        ctx.log.info('mail event handled', { event_type: event.type, suspended_count: suspended });
        outcomes.set(r.id, { kind: 'done' });
      } catch (err) {
        retry(r, (err as Error).message);
      }
      continue;
    }
    try {
      announced.push({ record: r, publication: parseAnnouncement(body) });
    } catch (err) {
      retry(r, (err as Error).message);
    }
  }
  if (announced.length === 0) return outcomes;

  let results;
  try {
    const unique = new Map(announced.map((a) => [a.publication.id, a.publication]));
    results = await deliverAnnouncements(ctx, [...unique.values()]);
  } catch (err) {
    for (const a of announced) retry(a.record, (err as Error).message);
    return outcomes;
  }
  for (const { record, publication } of announced) {
    const result = results.get(publication.id) ?? 'done';
    if (result === 'done') outcomes.set(record.id, { kind: 'done' });
    else if (result === 'failed') retry(record, 'a mail could not be sent');
    else outcomes.set(record.id, { kind: 'unavailable', attempt: record.attempt + 1, delaySeconds: retryDelaySeconds(ctx.retryBaseSeconds, record.attempt) });
  }
  return outcomes;
}

/**
 * Sends the `unavailable` messages again, delayed. Returns the ids now safely back in the queue (the
 * caller deletes or acknowledges those); if SQS refuses, they stay as they are and are retried.
 */
export async function requeueUnavailable(ctx: AlertsContext, queue: AlertQueue, records: QueueRecord[], outcomes: Map<string, RecordOutcome>): Promise<Set<string>> {
  const waiting = records.flatMap((r) => {
    const o = outcomes.get(r.id);
    return o?.kind === 'unavailable' ? [{ record: r, outcome: o }] : [];
  });
  if (waiting.length === 0) return new Set();
  try {
    await queue.requeue(waiting.map(({ record, outcome }) => ({ body: record.body, attempt: outcome.attempt, delaySeconds: outcome.delaySeconds })));
  } catch (err) {
    ctx.log.error('could not put alerts messages back in the queue', { message_count: waiting.length, error: (err as Error).message });
    return new Set();
  }
  ctx.health.deferredMessages += waiting.length;
  ctx.log.warn('mail service unavailable; alerts wait in the queue', { message_count: waiting.length, delay_seconds: waiting[0]!.outcome.delaySeconds, error: ctx.health.lastError });
  return new Set(waiting.map((w) => w.record.id));
}
