// Everything a Lambda function needs, built once per execution environment (at module scope, during
// init) from validated configuration: the DynamoDB client and store, the fetcher, the notifier, the
// secret cache, and the Powertools logger, metrics and tracer. Only DynamoDB is loaded at init: the
// fetcher, SNS (the notifier) and Secrets Manager are loaded by the first invocation that fetches,
// publishes or reads a secret (shared/aws/lazy.ts), and clients only some functions use (SQS, SES)
// are built by those functions. Handlers stay thin: parse the event, call a use case, map the result. The same adapters
// run locally against the embedded emulators when endpoints are set.
import type { Context } from 'aws-lambda';
import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../adapters/aws-clients.ts';
import { createDynamoStore } from '../adapters/dynamo/index.ts';
import { storeLease } from '../adapters/poll-leases.ts';
import type { HubContext } from '../app/context.ts';
import { LazyFetcher, LazyNotifier } from './lazy.ts';
import { loadLambdaConfig, type LambdaConfig, type LambdaNeeds } from './lambda-config.ts';
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
  /** Runs one invocation: Lambda context on the logs, a traced handler subsegment, metrics flushed. */
  invoke<T>(context: Context | undefined, work: () => Promise<T>): Promise<T>;
}

export function createLambdaRuntime(options: { needs?: LambdaNeeds; env?: Record<string, string | undefined> } = {}): LambdaRuntime {
  const config = loadLambdaConfig(options.env ?? process.env, options.needs);
  const logger = createPowertoolsLogger({ serviceName: config.serviceName, level: config.logLevel });
  const metrics = createMetrics(config.serviceName);
  const tracer = new Tracer({ serviceName: config.serviceName });

  // captureAWSv3Client adds a subsegment per SDK call when tracing is on; it is a no-op outside Lambda.
  const dynamo = tracer.captureAWSv3Client(createDynamoClient(config));
  const secrets = new SecretCache(async () => tracer.captureAWSv3Client(await createSecretsClient({ region: config.region, endpoint: config.secretsManagerEndpoint })));

  const store = createDynamoStore(dynamo, config.tableName);
  const ctx: HubContext = {
    store,
    fetcher: new LazyFetcher(async () =>
      (await import('../adapters/http-fetcher.ts')).createHttpFetcher({ allowPrivateNetworks: config.allowPrivateNetworks, timeoutMs: config.fetchTimeoutMs, maxBytes: config.maxFeedBytes }),
    ),
    notifier: new LazyNotifier(config, config.topicArn, tracer),
    // Several workers run at once and a queue message can be delivered twice: the lease is in the table.
    lease: storeLease(store),
    log: powertoolsLogger(logger),
    now: () => new Date(),
    pollIntervalSeconds: config.pollIntervalSeconds,
    pollConcurrency: config.pollConcurrency,
    publicUrl: config.publicUrl,
  };

  return {
    config,
    ctx,
    logger,
    metrics,
    tracer,
    dynamo,
    secrets,
    invoke: (context, work) => invoke(logger, metrics, tracer, context, work),
  };
}

async function invoke<T>(logger: PowertoolsLogger, metrics: Metrics, tracer: Tracer, context: Context | undefined, work: () => Promise<T>): Promise<T> {
  if (context) logger.addContext(context);
  const traced = tracer.isTracingEnabled();
  const parent = traced ? tracer.getSegment() : undefined;
  const segment = parent?.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`);
  if (segment) {
    tracer.setSegment(segment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
  }
  try {
    return await work();
  } catch (err) {
    if (segment) tracer.addErrorAsMetadata(err as Error);
    throw err;
  } finally {
    if (segment && parent) {
      segment.close();
      tracer.setSegment(parent);
    }
    // EMF lines are written only when there is something to write.
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
}
