// E-mail alerts in the local hub: the `alerts` queue and its dead-letter queue in the embedded SNS/SQS
// (fauxqs keeps them in memory, so they are made again at every start), subscribed to the topic with
// raw message delivery; the subscription store on the hub's table; and the mailer: SMTP when SMTP_URL
// is set, else the outbox folder DATA_DIR/outbox/.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createSnsClient, createSqsClient, type AwsEndpoints } from '../shared/adapters/aws-clients.ts';
import { createSubscriptionStore } from '../shared/adapters/dynamo/subscription-store.ts';
import { SqsAlertQueue } from '../shared/adapters/mail/alerts-queue.ts';
import { OutboxMailer } from '../shared/adapters/mail/outbox-mailer.ts';
import { SmtpMailer } from '../shared/adapters/mail/smtp-mailer.ts';
import type { AlertsContext } from '../shared/alerts/context.ts';
import { createAlertsContext } from '../shared/app/compose.ts';
import type { HubConfig } from '../shared/config.ts';
import type { AlertsHttp } from '../shared/web/routes-alerts.ts';
import type { Logger } from '../shared/log.ts';
import type { MemberStore } from '../shared/ports/store.ts';
import { drainAlertsQueue } from './alerts-queue-worker.ts';
import type { LocalAlerts } from './local-alerts.ts';
import { alertMails } from '../shared/web/mail/alert-mail.ts';

export type { LocalAlerts } from './local-alerts.ts';

/** TOKEN_SECRET from the environment, else the one kept in the data folder, else a new one saved there. */
function tokenSecret(config: HubConfig, dataDir: string): string {
  if (config.tokenSecret) return config.tokenSecret;
  const path = join(dataDir, 'token-secret');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return out.Attributes!.QueueArn!;
}

export async function startLocalAlerts(input: {
  config: HubConfig;
  dataDir: string;
  endpoints: AwsEndpoints;
  topicArn: string;
  dynamo: DynamoDBClient;
  members: MemberStore;
  log: Logger;
}): Promise<LocalAlerts> {
  const { config } = input;
  const sqs = createSqsClient(input.endpoints);
  const sns = createSnsClient(input.endpoints);
  try {
    const deadLetterUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${config.alertsQueueName}-dlq` }))).QueueUrl!;
    const queueUrl = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: config.alertsQueueName,
          Attributes: {
            VisibilityTimeout: '60',
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await queueArn(sqs, deadLetterUrl), maxReceiveCount: config.alertsMaxReceives }),
          },
        }),
      )
    ).QueueUrl!;
    await sns.send(new SubscribeCommand({ TopicArn: input.topicArn, Protocol: 'sqs', Endpoint: await queueArn(sqs, queueUrl), Attributes: { RawMessageDelivery: 'true' } }));

    const outbox = config.smtpUrl ? undefined : new OutboxMailer(join(input.dataDir, 'outbox'));
    const smtp = config.smtpUrl ? new SmtpMailer(config.smtpUrl) : undefined;
    const secret = tokenSecret(config, input.dataDir);
    const ctx = createAlertsContext(
      config,
      {
        subscriptions: createSubscriptionStore(input.dynamo, config.tableName),
        mailer: (smtp ?? outbox)!,
        mails: alertMails,
        tokenSecret: () => secret,
        members: input.members,
        log: input.log,
        queue: new SqsAlertQueue(sqs, queueUrl, deadLetterUrl),
      },
      { queue: true },
    );
    const local: LocalAlerts = {
      ctx,
      http: { ctx, outbox },
      sqs,
      queueUrl,
      deadLetterUrl,
      tokenSecret: secret,
      failures: { notDeleted: 0, notDelayed: 0, batchFailed: 0, drainFailed: 0 },
      stop: async () => {
        await drainAlertsQueue(local).then(
          (n) => n > 0 && input.log.info('alerts queue drained at stop', { message_count: n }),
          (err: unknown) => {
            local.failures.drainFailed += 1;
            // Not lost for good: the next start queues the last two days' announcements again.
            input.log.error('alerts left in the queue at stop; they are queued again at the next start', { error: (err as Error).message });
          },
        );
        smtp?.close();
        sqs.destroy();
        sns.destroy();
      },
    };
    return local;
  } catch (err) {
    sqs.destroy();
    sns.destroy();
    throw err;
  }
}
