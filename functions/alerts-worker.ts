// SQS `alerts` queue (subscribed to the topic `publications`, raw message delivery; SES bounce and
// complaint notifications may be routed into it too) -> this function, in batches: instant alerts are
// matched and mailed, held burst matches kept for the digest function. Partial batch failures: a
// message that failed goes back to the queue (and to the dead-letter queue after maxReceiveCount);
// while SES is unavailable, messages are put back as new delayed messages instead, so an outage never
// pushes them towards the dead-letter queue.
//
// Event source settings this handler is written for: batchSize 100, maxBatchingWindow 20 s,
// reportBatchItemFailures. A member's burst may come in several batches (or concurrent invocations):
// its matches are held in the table for a minute (shared/alerts/burst.ts) and the alerts-digest
// function mails them as one rollup on its next run.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { processAlertRecords, requeueUnavailable, type QueueRecord } from '../shared/alerts/worker.ts';
import { createLambdaAlerts } from '../lambda/alerts-context.ts';
import { lambdaHandler } from '../lambda/invocation.ts';
import { createLambdaRuntime } from '../lambda/lambda-context.ts';
import { ATTEMPT_ATTRIBUTE } from '../shared/ports/mailer.ts';
import type { MailHealth } from '../shared/alerts/context.ts';

const runtime = createLambdaRuntime({ needs: { mail: true } });
const alerts = createLambdaAlerts(runtime, { queue: true });
/** Local hub only (local/handler-topology.ts): the functions of one process see the mail service as one. */
export function shareMailHealth(health: MailHealth): void {
  alerts.health = health;
}

export const handler = lambdaHandler(runtime, async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const records: QueueRecord[] = event.Records.map((r) => ({
    id: r.messageId,
    body: r.body,
    attempt: Number(r.messageAttributes?.[ATTEMPT_ATTRIBUTE]?.stringValue ?? 0) || 0,
  }));
  const outcomes = await processAlertRecords(alerts, records);
  const requeued = await requeueUnavailable(alerts, alerts.queue!, records, outcomes);
  const failed = records.filter((r) => outcomes.get(r.id)?.kind !== 'done' && !requeued.has(r.id));
  runtime.metrics.addMetric('AlertMessagesHandled', MetricUnit.Count, records.length - failed.length - requeued.size);
  runtime.metrics.addMetric('AlertMessagesDeferred', MetricUnit.Count, requeued.size);
  runtime.metrics.addMetric('AlertMessagesFailed', MetricUnit.Count, failed.length);
  return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.id })) };
});
