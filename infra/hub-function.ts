// One Lambda function of the hub, with the defaults every function shares (runtime, arm64, its bundle,
// its own log group, X-Ray, Powertools settings) and helpers that set an environment variable and grant
// exactly the actions the code uses, in one call, so permissions cannot drift from the code.
import { RemovalPolicy, Stack, Validations, type CfnElement, type Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Function as LambdaFunction, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tableDefinition } from '../shared/adapters/dynamo/table.ts';
import { METRIC_NAMESPACE } from '../lambda/metrics.ts';
import { nodeOptionsFor, type FunctionSpec } from './bundling.ts';
import { functionCode } from './function-code.ts';

/** DynamoDB actions the store (shared/adapters/dynamo) issues; nothing else is ever granted. */
const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  readwrite: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
};

export interface HubFunctionProps {
  spec: FunctionSpec;
  stage: string;
  description: string;
  timeout: Duration;
  memorySize: number;
  logRetention: RetentionDays;
  environment?: Record<string, string>;
}

export class HubFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: HubFunctionProps) {
    super(scope, id);
    const functionName = `icat-hub-${props.stage}-${props.spec.name}`;
    this.logGroup = new LogGroup(this, 'Logs', { logGroupName: `/aws/lambda/${functionName}`, retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    // An own role instead of AWSLambdaBasicExecutionRole: that managed policy may write to every log group.
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `${functionName}: only what its code uses` });
    this.logGroup.grantWrite(this.role);
    this.fn = new LambdaFunction(this, 'Function', {
      functionName,
      description: props.description,
      code: functionCode(props.spec),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: nodeOptionsFor(props.memorySize),
        POWERTOOLS_SERVICE_NAME: serviceName(props.stage),
        POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
        // Traces must not carry feed bodies or announcements.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...props.environment,
      },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions; CDK adds them for active tracing.',
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'nodejs22.x is the runtime the hub is built and tested for (esbuild target node22); a newer runtime is adopted with a release that tests on it.',
    });
  }

  /** Sets TABLE_NAME and grants the store's actions on the table and its indexes (by name, no wildcard). */
  bindTable(options: { table: ITable; access: 'read' | 'readwrite' }): this {
    this.fn.addEnvironment('TABLE_NAME', options.table.tableName);
    const indexes = (tableDefinition('-').GlobalSecondaryIndexes ?? []).map((i) => `${options.table.tableArn}/index/${i.IndexName}`);
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: TABLE_ACTIONS[options.access], resources: [options.table.tableArn, ...indexes] }));
    return this;
  }

  /** Sets TOPIC_ARN; publish only, and the two KMS actions an encrypted topic needs. */
  bindTopic(topic: ITopic, key: IKey): this {
    this.fn.addEnvironment('TOPIC_ARN', topic.topicArn);
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }));
    return this;
  }

  /** Sets `envName` to the queue URL and grants sending (SendMessageBatch uses sqs:SendMessage). */
  bindQueueSender(queue: IQueue, envName: string): this {
    this.fn.addEnvironment(envName, queue.queueUrl);
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    return this;
  }

  /** Grants exactly these actions on exactly these resources. */
  allow(actions: string[], resources: string[]): this {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions, resources }));
    return this;
  }

  /** Sets `envName` to the secret's ARN (never its value) and grants reading that secret only. */
  bindSecret(secret: ISecret, envName: string): this {
    this.fn.addEnvironment(envName, secret.secretArn);
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
    return this;
  }
}

export function serviceName(stage: string): string {
  return `icat-hub-${stage}`;
}

/** The role EventBridge Scheduler assumes to invoke one function, and nothing else. */
export function scheduleRole(scope: Construct, id: string, target: HubFunction): Role {
  const role = new Role(scope, id, { assumedBy: new ServicePrincipal('scheduler.amazonaws.com'), description: `Invokes ${target.node.path}` });
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${Stack.of(scope).getLogicalId(target.fn.node.defaultChild as CfnElement)}.Arn>:*]`,
    reason: 'CDK grants invoke on the function and its versions (ARN:*); the role can invoke this one function only.',
  });
  return role;
}
