// The alert functions' context, built once per execution environment on top of the Lambda runtime
// (shared/aws/lambda-context.ts): the subscription store on the same table and client, the mailer
// (SES v2, or SMTP when SMTP_URL is set), the alerts queue, and the token service, whose secret comes
// from TOKEN_SECRET or, in AWS, from Secrets Manager (TOKEN_SIGNING_KEY_SECRET_ARN), read on first use.
// The mailer and the queue load their SDK clients with the first mail or queue call
// (shared/aws/lazy.ts): a digest run with nothing due, or a page view, loads neither.
//
// Environment beyond the hub's: ALERTS_QUEUE_URL (the worker puts messages back there while the mail
// service is down; needs sqs:SendMessage), ALERTS_DLQ_URL (optional: the admin's dead-letter view),
// SES_ENDPOINT (tests only). SES needs ses:SendEmail on the sending identity and the configuration set.
import { createSubscriptionStore } from '../adapters/dynamo/subscription-store.ts';
import { MailHealth, type AlertsContext } from '../alerts/context.ts';
import { TokenService } from '../alerts/tokens.ts';
import { ConfigError } from '../errors.ts';
import type { LambdaRuntime } from './lambda-context.ts';
import { clientOptions, LazyAlertQueue, LazyMailer } from './lazy.ts';

export interface AlertsNeeds {
  /** The worker: it must be able to put messages back in the alerts queue. */
  queue?: boolean;
}

export function createAlertsContext(runtime: LambdaRuntime, needs: AlertsNeeds = {}, env: Record<string, string | undefined> = process.env): AlertsContext {
  const { config, tracer } = runtime;
  const get = (name: string) => env[name]?.trim() || undefined;
  const problems: string[] = [];
  const queueUrl = get('ALERTS_QUEUE_URL');
  if (needs.queue && !queueUrl) problems.push('ALERTS_QUEUE_URL must be set');
  if (!config.tokenSecret && !config.signingKeySecretArn) problems.push('TOKEN_SECRET or TOKEN_SIGNING_KEY_SECRET_ARN must be set');
  const sesEndpoint = get('SES_ENDPOINT');
  if (problems.length > 0) throw new ConfigError(problems);

  const tokenSecret = config.tokenSecret;
  const secret = tokenSecret ? () => tokenSecret : () => runtime.secrets.get(config.signingKeySecretArn!);

  const smtpUrl = config.smtpUrl;
  const mailer = smtpUrl
    ? new LazyMailer('smtp', async () => new (await import('../adapters/mail/smtp-mailer.ts')).SmtpMailer(smtpUrl))
    : new LazyMailer('ses', async () => {
        const [{ SESv2Client }, { SesMailer }] = await Promise.all([import('@aws-sdk/client-sesv2'), import('../adapters/mail/ses-mailer.ts')]);
        const ses = tracer.captureAWSv3Client(new SESv2Client(clientOptions(config.region, sesEndpoint, 2)));
        return new SesMailer(ses, { configurationSet: config.sesConfigurationSet });
      });
  const queue = queueUrl ? new LazyAlertQueue(config, tracer, queueUrl, get('ALERTS_DLQ_URL')) : undefined;

  return {
    subscriptions: createSubscriptionStore(runtime.dynamo, config.tableName),
    mailer,
    tokens: new TokenService(secret),
    members: () => runtime.ctx.store.listMembers(),
    log: runtime.ctx.log,
    now: () => new Date(),
    mail: { from: config.mailFrom, publicUrl: config.publicUrl, domain: config.mailDomain, unsubscribeMailto: config.mailUnsubscribeTo },
    health: new MailHealth(),
    ...(queue ? { queue } : {}),
    retryBaseSeconds: config.alertsRetrySeconds,
  };
}
