// The whole hub in one stack: data (table, topic, key), secrets, polling (schedule, queue, scheduler
// and worker functions), the web front (the HTTP functions, one HTTP API, CloudFront), alerts (queue,
// SES) and monitoring. Names carry the stage, so several stages live side by side in one account.
import { CfnOutput, Duration, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Alerts } from './alerts.ts';
import { FUNCTIONS } from './bundling.ts';
import { HubData } from './data.ts';
import { HTTP_ROUTES, HttpFunctions } from './http-functions.ts';
import { Monitoring } from './monitoring.ts';
import { Polling } from './polling.ts';
import { HubSecrets } from './hub-secrets.ts';
import type { HubSettings } from './settings.ts';
import { Web } from './http-front.ts';

export interface HubStackProps extends StackProps {
  settings: HubSettings;
}

export class HubStack extends Stack {
  readonly data: HubData;
  readonly secrets: HubSecrets;
  readonly polling: Polling;
  readonly http: HttpFunctions;
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

    // Announcements come from the pollers only; the HTTP functions publish nothing, so they may not publish.
    this.http = new HttpFunctions(this, 'Http', {
      stage: s.stage,
      table: this.data.table,
      pollQueue: this.polling.queue.queue,
      adminToken: this.secrets.adminToken,
      logRetention,
    });
    const { feeds, api, alertsApi, web } = this.http;
    this.web = new Web(this, 'Web', {
      stage: s.stage,
      routes: [
        { fn: feeds, paths: HTTP_ROUTES.feeds },
        { fn: api, paths: HTTP_ROUTES.api },
        ...(alertsApi ? [{ fn: alertsApi, paths: HTTP_ROUTES['alerts-api'] }] : []),
      ],
      fallback: web ?? api,
      logRetention,
    });
    const publicUrl = s.publicUrl ?? this.web.publicUrl;
    this.http.setPublicUrl(publicUrl);

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
    // The alerts API and the web pages take subscriptions (confirmation mails, signed links) and show
    // the admin the alerts queue; the web pages' sessions are keyed by the signing key too.
    for (const f of [alertsApi, web]) {
      if (!f) continue;
      this.alerts.bindMailSender(f);
      this.alerts.bindAdminView(f);
    }

    // The poll worker tells members when a feed dies and when it recovers (shared/app/feed-notices.ts).
    this.alerts.bindMail(this.polling.worker);

    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: s.stage,
      key: this.data.key,
      alarmEmail: s.alarmEmail,
      httpApi: this.web.httpApi,
      functions: { http: this.http.all, scheduler: this.polling.scheduler, worker: this.polling.worker, others: this.alerts.functions },
      pollQueue: this.polling.queue.queue,
      deadLetters: { Poll: this.polling.queue.dlq },
      mailDeadLetters: [this.alerts.queue.dlq],
      schedulerPeriod: expectedRunEvery(s.pollSchedule),
    });

    // Feeds are due again one schedule interval after a poll (shared/core/schedule.ts), so the two agree.
    const interval = rateSeconds(s.pollSchedule);
    // The API and the portal register feeds; the scheduler and the worker set the next poll.
    const scheduling = [api, web, this.polling.scheduler, this.polling.worker].filter((f) => f !== undefined);
    if (interval !== undefined) for (const f of scheduling) f.fn.addEnvironment('POLL_INTERVAL', `${interval}s`);

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
