// The synthesized template, read back: every resource of the deployment with the properties that
// matter, and least-privilege IAM per function. One synth (stage "staging", an alarm address) serves
// every test; bundling is skipped here (test/infra/synth.test.ts bundles for real).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, PROJECT_ROOT } from '../../infra/bundling.ts';
import { Alerts } from '../../infra/alerts.ts';
import { HubData } from '../../infra/data.ts';
import { HTTP_ROUTES } from '../../infra/http-functions.ts';
import { HubSecrets } from '../../infra/hub-secrets.ts';
import { tableDefinition } from '../../shared/adapters/dynamo/table.ts';
import { buildHubApp } from './synth-helpers.ts';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
let template: Template;
let resources: Record<string, Resource>;

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const one = (type: string, match: (p: Record<string, any>) => boolean): [string, Resource] => {
  const found = ofType(type).filter(([, r]) => match(r.Properties));
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
const has = (name: string) => FUNCTIONS.some((f) => f.name === name);
const fnNamed = (suffix: string) => one('AWS::Lambda::Function', (p) => p.FunctionName === `icat-hub-staging-${suffix}`);

/** Every IAM statement attached to a function's role, as [action, resource-as-JSON] pairs. */
function grants(functionSuffix: string): { action: string; resource: string }[] {
  const [, fn] = fnNamed(functionSuffix);
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
    .flatMap((s) => [s.Action].flat().flatMap((action) => [s.Resource].flat().map((r) => ({ action, resource: JSON.stringify(r) }))));
}
const actionsOn = (g: { action: string; resource: string }[], prefix: string) => [...new Set(g.filter((x) => x.action.startsWith(prefix)).map((x) => x.action))].sort();

beforeAll(() => {
  const { stack } = buildHubApp({ context: { stage: 'staging', alarmEmail: 'hub-ops@example.org', domain: 'hub.icat.example' } });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

describe('data', () => {
  it('builds the table from tableDefinition: keys, attributes and indexes', () => {
    const def = tableDefinition('icat-hub-staging');
    const [, table] = one('AWS::DynamoDB::Table', () => true);
    expect(table.Properties.TableName).toBe('icat-hub-staging');
    expect(table.Properties.KeySchema).toEqual(def.KeySchema);
    expect([...table.Properties.AttributeDefinitions].sort((a: any, b: any) => a.AttributeName.localeCompare(b.AttributeName))).toEqual(
      [...def.AttributeDefinitions!].sort((a, b) => a.AttributeName!.localeCompare(b.AttributeName!)),
    );
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(def.GlobalSecondaryIndexes);
  });

  it('is on-demand, point-in-time recoverable, encrypted, protected and kept on stack deletion', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        // SSEEnabled without a key: the AWS-managed key aws/dynamodb.
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('lets the table go only when told (destroyTable)', () => {
    const stack = new Stack();
    new HubData(stack, 'Data', { stage: 'dev', destroyTable: true });
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', { Properties: Match.objectLike({ DeletionProtectionEnabled: false }), DeletionPolicy: 'Delete' });
  });

  it('encrypts the publications topic with a rotating key and refuses plain HTTP', () => {
    const [keyId] = one('AWS::KMS::Key', (p) => p.EnableKeyRotation === true);
    const [topicId] = one('AWS::SNS::Topic', (p) => p.TopicName === 'icat-hub-staging-publications' && p.KmsMasterKeyId['Fn::GetAtt'][0] === keyId);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('polling', () => {
  it('schedules the poll scheduler every 15 minutes with a ScheduledEvent', () => {
    const [fnId] = fnNamed('poll-scheduler');
    const [, schedule] = one('AWS::Scheduler::Schedule', (p) => p.Name === 'icat-hub-staging-poll');
    expect(schedule.Properties).toMatchObject({ ScheduleExpression: 'rate(15 minutes)', FlexibleTimeWindow: { Mode: 'OFF' }, State: 'ENABLED' });
    expect(schedule.Properties.Target.Arn).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(JSON.stringify(schedule.Properties.Target.Input)).toContain('Scheduled Event');
    expect(JSON.stringify(schedule.Properties.Target.Input)).toContain('<aws.scheduler.scheduled-time>');
  });

  it('feeds the worker from an encrypted queue with a dead-letter queue, in bounded batches reporting item failures', () => {
    const [dlqId] = one('AWS::SQS::Queue', (p) => p.QueueName === 'icat-hub-staging-poll-dlq' && p.SqsManagedSseEnabled === true);
    const [queueId, queue] = one('AWS::SQS::Queue', (p) => p.QueueName === 'icat-hub-staging-poll');
    expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, VisibilityTimeout: 720, RedrivePolicy: { maxReceiveCount: 3, deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] } } });
    const [workerId] = fnNamed('poll-worker');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: workerId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    expect(fnNamed('poll-worker')[1].Properties.Timeout * 6).toBeLessThanOrEqual(queue.Properties.VisibilityTimeout);
  });
});

describe('functions', () => {
  it('run nodejs22.x on arm64 with X-Ray, JSON logs in their own log group, and Powertools settings', () => {
    const fns = ofType('AWS::Lambda::Function');
    expect(fns.map(([, f]) => f.Properties.FunctionName).sort()).toEqual(FUNCTIONS.map((f) => `icat-hub-staging-${f.name}`).sort());
    expect(FUNCTIONS.map((f) => f.name)).toEqual(expect.arrayContaining(['feeds', 'api', 'poll-scheduler', 'poll-worker']));
    for (const [, f] of fns) {
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler', TracingConfig: { Mode: 'Active' }, LoggingConfig: { LogFormat: 'JSON' } });
      expect(f.Properties.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'icat-hub-staging', POWERTOOLS_METRICS_NAMESPACE: 'IcatHub', NODE_OPTIONS: `--enable-source-maps --max-old-space-size=${Math.floor(f.Properties.MemorySize * 0.6)}` });
      const [, logs] = one('AWS::Logs::LogGroup', (p) => p.LogGroupName === `/aws/lambda/${f.Properties.FunctionName}`);
      expect(logs.Properties.RetentionInDays).toBe(90);
    }
  });

  it('give the topic only to the functions that publish, and a mail sender to those that mail', () => {
    const env = (name: string) => fnNamed(name)[1].Properties.Environment.Variables as Record<string, unknown>;
    for (const f of FUNCTIONS) expect(env(f.name).TOPIC_ARN !== undefined, f.name).toBe(f.name === 'poll-scheduler' || f.name === 'poll-worker');
    for (const name of ['poll-worker', 'web', 'alerts-api', 'alerts-worker', 'alerts-digest'].filter((n) => FUNCTIONS.some((f) => f.name === n))) {
      expect(env(name).MAIL_FROM, name).toBeDefined();
      expect(env(name).SES_CONFIGURATION_SET, name).toBeDefined();
    }
  });

  it('schedule feeds with the same interval as the poll schedule', () => {
    const scheduling = ['api', 'web', 'poll-scheduler', 'poll-worker'].filter((n) => FUNCTIONS.some((f) => f.name === n));
    for (const name of scheduling) expect(fnNamed(name)[1].Properties.Environment.Variables.POLL_INTERVAL).toBe('900s');
  });

  it('hold secret ARNs only, never a secret value', () => {
    for (const [, f] of ofType('AWS::Lambda::Function')) {
      for (const [name, value] of Object.entries<unknown>(f.Properties.Environment.Variables)) {
        if (/TOKEN|SECRET|KEY|PASSWORD/.test(name) && !/^POWERTOOLS_/.test(name)) {
          expect(name).toMatch(/_SECRET_ARN$/);
          expect(value).toEqual({ Ref: expect.stringMatching(/^Secrets/) });
        }
      }
    }
    const secrets = ofType('AWS::SecretsManager::Secret');
    expect(secrets.map(([, s]) => s.Properties.Name).sort()).toEqual(['icat-hub/staging/admin-token', 'icat-hub/staging/token-signing-key']);
    for (const [, s] of secrets) {
      expect(s.Properties.SecretString).toBeUndefined();
      expect(s.Properties.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(48);
    }
  });
});

describe('least privilege', () => {
  // The DynamoDB actions the store issues, read from its source: grants may not drift from the code.
  const storeActions = () => {
    const dir = join(PROJECT_ROOT, 'shared/adapters/dynamo');
    const names = readdirSync(dir).flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/new (\w+)Command\(/g)].map((m) => m[1]!));
    const toAction: Record<string, string> = { Get: 'GetItem', BatchGet: 'BatchGetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', Query: 'Query', Scan: 'Scan', BatchWrite: 'BatchWriteItem', TransactWrite: 'TransactWriteItems', TransactGet: 'TransactGetItems' };
    // CreateTable/DescribeTable are the local runtime's ensureTable; in AWS the stack owns the table.
    return [...new Set(names.filter((n) => !['CreateTable', 'DescribeTable'].includes(n)).map((n) => `dynamodb:${toAction[n] ?? n}`))].sort();
  };

  // Reading is all the feeds function does (test/functions/feeds.test.ts records the operations it issues).
  const READ = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];

  it('grants each function exactly the data actions its code uses', () => {
    const feeds = grants('feeds');
    const api = grants('api');
    const scheduler = grants('poll-scheduler');
    const worker = grants('poll-worker');
    expect(actionsOn(feeds, 'dynamodb:')).toEqual(storeActions().filter((a) => READ.includes(a)));
    expect(actionsOn(feeds, 'dynamodb:')).toEqual(READ);
    for (const prefix of ['sns:', 'sqs:', 'secretsmanager:', 'ses:', 'kms:']) expect(actionsOn(feeds, prefix), prefix).toEqual([]);
    for (const g of [api, scheduler, worker]) expect(actionsOn(g, 'dynamodb:')).toEqual(storeActions());
    expect(actionsOn(api, 'sns:')).toEqual([]);
    // Poll now.
    expect(actionsOn(api, 'sqs:')).toEqual(['sqs:SendMessage']);
    expect(actionsOn(api, 'secretsmanager:')).toEqual(['secretsmanager:GetSecretValue']);
    expect(actionsOn(api, 'ses:')).toEqual([]);
    expect(actionsOn(scheduler, 'sns:')).toEqual(['sns:Publish']);
    expect(actionsOn(scheduler, 'sqs:')).toEqual(['sqs:SendMessage']);
    expect(actionsOn(scheduler, 'secretsmanager:')).toEqual([]);
    expect(actionsOn(worker, 'sns:')).toEqual(['sns:Publish']);
    expect(actionsOn(worker, 'sqs:')).toEqual(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage']);
    expect(actionsOn(worker, 'secretsmanager:')).toEqual([]);
    // Members' notices when a feed dies or recovers; the scheduler mails nobody.
    expect(actionsOn(worker, 'ses:')).toEqual(['ses:SendEmail']);
    expect(actionsOn(scheduler, 'ses:')).toEqual([]);
    for (const g of [scheduler, worker]) expect(actionsOn(g, 'kms:')).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    // The alerts API and the web pages: subscriptions (mail through SES, signed links), the admin's
    // view of the alerts queue (depth, dead letters, redrive); no publishing.
    for (const name of ['alerts-api', 'web'].filter(has)) {
      const g = grants(name);
      expect(actionsOn(g, 'dynamodb:'), name).toEqual(storeActions());
      expect(actionsOn(g, 'ses:'), name).toEqual(['ses:SendEmail']);
      expect(actionsOn(g, 'secretsmanager:'), name).toEqual(['secretsmanager:GetSecretValue']);
      expect(actionsOn(g, 'sqs:'), name).toEqual(['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:SendMessage']);
      expect(actionsOn(g, 'sns:'), name).toEqual([]);
      expect(actionsOn(g, 'kms:'), name).toEqual([]);
    }
    // The alert functions, once they exist: mail through SES, read the signing key, publish nothing.
    for (const spec of FUNCTIONS.filter((f) => f.name === 'alerts-worker' || f.name === 'alerts-digest')) {
      const g = grants(spec.name);
      expect(actionsOn(g, 'dynamodb:')).toEqual(storeActions());
      expect(actionsOn(g, 'ses:')).toEqual(['ses:SendEmail']);
      expect(actionsOn(g, 'secretsmanager:')).toEqual(['secretsmanager:GetSecretValue']);
      expect(actionsOn(g, 'sns:')).toEqual([]);
      expect(actionsOn(g, 'sqs:')).toEqual(
        spec.name === 'alerts-worker' ? ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:SendMessage'] : [],
      );
    }
  });

  it('gives each secret only to the functions that read it', () => {
    const [adminId] = one('AWS::SecretsManager::Secret', (p) => p.Name === 'icat-hub/staging/admin-token');
    const [keyId] = one('AWS::SecretsManager::Secret', (p) => p.Name === 'icat-hub/staging/token-signing-key');
    const readers = (secretId: string) =>
      FUNCTIONS.map((f) => f.name).filter((n) => grants(n).some((g) => g.action === 'secretsmanager:GetSecretValue' && g.resource === JSON.stringify({ Ref: secretId }))).sort();
    expect(readers(adminId)).toEqual(['alerts-api', 'api', 'web'].filter(has).sort());
    expect(readers(keyId)).toEqual(['alerts-api', 'alerts-digest', 'alerts-worker', 'web'].filter(has).sort());
  });

  it('names its resources: the table and its three indexes by name, the one topic, queue and secrets', () => {
    const [tableId] = one('AWS::DynamoDB::Table', () => true);
    const tableResources = new Set(grants('poll-worker').filter((g) => g.action.startsWith('dynamodb:')).map((g) => g.resource));
    expect([...tableResources].sort()).toEqual(
      [JSON.stringify({ 'Fn::GetAtt': [tableId, 'Arn'] }), ...['gsi1', 'gsi2', 'gsi3'].map((i) => JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, `/index/${i}`]] }))].sort(),
    );
    const [topicId] = one('AWS::SNS::Topic', (p) => p.TopicName === 'icat-hub-staging-publications');
    expect(grants('poll-worker').filter((g) => g.action === 'sns:Publish').map((g) => g.resource)).toEqual([JSON.stringify({ Ref: topicId })]);
  });

  it('has no wildcard action anywhere, and a wildcard resource only for X-Ray', () => {
    for (const [id, policy] of ofType('AWS::IAM::Policy')) {
      for (const s of policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]) {
        for (const action of [s.Action].flat()) expect(action, id).not.toContain('*');
        if ([s.Resource].flat().includes('*')) expect([s.Action].flat().every((a) => a.startsWith('xray:')), id).toBe(true);
      }
    }
  });
});

