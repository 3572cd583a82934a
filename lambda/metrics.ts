// Outcome metrics, written as CloudWatch Embedded Metric Format through Powertools (a log line per
// flush: no PutMetricData call, no IAM permission, no latency). The alarms in infra/ read the same
// names, so they are defined once here.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { PollOutcome } from '../shared/model.ts';

export const METRIC_NAMESPACE = 'IcatHub';

export const METRIC = {
  /** Feeds handed to the poll queue by the scheduler. */
  feedsEnqueued: 'FeedsEnqueued',
  /** Feeds fetched (any outcome but "skipped"). */
  feedsPolled: 'FeedsPolled',
  /** Feeds whose fetch or parse failed: recorded on the feed, the member's to fix. */
  feedErrors: 'FeedErrors',
  /** Polls the hub itself could not complete (store or queue trouble): retried, then dead-lettered. */
  pollFailures: 'PollFailures',
  newPublications: 'NewPublications',
  /** Publications found stored but never announced, announced by the sweep. */
  recoveredAnnouncements: 'RecoveredAnnouncements',
} as const;

// Powertools warns on every flush that finds no metric: most HTTP invocations record none, and the
// line would only cost log volume. Its other warnings (a metric or dimension CloudWatch would refuse)
// stay.
const NO_METRICS_WARNING = /^No application metrics to publish/;
const metricsConsole = { ...console, warn: (message?: unknown, ...rest: unknown[]) => (typeof message === 'string' && NO_METRICS_WARNING.test(message) ? undefined : console.warn(message, ...rest)) };

export function createMetrics(serviceName: string, namespace = METRIC_NAMESPACE): Metrics {
  return new Metrics({ namespace, serviceName, logger: metricsConsole });
}

export function recordPollOutcomes(metrics: Metrics, outcomes: PollOutcome[]): void {
  const polled = outcomes.filter((o) => o.result !== 'skipped');
  metrics.addMetric(METRIC.feedsPolled, MetricUnit.Count, polled.length);
  metrics.addMetric(METRIC.feedErrors, MetricUnit.Count, polled.filter((o) => o.result === 'error').length);
  metrics.addMetric(METRIC.newPublications, MetricUnit.Count, polled.reduce((n, o) => n + o.newCount, 0));
}

export function count(metrics: Metrics, name: (typeof METRIC)[keyof typeof METRIC], value: number): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}
