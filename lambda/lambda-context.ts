// Everything a Lambda function needs, built once per execution environment (at module scope, during
// init) from validated configuration: the DynamoDB client and store, the fetcher, the notifier, the
// mailer, the secret cache, and the Powertools logger, metrics and tracer; the hub's context comes
// from the same composition as the local hub's (shared/app/compose.ts). Only DynamoDB is loaded at
// init: the fetcher, SNS (the notifier), SES (the mailer) and Secrets Manager are loaded by the first
// invocation that fetches, publishes, mails or reads a secret (lambda/lazy.ts), and the SQS
// client only by the functions that queue. Handlers stay thin: parse the event, call a use case, map
// the result. The same adapters run locally against the embedded emulators when endpoints are set.
import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../shared/adapters/aws-clients.ts';
import { createDynamoStore } from '../shared/adapters/dynamo/index.ts';
import { storeLease } from '../shared/adapters/poll-leases.ts';
import { createHubContext } from '../shared/app/compose.ts';
import type { HubContext } from '../shared/app/context.ts';
import type { Mailer } from '../shared/ports/mailer.ts';
import { clientOptions, LazyFetcher, LazyMailer, LazyNotifier } from './lazy.ts';
import { ADMIN_TOKEN_FROM_ENV, loadLambdaConfig, type LambdaConfig, type LambdaNeeds } from './lambda-config.ts';
import { createMetrics } from './metrics.ts';
import { createPowertoolsLogger, powertoolsLogger } from './powertools-logger.ts';
import { createSecretsClient, SecretCache } from './secrets.ts';

export type { LambdaConfig, LambdaNeeds } from './lambda-config.ts';

export interface LambdaRuntime {
  config: LambdaConfig;
  ctx: HubContext;
  logger: PowertoolsLogger;
  metrics: Metrics;
  tracer: Tracer;
  /** The one DynamoDB client of the function (traced). */
  dynamo: DynamoDBClient;
  /** Secrets by ARN, read on first use and kept five minutes. */
  secrets: SecretCache;
  /** SES v2 (or SMTP when SMTP_URL is set), loaded by the first mail; in `ctx` only for functions that declared `mail`. */
  mailer: Mailer;
  /** The outbox folder, when mail goes there (OUTBOX_DIR: the local hub): the admin's outbox view reads it. */
  outbox?: { list(limit: number): Promise<unknown[]> };
}

export function createLambdaRuntime(options: { needs?: LambdaNeeds; env?: Record<string, string | undefined> } = {}): LambdaRuntime {
  const config = loadLambdaConfig(options.env ?? process.env, options.needs);
  const logger = createPowertoolsLogger({ serviceName: config.serviceName, level: config.logLevel });
  const metrics = createMetrics(config.serviceName);
  const tracer = new Tracer({ serviceName: config.serviceName });

  // captureAWSv3Client adds a subsegment per SDK call when tracing is on; it is a no-op outside Lambda.
  const dynamo = tracer.captureAWSv3Client(createDynamoClient(config));
  const secrets = new SecretCache(
    async () => tracer.captureAWSv3Client(await createSecretsClient({ region: config.region, endpoint: config.secretsManagerEndpoint })),
    undefined,
    undefined,
    config.adminToken && config.adminTokenSecretArn === ADMIN_TOKEN_FROM_ENV ? { [ADMIN_TOKEN_FROM_ENV]: config.adminToken } : {},
  );

  const store = createDynamoStore(dynamo, config.tableName);
  const mailer = lazyMailer(config, tracer);
  const needs = options.needs ?? {};
  const ctx = createHubContext(
    config,
    {
      store,
      fetcher: new LazyFetcher(async () =>
        (await import('../shared/adapters/http-fetcher.ts')).createHttpFetcher({ allowPrivateNetworks: config.allowPrivateNetworks, timeoutMs: config.fetchTimeoutMs, maxBytes: config.maxFeedBytes }),
      ),
      ...(config.topicArn ? { notifier: new LazyNotifier(config, config.topicArn, tracer) } : {}),
      mailer,
      // Several workers run at once and a queue message can be delivered twice: the lease is in the table.
      lease: storeLease(store),
      log: powertoolsLogger(logger),
    },
    { publish: needs.publish, mail: needs.mail },
  );

  return {
    config,
    ctx,
    logger,
    metrics,
    tracer,
    dynamo,
    secrets,
    mailer,
    ...(config.outboxDir && !config.smtpUrl ? { outbox: outboxReader(config.outboxDir) } : {}),
  };
}

/** SMTP when SMTP_URL is set, else the outbox folder when OUTBOX_DIR is (the local hub), else SES v2 (with the configuration set); the client is built by the first send. */
function lazyMailer(config: LambdaConfig, tracer: Tracer): Mailer {
  const smtpUrl = config.smtpUrl;
  if (smtpUrl) return new LazyMailer('smtp', async () => new (await import('../shared/adapters/mail/smtp-mailer.ts')).SmtpMailer(smtpUrl));
  const outboxDir = config.outboxDir;
  if (outboxDir) return new LazyMailer('outbox', async () => new (await import('../shared/adapters/mail/outbox-mailer.ts')).OutboxMailer(outboxDir));
  return new LazyMailer('ses', async () => {
    const [{ SESv2Client }, { SesMailer }] = await Promise.all([import('@aws-sdk/client-sesv2'), import('../shared/adapters/mail/ses-mailer.ts')]);
    const ses = tracer.captureAWSv3Client(new SESv2Client(clientOptions(config.region, config.sesEndpoint, 2)));
    return new SesMailer(ses, { configurationSet: config.sesConfigurationSet });
  });
}

function outboxReader(dir: string): { list(limit: number): Promise<unknown[]> } {
  return { list: async (limit) => new (await import('../shared/adapters/mail/outbox-mailer.ts')).OutboxMailer(dir).list(limit) };
}