describe('web', () => {
  it('sends each path to its function through one HTTP API, and every other path to the web pages', () => {
    const [apiId] = one('AWS::ApiGatewayV2::Api', (p) => p.Name === 'icat-hub-staging');
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    const integrations = Object.fromEntries(ofType('AWS::ApiGatewayV2::Integration').map(([id, r]) => [id, r.Properties]));
    const target = (routeKey: string) => {
      const route = routes.find((r) => r.RouteKey === routeKey);
      expect(route, routeKey).toBeDefined();
      expect(route!.ApiId).toEqual({ Ref: apiId });
      const integration = integrations[route!.Target['Fn::Join'][1][1].Ref]!;
      const [fnId] = integration.IntegrationUri['Fn::GetAtt'];
      return resources[fnId]!.Properties.FunctionName.replace('icat-hub-staging-', '');
    };
    const expected = Object.entries(HTTP_ROUTES).flatMap(([fn, paths]) => (has(fn) ? paths.map((p) => [`ANY ${p}`, fn]) : []));
    for (const [key, fn] of expected) expect(target(key!), key).toBe(fn);
    expect(target('$default')).toBe(has('web') ? 'web' : 'api');
    expect(routes).toHaveLength(expected.length + 1);
  });

  it('throttles the HTTP API and logs its access', () => {
    const [apiId] = one('AWS::ApiGatewayV2::Api', (p) => p.Name === 'icat-hub-staging');
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: apiId },
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('routeKey') },
    });
    // The route template only: a request path can hold a subscriber's address.
    const [, stage] = one('AWS::ApiGatewayV2::Stage', () => true);
    expect(stage.Properties.AccessLogSettings.Format).not.toMatch(/\$context\.(path|resourcePath|rawPath)/);
  });

  it('puts CloudFront in front: feeds cached as the hub says, the API uncached, access logged', () => {
    const [cacheId, cache] = one('AWS::CloudFront::CachePolicy', () => true);
    expect(cache.Properties.CachePolicyConfig).toMatchObject({
      MinTTL: 0,
      DefaultTTL: 60,
      ParametersInCacheKeyAndForwardedToOrigin: {
        CookiesConfig: { CookieBehavior: 'none' },
        HeadersConfig: { HeaderBehavior: 'none' },
        QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: ['limit'] },
        EnableAcceptEncodingGzip: true,
      },
    });
    const [, dist] = one('AWS::CloudFront::Distribution', () => true);
    const config = dist.Properties.DistributionConfig;
    expect(config.Logging.Bucket).toBeDefined();
    expect(config.DefaultCacheBehavior).toMatchObject({
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
      ViewerProtocolPolicy: 'https-only',
    });
    expect(config.CacheBehaviors).toHaveLength(1);
    expect(config.CacheBehaviors[0]).toMatchObject({ PathPattern: '/feeds/*', CachePolicyId: { Ref: cacheId }, Compress: true, AllowedMethods: ['GET', 'HEAD', 'OPTIONS'] });
    // Cookies forwarded would turn off CloudFront's own 304s: the feeds behaviour forwards nothing extra.
    expect(config.CacheBehaviors[0].OriginRequestPolicyId).toBeUndefined();
    expect(config.Origins[0].CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
  });
});

