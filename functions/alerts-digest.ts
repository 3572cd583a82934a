// EventBridge Scheduler -> this function, every 5 minutes (rate(5 minutes)): mails held burst alerts
// whose time has come, the daily (07:00 UTC) and weekly (Mondays 07:00 UTC) digests that are due, and
// deletes subscription requests never confirmed. Everything is driven by times stored per
// subscription, so a run that fails or is skipped is caught up by the next; while SES is unavailable
// nothing moves on and nothing is lost.
import type { ScheduledEvent } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { runAlertsTick, type TickResult } from '../shared/alerts/digest.ts';
import { createLambdaAlerts } from '../lambda/alerts-context.ts';
import { lambdaHandler } from '../lambda/invocation.ts';
import { createLambdaRuntime } from '../lambda/lambda-context.ts';
import type { MailHealth } from '../shared/alerts/context.ts';

const runtime = createLambdaRuntime({ needs: { mail: true } });
const alerts = createLambdaAlerts(runtime);
/** Local hub only (local/handler-topology.ts): the functions of one process see the mail service as one. */
export function shareMailHealth(health: MailHealth): void {
  alerts.health = health;
}

export const handler = lambdaHandler(runtime, async (event: Partial<ScheduledEvent>): Promise<TickResult> => {
  const result = await runAlertsTick(alerts);
  runtime.metrics.addMetric('DigestsMailed', MetricUnit.Count, result.digests.mailed);
  runtime.metrics.addMetric('DigestsFailed', MetricUnit.Count, result.digests.failed);
  if (result.digests.unavailable) alerts.log.warn('mail service unavailable; held alerts and digests wait for the next run', { scheduled_time: event.time ?? null });
  return result;
});
