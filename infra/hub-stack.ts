// The whole hub in one stack: data (table, topic, key), secrets, polling (schedule, queue, scheduler
// and worker functions), the web front (API function, HTTP API, CloudFront), alerts (queue, SES) and
// monitoring. Names carry the stage, so several stages live side by side in one account.
import { CfnOutput, Duration, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Alerts } from './alerts.ts';
import { FUNCTIONS } from './bundling.ts';
import { HubData } from './data.ts';
import { HubFunction } from './hub-function.ts';
import { Monitoring } from './monitoring.ts';
import { Polling } from './polling.ts';
import { HubSecrets } from './secrets.ts';
import type { HubSettings } from './settings.ts';
import { Web } from './web.ts';

export interface HubStackProps extends StackProps {
  settings: HubSettings;
}

export class HubStack extends Stack {
  readonly data: HubData;
  readonly secrets: HubSecrets;
  readonly polling: Polling;
  readonly api: HubFunction;
  readonly web: Web;
  readonly alerts: Alerts;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: HubStackProps) {
    super(scope, id, props);
    const s = props.settings;
    Tags.of(this).add('project', 'icat-syndication-hub');
    Tags.of(this).add('stage', s.stage);
    const logRetention = s.logRetentionDays as RetentionDays;
    const spec = (name: string) => FUNCTIONS.find((f) => f.name === name);

    this.data = new HubData(this, 'Data', { stage: s.stage, destroyTable: s.destroyTable });
    this.secrets = new HubSecrets(this, 'Secrets', { stage: s.stage });
    this.polling = new Polling(this, 'Polling', { stage: s.stage, table: this.data.table, topic: this.data.publications, topicKey: this.data.key, pollSchedule: s.pollSchedule, logRetention });

    this.api = new HubFunction(this, 'Api', {
      spec: spec('api')!,
      stage: s.stage,
      description: 'ICAT hub: merged feeds and the JSON API',
      // API Gateway gives up at 30 s; registering a feed fetches it (at most 20 s).
      timeout: Duration.seconds(29),
      memorySize: 512,
      logRetention,
    })
      .bindTable({ table: this.data.table, access: 'readwrite' })
      .bindQueueSender(this.polling.queue.queue, 'POLL_QUEUE_URL')
      .bindSecret(this.secrets.adminToken, 'ADMIN_TOKEN_SECRET_ARN');
    // Announcements come from the pollers only; the API publishes nothing, so it may not publish.
    this.api.fn.addEnvironment('TOPIC_ARN', this.data.publications.topicArn);
    this.web = new Web(this, 'Web', { stage: s.stage, api: this.api, logRetention });
    const publicUrl = s.publicUrl ?? this.web.publicUrl;
    this.api.fn.addEnvironment('PUBLIC_URL', publicUrl);

    this.alerts = new Alerts(this, 'Alerts', {
      stage: s.stage,
      domain: s.domain,
      publications: this.data.publications,
      topicKey: this.data.key,
      table: this.data.table,
      signingKey: this.secrets.signingKey,
      publicUrl,
      logRetention,
      worker: spec('alerts-worker'),
      digest: spec('alerts-digest'),
    });
    // The API takes subscriptions (confirmation mails, signed links) and shows the admin the alerts queue.
    this.alerts.bindMailSender(this.api);
    this.alerts.bindAdminView(this.api);
    // Requests reach the function through CloudFront and API Gateway, each appending to X-Forwarded-For:
    // the reader's address is two hops back (shared/http/rate-limit.ts).
    this.api.fn.addEnvironment('TRUST_PROXY', '2');

    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: s.stage,
      key: this.data.key,
      alarmEmail: s.alarmEmail,
      httpApi: this.web.httpApi,
      functions: { api: this.api, scheduler: this.polling.scheduler, worker: this.polling.worker, others: this.alerts.functions },
      pollQueue: this.polling.queue.queue,
      deadLetters: { Poll: this.polling.queue.dlq },
      mailDeadLetters: [this.alerts.queue.dlq],
      schedulerPeriod: expectedRunEvery(s.pollSchedule),
    });

    // Feeds are due again one schedule interval after a poll (shared/core/schedule.ts), so the two agree.
    const interval = rateSeconds(s.pollSchedule);
    if (interval !== undefined) for (const f of [this.api, this.polling.scheduler, this.polling.worker]) f.fn.addEnvironment('POLL_INTERVAL', `${interval}s`);

    new CfnOutput(this, 'PublicUrl', { value: publicUrl, description: 'Merged feeds: <url>/feeds/all.rss' });
    new CfnOutput(this, 'ApiEndpoint', { value: this.web.httpApi.apiEndpoint, description: 'API Gateway endpoint (CloudFront is the public address)' });
    new CfnOutput(this, 'AdminTokenSecret', { value: this.secrets.adminToken.secretArn, description: 'aws secretsmanager get-secret-value --secret-id <arn>' });
    new CfnOutput(this, 'PublicationsTopic', { value: this.data.publications.topicArn });
    new CfnOutput(this, 'DashboardName', { value: `icat-hub-${s.stage}-overview` });
  }
}

/** The interval of a rate(...) expression in seconds; undefined for cron(...). */
function rateSeconds(expression: string): number | undefined {
  const m = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (!m) return undefined;
  return Number(m[1]) * { minute: 60, hour: 3600, day: 86400 }[m[2] as 'minute' | 'hour' | 'day'];
}

/** How long the scheduler alarm waits for a run: twice the schedule's interval, at least an hour, at most a day. */
function expectedRunEvery(expression: string): Duration {
  const seconds = rateSeconds(expression);
  return seconds === undefined ? Duration.days(1) : Duration.seconds(Math.min(86400, Math.max(3600, 2 * seconds)));
}