describe('alerts', () => {
  it('subscribes the alerts queue to the publications topic', () => {
    const [topicId] = one('AWS::SNS::Topic', (p) => p.TopicName === 'icat-hub-staging-publications');
    const [queueId] = one('AWS::SQS::Queue', (p) => p.QueueName === 'icat-hub-staging-alerts');
    one('AWS::SQS::Queue', (p) => p.QueueName === 'icat-hub-staging-alerts-dlq');
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', TopicArn: { Ref: topicId }, Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] }, RawMessageDelivery: true });
  });

  it('sends through SES v2 from the domain, with bounces and complaints coming back to the hub', () => {
    const [setId] = one('AWS::SES::ConfigurationSet', (p) => p.Name === 'icat-hub-staging-alerts');
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'hub.icat.example', ConfigurationSetAttributes: { ConfigurationSetName: { Ref: setId } } });
    const [eventsTopicId] = one('AWS::SNS::Topic', (p) => p.TopicName === 'icat-hub-staging-mail-events');
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: setId },
      EventDestination: { Enabled: true, MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']), SnsDestination: { TopicARN: { Ref: eventsTopicId } } },
    });
    // Into the alerts queue, where the worker tells SES events from announcements.
    const [alertsQueueId] = one('AWS::SQS::Queue', (p) => p.QueueName === 'icat-hub-staging-alerts');
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', TopicArn: { Ref: eventsTopicId }, Endpoint: { 'Fn::GetAtt': [alertsQueueId, 'Arn'] }, RawMessageDelivery: true });
  });
});

