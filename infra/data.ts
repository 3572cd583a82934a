// The hub's state and its fan-out point: the DynamoDB table (built from the same definition the local
// runtime creates, shared/adapters/dynamo/table.ts), the SNS topic `publications`, and the KMS key
// that encrypts the topics.
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { tableDefinition, TTL_ATTRIBUTE } from '../shared/adapters/dynamo/table.ts';

export interface HubDataProps {
  stage: string;
  destroyTable: boolean;
}

export class HubData extends Construct {
  readonly table: Table;
  readonly key: Key;
  readonly publications: Topic;

  constructor(scope: Construct, id: string, props: HubDataProps) {
    super(scope, id);
    this.table = buildTable(this, `icat-hub-${props.stage}`, props.destroyTable);

    this.key = new Key(this, 'TopicKey', {
      alias: `alias/icat-hub-${props.stage}-topics`,
      description: 'Encrypts the ICAT hub SNS topics (publications, mail events, alarms)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Services that publish to the encrypted topics on the hub's behalf.
    for (const service of ['cloudwatch.amazonaws.com', 'ses.amazonaws.com']) {
      this.key.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal(service)],
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: ['*'], // in a key policy: this key
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
      );
    }

    this.publications = new Topic(this, 'Publications', {
      topicName: `icat-hub-${props.stage}-publications`,
      displayName: 'ICAT hub: new publications',
      masterKey: this.key,
      enforceSSL: true,
    });
  }
}

function buildTable(scope: Construct, tableName: string, destroy: boolean): Table {
  const def = tableDefinition(tableName);
  const type = (name: string): AttributeType => {
    const t = def.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType;
    if (t === 'S') return AttributeType.STRING;
    if (t === 'N') return AttributeType.NUMBER;
    if (t === 'B') return AttributeType.BINARY;
    throw new Error(`tableDefinition has no attribute type for ${name}`);
  };
  const keysOf = (schema: { AttributeName?: string; KeyType?: string }[] | undefined): { partitionKey: Attribute; sortKey?: Attribute } => {
    const attr = (kind: string) => schema?.find((k) => k.KeyType === kind)?.AttributeName;
    const hash = attr('HASH');
    const range = attr('RANGE');
    if (!hash) throw new Error('tableDefinition has a key schema without a HASH key');
    return { partitionKey: { name: hash, type: type(hash) }, ...(range ? { sortKey: { name: range, type: type(range) } } : {}) };
  };
  if (def.BillingMode !== 'PAY_PER_REQUEST') throw new Error('the hub table is on-demand (PAY_PER_REQUEST) by design');

  const table = new Table(scope, 'Table', {
    tableName,
    ...keysOf(def.KeySchema),
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: !destroy,
    encryption: TableEncryption.AWS_MANAGED,
    // Clears expired one-time tokens and old announcement logs; nothing depends on when.
    timeToLiveAttribute: TTL_ATTRIBUTE,
    removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  });
  for (const index of def.GlobalSecondaryIndexes ?? []) {
    if (index.Projection?.ProjectionType !== 'ALL') throw new Error(`index ${index.IndexName} must project ALL, as the store reads whole items from it`);
    table.addGlobalSecondaryIndex({ indexName: index.IndexName!, ...keysOf(index.KeySchema) });
  }
  return table;
}
