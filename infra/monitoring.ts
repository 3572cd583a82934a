// Alarms (poll failures and error ratio, dead letters, mail failures, API 5xx, a scheduler that stops)
// mailed through one alarm topic, and one dashboard.
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, MathExpression, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, METRIC_NAMESPACE } from '../lambda/metrics.ts';
import { serviceName, type HubFunction } from './hub-function.ts';

export interface MonitoringProps {
  stage: string;
  key: IKey;
  alarmEmail?: string;
  httpApi: HttpApi;
  functions: { http: HubFunction[]; scheduler: HubFunction; worker: HubFunction; others: HubFunction[] };
  pollQueue: Queue;
  /** Dead-letter queues by what they hold. */
  deadLetters: Record<string, Queue>;
  mailDeadLetters: Queue[];
  /** The scheduler is expected to have run at least once in this period. */
  schedulerPeriod: Duration;
}

export class Monitoring extends Construct {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const name = (suffix: string) => `icat-hub-${props.stage}-${suffix}`;
    this.alarmTopic = new Topic(this, 'AlarmTopic', { topicName: name('alarms'), displayName: 'ICAT hub alarms', masterKey: props.key, enforceSSL: true });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.alarmTopic);
    const alarm = (id: string, metric: IMetric, threshold: number, description: string, options: { below?: boolean; missing?: TreatMissingData } = {}) => {
      const a = new Alarm(this, id, {
        alarmName: name(id.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()),
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: options.below ? ComparisonOperator.LESS_THAN_THRESHOLD : ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: options.missing ?? TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      a.addOkAction(action);
      this.alarms.push(a);
      return a;
    };
    const hub = (metricName: string, period = Duration.minutes(15)) =>
      new Metric({ namespace: METRIC_NAMESPACE, metricName, dimensionsMap: { service: serviceName(props.stage) }, statistic: 'Sum', period });

    alarm('PollFailures', hub(METRIC.pollFailures), 1, 'The hub could not complete polls (store or queue trouble); the messages are retried, then dead-lettered.');
    const errorRatio = new MathExpression({
      expression: 'IF(polled >= 10, errors / polled, 0)',
      usingMetrics: { errors: hub(METRIC.feedErrors, Duration.hours(1)), polled: hub(METRIC.feedsPolled, Duration.hours(1)) },
      period: Duration.hours(1),
      label: 'Share of polled feeds in error',
    });
    alarm('FeedErrorRatio', errorRatio, 0.5, 'Half the polled feeds failed in the last hour: more likely the hub (egress, DNS) than the members.');
    alarm('SchedulerErrors', props.functions.scheduler.fn.metricErrors({ period: Duration.minutes(15) }), 1, 'The poll scheduler failed a run (it is retried by EventBridge Scheduler).');
    alarm('SchedulerStopped', props.functions.scheduler.fn.metricInvocations({ period: props.schedulerPeriod }), 1, 'The poll scheduler has not run when its schedule said it would.', { below: true, missing: TreatMissingData.BREACHING });
    for (const [what, dlq] of Object.entries(props.deadLetters)) {
      alarm(`${what}DeadLetters`, dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }), 1, `Messages in the ${what} dead-letter queue: they failed every retry and wait for a person.`);
    }
    const mailDlqs = props.mailDeadLetters.map((q) => q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }));
    const mailErrors = props.functions.others.map((f) => f.fn.metricErrors({ period: Duration.minutes(15) }));
    const failures = [...mailDlqs, ...mailErrors];
    alarm('MailFailures', new MathExpression({ expression: failures.map((_, i) => `m${i}`).join(' + '), usingMetrics: Object.fromEntries(failures.map((m, i) => [`m${i}`, m])), period: Duration.minutes(15) }), 1, 'Alert mail failed: messages dead-lettered after every retry, or an alert function failed a run.');
    const ses = (metricName: string) => new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
    alarm('MailBounceRate', ses('Reputation.BounceRate'), 0.05, 'SES bounce rate at 5%: SES reviews accounts above 5% and may pause sending at 10%.');
    alarm('MailComplaintRate', ses('Reputation.ComplaintRate'), 0.001, 'SES complaint rate at 0.1%: SES reviews accounts above 0.1%.');
    alarm('Api5xx', props.httpApi.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }), 5, 'The API answered 5xx at least five times in five minutes.');

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: name('overview') });
    const fns = [...props.functions.http, props.functions.scheduler, props.functions.worker, ...props.functions.others];
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Polls', left: [hub(METRIC.feedsPolled), hub(METRIC.feedErrors), hub(METRIC.pollFailures)], right: [hub(METRIC.newPublications), hub(METRIC.feedsEnqueued)], width: 12 }),
      new GraphWidget({ title: 'Poll queue', left: [props.pollQueue.metricApproximateNumberOfMessagesVisible(), props.pollQueue.metricApproximateAgeOfOldestMessage()], right: Object.values(props.deadLetters).map((q) => q.metricApproximateNumberOfMessagesVisible()), width: 12 }),
      new GraphWidget({ title: 'API', left: [props.httpApi.metricCount(), props.httpApi.metricClientError(), props.httpApi.metricServerError()], right: [props.httpApi.metricLatency({ statistic: 'p90' })], width: 12 }),
      new GraphWidget({ title: 'Function errors and duration (p90)', left: fns.map((f) => f.fn.metricErrors()), right: fns.map((f) => f.fn.metricDuration({ statistic: 'p90' })), width: 12 }),
      new GraphWidget({ title: 'Mail', left: [ses('Reputation.BounceRate'), ses('Reputation.ComplaintRate')], right: mailDlqs, width: 12 }),
    );
  }
}