describe('alert functions', () => {
  it('are wired, when present: the worker to the alerts queue, the digest to a 5-minute schedule', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'AlertsOnly');
    const data = new HubData(stack, 'Data', { stage: 'dev', destroyTable: true });
    const secrets = new HubSecrets(stack, 'Secrets', { stage: 'dev' });
    // Stand-in entries: the wiring, not the code, is under test here.
    const alerts = new Alerts(stack, 'Alerts', {
      stage: 'dev', domain: 'hub.icat.example', publications: data.publications, topicKey: data.key, table: data.table, signingKey: secrets.signingKey,
      publicUrl: 'https://feeds.icat.example', logRetention: RetentionDays.ONE_WEEK,
      worker: { name: 'alerts-worker', entry: 'functions/poll-worker.ts' },
      digest: { name: 'alerts-digest', entry: 'functions/poll-scheduler.ts' },
    });
    const t = Template.fromStack(stack);
    const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as CfnElement);
    const [worker, digest] = alerts.functions;
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: id(worker!.fn) },
      EventSourceArn: { 'Fn::GetAtt': [id(alerts.queue.queue), 'Arn'] },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 20,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    t.hasResourceProperties('AWS::Scheduler::Schedule', { Name: 'icat-hub-dev-alerts-digest', ScheduleExpression: 'rate(5 minutes)', Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [id(digest!.fn), 'Arn'] } }) });
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'icat-hub-dev-alerts-worker',
      Environment: { Variables: Match.objectLike({ MAIL_FROM: 'ICAT publication alerts <alerts@hub.icat.example>', TOKEN_SIGNING_KEY_SECRET_ARN: { Ref: id(secrets.signingKey) }, ALERTS_QUEUE_URL: { Ref: id(alerts.queue.queue) } }) },
    });
    CloudAssembly.cleanupTemporaryDirectories();
  });
});

