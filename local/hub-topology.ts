// The local hub's handler topology (local/handler-topology.ts) on top of its runtime (local/runtime.ts): the
// functions' environment is the hub's own (the variables its configuration was read from), pointed
// at the embedded emulators, with the secrets the hub keeps in its data folder (ADMIN_TOKEN,
// TOKEN_SECRET) and its mail setting (SMTP_URL, else OUTBOX_DIR=<data folder>/outbox). The poll
// queue is made here with the stack's settings; the alerts queue is the runtime's.
import { join } from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { HubConfig } from '../shared/config.ts';
import type { Logger } from '../shared/log.ts';
import type { DomainVerifier } from '../shared/ports/domain-verifier.ts';
import { POLL_QUEUE } from '../shared/topology.ts';
import { createHubQueue } from './event-sources.ts';
import type { LocalRuntime } from './runtime.ts';
import { startLambdaTopology, type LambdaTopology } from './handler-topology.ts';

export async function startHubTopology(
  runtime: LocalRuntime,
  config: HubConfig,
  options: { env: Record<string, string | undefined>; log: Logger; schedules: boolean; track: <T>(work: Promise<T>) => Promise<T>; domainVerifier?: DomainVerifier },
): Promise<LambdaTopology> {
  const { alerts } = runtime;
  const arn = async (url: string) => (await alerts.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const pollQueue = await createHubQueue(alerts.sqs, 'poll', POLL_QUEUE);
  const alertsQueue = { url: alerts.queueUrl, arn: await arn(alerts.queueUrl), deadLetterUrl: alerts.deadLetterUrl, deadLetterArn: await arn(alerts.deadLetterUrl) };
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
  delete env.ADMIN_TOKEN_SECRET_ARN;
  delete env.TOKEN_SIGNING_KEY_SECRET_ARN;
  Object.assign(env, {
    AWS_REGION: config.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TABLE_NAME: config.tableName,
    DYNAMODB_ENDPOINT: runtime.endpoints.dynamodb,
    SNS_ENDPOINT: runtime.endpoints.sns,
    SQS_ENDPOINT: runtime.endpoints.sns,
    TOPIC_ARN: runtime.config.topicArn,
    PUBLIC_URL: config.publicUrl,
    ADMIN_TOKEN: runtime.config.adminToken,
    TOKEN_SECRET: alerts.tokenSecret,
    LOG_LEVEL: config.logLevel,
  });
  if (!config.smtpUrl) env.OUTBOX_DIR = join(runtime.config.dataDir, 'outbox');
  return startLambdaTopology({
    env,
    sqs: alerts.sqs,
    pollQueue,
    alertsQueue,
    pollEverySeconds: config.pollIntervalSeconds,
    // The local hub's own settings: the digest run every ALERTS_TICK, batches gathered for ALERTS_BATCH_WINDOW.
    digestEverySeconds: config.alertsTickSeconds,
    alertsBatchWindowSeconds: config.alertsBatchWindowSeconds,
    schedules: options.schedules,
    log: options.log,
    track: options.track,
    domainVerifier: options.domainVerifier,
  });
}
