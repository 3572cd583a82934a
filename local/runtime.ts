// The local runtime: embedded DynamoDB (dynalite, on disk) and SNS/SQS (fauxqs) on 127.0.0.1, with
// the same adapters Lambda uses pointed at them. Started in a fixed order, stopped in reverse.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { createDynamoClient, createSnsClient } from '../shared/adapters/aws-clients.ts';
import { createDynamoStore } from '../shared/adapters/dynamo/index.ts';
import { ensureTable } from '../shared/adapters/dynamo/table.ts';
import { createHttpFetcher } from '../shared/adapters/http-fetcher.ts';
import { inProcessLease } from '../shared/adapters/poll-leases.ts';
import { SnsNotifier } from '../shared/adapters/sns-notifier.ts';
import { createHubContext } from '../shared/app/compose.ts';
import type { HubContext } from '../shared/app/context.ts';
import { seedMembers } from '../shared/app/members.ts';
import type { HubConfig } from '../shared/config.ts';
import { createLogger, type Logger } from '../shared/log.ts';
import { startDynalite } from './dynalite.ts';
import { startFauxqs } from './fauxqs.ts';
import { acquireDataDirLock } from './lock.ts';
import { startLocalAlerts, type LocalAlerts } from './alerts-runtime.ts';

export interface LocalRuntime {
  ctx: HubContext;
  config: HubConfig & { adminToken: string; topicArn: string };
  /** True when this start generated the admin token (it is printed once). */
  adminTokenGenerated: boolean;
  endpoints: { dynamodb: string; sns: string };
  /** E-mail alerts: queue, store, mailer (the worker is started by the hub). */
  alerts: LocalAlerts;
  stop(): Promise<void>;
}

/** ADMIN_TOKEN from the environment, else the one kept in the data folder, else a new one saved there. */
function adminToken(config: HubConfig): { token: string; generated: boolean } {
  if (config.adminToken) return { token: config.adminToken, generated: false };
  const path = join(config.dataDir, 'admin-token');
  if (existsSync(path)) return { token: readFileSync(path, 'utf8').trim(), generated: false };
  const token = `iha_${randomBytes(24).toString('base64url')}`;
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return { token, generated: true };
}

export async function startLocalRuntime(input: HubConfig, log: Logger = createLogger({ level: input.logLevel })): Promise<LocalRuntime> {
  const dataDir = resolve(input.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const unlock = acquireDataDirLock(dataDir);
  const stops: (() => Promise<void> | void)[] = [unlock];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    const { token, generated } = adminToken({ ...input, dataDir });
    const dynamo = await startDynalite({ dataDir: join(dataDir, 'dynamodb') });
    stops.push(() => dynamo.stop());
    const messaging = await startFauxqs();
    stops.push(() => messaging.stop());

    const endpoints = { region: input.region, dynamodbEndpoint: dynamo.endpoint, snsEndpoint: messaging.endpoint, sqsEndpoint: messaging.endpoint };
    const dynamoClient = createDynamoClient(endpoints);
    const sns = createSnsClient(endpoints);
    stops.push(() => {
      dynamoClient.destroy();
      sns.destroy();
    });
    await ensureTable(dynamoClient, input.tableName);
    const topic = await sns.send(new CreateTopicCommand({ Name: input.topicName }));
    const topicArn = topic.TopicArn!;

    const store = createDynamoStore(dynamoClient, input.tableName);
    const seeded = await seedMembers(store, new Date().toISOString());
    if (seeded > 0) log.info('seeded ICAT member list', { member_count: seeded });

    const alerts = await startLocalAlerts({ config: input, dataDir, endpoints, topicArn, dynamo: dynamoClient, members: store, log });
    stops.push(() => alerts.stop());

    const config = { ...input, dataDir, adminToken: token, topicArn, ...endpoints };
    const ctx = createHubContext(
      input,
      {
        store,
        fetcher: createHttpFetcher({ allowPrivateNetworks: input.allowPrivateNetworks, timeoutMs: input.fetchTimeoutMs, maxBytes: input.maxFeedBytes }),
        notifier: new SnsNotifier(sns, topicArn),
        // This process owns the data folder (see lock.ts), so leases need not be written to the table.
        lease: inProcessLease(),
        // Notices about members' feeds go out the way alerts do (SMTP, or the outbox folder).
        mailer: alerts.ctx.mailer,
        log,
      },
      { publish: true, mail: true },
    );
    return { ctx, config, adminTokenGenerated: generated, endpoints: { dynamodb: dynamo.endpoint, sns: messaging.endpoint }, alerts, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