describe('monitoring', () => {
  it('alarms on poll errors, dead letters, mail failures and API 5xx, to a mailed alarm topic', () => {
    const [topicId] = one('AWS::SNS::Topic', (p) => p.TopicName === 'icat-hub-staging-alarms');
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'hub-ops@example.org', TopicArn: { Ref: topicId } });
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms.map(([, a]) => a.Properties.AlarmName).sort()).toEqual(
      ['api5xx', 'feed-error-ratio', 'mail-bounce-rate', 'mail-complaint-rate', 'mail-failures', 'poll-dead-letters', 'poll-failures', 'scheduler-errors', 'scheduler-stopped'].map((n) => `icat-hub-staging-${n}`),
    );
    for (const [, a] of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    const [, pollFailures] = one('AWS::CloudWatch::Alarm', (p) => p.AlarmName === 'icat-hub-staging-poll-failures');
    expect(pollFailures.Properties).toMatchObject({ Namespace: 'IcatHub', MetricName: 'PollFailures', Dimensions: [{ Name: 'service', Value: 'icat-hub-staging' }] });
    one('AWS::CloudWatch::Dashboard', (p) => p.DashboardName === 'icat-hub-staging-overview');
  });
});

it('gives every named resource a stage-safe name', () => {
  const nameKeys = ['TableName', 'TopicName', 'QueueName', 'FunctionName', 'LogGroupName', 'AlarmName', 'DashboardName', 'Name', 'AliasName'];
  const names = Object.values(resources).flatMap((r) => nameKeys.map((k) => r.Properties?.[k]).filter((v): v is string => typeof v === 'string'));
  expect(names.length).toBeGreaterThan(20);
  for (const name of names) expect(name).toMatch(/icat-hub[-/]staging/);
});
