// The alert functions' context, built once per execution environment on top of the Lambda runtime
// (lambda/lambda-context.ts) by the same composition as the local hub's (shared/app/compose.ts):
// the subscription store on the same table and client, the runtime's mailer (SES v2, or SMTP when
// SMTP_URL is set), the alerts queue, and the token service, whose secret comes from TOKEN_SECRET or,
// in AWS, from Secrets Manager (TOKEN_SIGNING_KEY_SECRET_ARN), read on first use. The mailer and the
// queue load their SDK clients with the first mail or queue call (lambda/lazy.ts): a digest run
// with nothing due, or a page view, loads neither.
//
// Environment beyond the hub's: ALERTS_QUEUE_URL (the worker puts messages back there while the mail
// service is down; needs sqs:SendMessage), ALERTS_DLQ_URL (optional: the admin's dead-letter view),
// SES_ENDPOINT (tests only). SES needs ses:SendEmail on the sending identity and the configuration set.
import { createSubscriptionStore } from '../shared/adapters/dynamo/subscription-store.ts';
import { createAlertsContext, type AlertsNeeds } from '../shared/app/compose.ts';
import type { AlertsContext } from '../shared/alerts/context.ts';
import { ConfigError } from '../shared/errors.ts';
import type { LambdaRuntime } from './lambda-context.ts';
import { LazyAlertQueue } from './lazy.ts';
import { alertMails } from '../shared/web/mail/alert-mail.ts';

export type { AlertsNeeds } from '../shared/app/compose.ts';

export function createLambdaAlerts(runtime: LambdaRuntime, needs: AlertsNeeds = {}, env: Record<string, string | undefined> = process.env): AlertsContext {
  const { config, tracer } = runtime;
  const get = (name: string) => env[name]?.trim() || undefined;
  if (!config.tokenSecret && !config.signingKeySecretArn) throw new ConfigError(['TOKEN_SECRET or TOKEN_SIGNING_KEY_SECRET_ARN must be set']);
  const tokenSecret = config.tokenSecret;
  const queueUrl = get('ALERTS_QUEUE_URL');
  return createAlertsContext(
    config,
    {
      subscriptions: createSubscriptionStore(runtime.dynamo, config.tableName),
      mailer: runtime.mailer,
      mails: alertMails,
      tokenSecret: tokenSecret ? () => tokenSecret : () => runtime.secrets.get(config.signingKeySecretArn!),
      members: runtime.ctx.store,
      log: runtime.ctx.log,
      ...(queueUrl ? { queue: new LazyAlertQueue(config, tracer, queueUrl, get('ALERTS_DLQ_URL')) } : {}),
    },
    needs,
  );
}
