// E-mail alerts: a queue subscribed to `publications` (the topic stays the one fan-out point), SES v2
// sending from the configured domain through a configuration set whose bounce, complaint and reject
// events come back, through their own topic, into the same queue (shared/alerts/mail-events.ts reads
// both kinds of message). The alert functions are wired when their entry files exist
// (functions/alerts-worker.ts, functions/alerts-digest.ts).
import { CfnOutput, Duration, Fn, Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, ConfigurationSetTlsPolicy, EmailSendingEvent, EmailIdentity, EventDestination, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { FunctionSpec } from './bundling.ts';
import { HubFunction, scheduleRole } from './hub-function.ts';
import { hubQueue, type QueueWithDlq } from './queues.ts';
import { ALERTS_QUEUE, DIGEST_RATE_MINUTES } from '../shared/topology.ts';

export interface AlertsProps {
  stage: string;
  domain: string;
  publications: ITopic;
  topicKey: IKey;
  table: Table;
  signingKey: ISecret;
  publicUrl: string;
  logRetention: RetentionDays;
  worker?: FunctionSpec;
  digest?: FunctionSpec;
}

/** A batch of up to 100 announcements gathered for 20 s: a member's burst is matched as one. */
const WORKER = { timeout: Duration.seconds(ALERTS_QUEUE.functionTimeoutSeconds), batchSize: ALERTS_QUEUE.batchSize, window: Duration.seconds(ALERTS_QUEUE.maxBatchingWindowSeconds) };

export class Alerts extends Construct {
  readonly queue: QueueWithDlq;
  readonly mailEvents: Topic;
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly functions: HubFunction[] = [];
  private readonly props: AlertsProps;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    this.props = props;
    const name = (suffix: string) => `icat-hub-${props.stage}-${suffix}`;
    // Visibility: six times the worker's timeout plus the batching window (Lambda's guidance).
    const visibility = Duration.seconds(ALERTS_QUEUE.visibilityTimeoutSeconds);
    this.queue = hubQueue(this, 'AlertsQueue', { name: name('alerts'), visibilityTimeout: visibility, retention: Duration.seconds(ALERTS_QUEUE.retentionSeconds), maxReceiveCount: ALERTS_QUEUE.maxReceiveCount });
    props.publications.addSubscription(new SqsSubscription(this.queue.queue, { rawMessageDelivery: true }));

    this.mailEvents = new Topic(this, 'MailEvents', { topicName: name('mail-events'), displayName: 'ICAT hub: SES bounces and complaints', masterKey: props.topicKey, enforceSSL: true });
    this.mailEvents.addSubscription(new SqsSubscription(this.queue.queue, { rawMessageDelivery: true }));

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: name('alerts'),
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.addEventDestination('ToHub', {
      destination: EventDestination.snsTopic(this.mailEvents),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.REJECT, EmailSendingEvent.RENDERING_FAILURE],
    });
    this.identity = new EmailIdentity(this, 'Identity', { identity: Identity.domain(props.domain), configurationSet: this.configurationSet, mailFromDomain: `mail.${props.domain}` });
    // The DNS records SES needs before it sends from the domain (Easy DKIM).
    this.identity.dkimRecords.forEach((r, i) => new CfnOutput(this, `DkimRecord${i + 1}`, { value: Fn.join(' ', [r.name, 'CNAME', r.value]), description: `DKIM record ${i + 1} for ${props.domain}` }));

    const wire = (spec: FunctionSpec, description: string, timeout: Duration) => {
      const fn = new HubFunction(this, spec.name, { spec, stage: props.stage, description, timeout, memorySize: 512, logRetention: props.logRetention })
        .bindTable({ table: props.table, access: 'readwrite' });
      // These functions publish nothing: they are given neither the topic nor the right to publish.
      fn.fn.addEnvironment('PUBLIC_URL', props.publicUrl);
      this.bindMailSender(fn);
      this.functions.push(fn);
      return fn;
    };
    if (props.worker) {
      const worker = wire(props.worker, 'ICAT hub: mails instant alerts for new publications; records bounces and complaints', WORKER.timeout);
      // While SES is down the worker puts messages back as new delayed ones, so an outage never dead-letters them.
      worker.fn.addEnvironment('ALERTS_QUEUE_URL', this.queue.queue.queueUrl);
      worker.allow(['sqs:SendMessage'], [this.queue.queue.queueArn]);
      worker.fn.addEventSource(new SqsEventSource(this.queue.queue, { batchSize: WORKER.batchSize, maxBatchingWindow: WORKER.window, reportBatchItemFailures: true, maxConcurrency: ALERTS_QUEUE.maxConcurrency }));
    }
    if (props.digest) {
      // Held bursts, daily (07:00 UTC) and weekly (Monday) digests are due by times stored per
      // subscription; a run every five minutes mails what has come due and catches up after an outage.
      const digest = wire(props.digest, 'ICAT hub: mails held bursts and the daily and weekly digests', Duration.minutes(5));
      new Schedule(this, 'DigestSchedule', {
        scheduleName: name('alerts-digest'),
        schedule: ScheduleExpression.expression(`rate(${DIGEST_RATE_MINUTES} minutes)`),
        timeWindow: TimeWindow.off(),
        target: new LambdaInvoke(digest.fn, { role: scheduleRole(this, 'DigestScheduleRole', digest), retryAttempts: 0, input: ScheduleTargetInput.fromObject({ source: 'aws.scheduler', 'detail-type': 'Scheduled Event', detail: {} }) }),
      });
    }
  }

  /** Mail through SES from this identity and configuration set (members' feed notices). */
  bindMail(fn: HubFunction): HubFunction {
    const stack = Stack.of(this);
    const arn = (resource: string) => `arn:${stack.partition}:ses:${stack.region}:${stack.account}:${resource}`;
    fn.fn.addEnvironment('MAIL_FROM', `ICAT publication alerts <alerts@${this.props.domain}>`);
    fn.fn.addEnvironment('SES_CONFIGURATION_SET', this.configurationSet.configurationSetName);
    return fn.allow(['ses:SendEmail'], [arn(`identity/${this.props.domain}`), arn(`configuration-set/${this.configurationSet.configurationSetName}`)]);
  }

  /** Mail through SES, with links signed by the signing key. */
  bindMailSender(fn: HubFunction): HubFunction {
    return this.bindMail(fn).bindSecret(this.props.signingKey, 'TOKEN_SIGNING_KEY_SECRET_ARN');
  }

  /** The admin's view of the alerts queue: its depth, the dead letters, and putting them back. */
  bindAdminView(fn: HubFunction): HubFunction {
    fn.fn.addEnvironment('ALERTS_QUEUE_URL', this.queue.queue.queueUrl);
    fn.fn.addEnvironment('ALERTS_DLQ_URL', this.queue.dlq.queueUrl);
    return fn
      .allow(['sqs:GetQueueAttributes', 'sqs:SendMessage'], [this.queue.queue.queueArn])
      .allow(['sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'], [this.queue.dlq.queueArn]);
  }
}
