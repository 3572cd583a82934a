// A throw-away table: an in-memory dynalite on a free loopback port, a client pointed at it and a
// fresh table. For tests and benchmarks, which need a real DynamoDB API and nothing kept.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../shared/adapters/dynamo/table.ts';
import { startDynalite } from './dynalite.ts';

export interface ScratchTable {
  client: DynamoDBClient;
  tableName: string;
  endpoint: string;
  teardown(): Promise<void>;
}

export function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

export async function startScratchTable(): Promise<ScratchTable> {
  const dynamo = await startDynalite({ port: 0 });
  const client = dynamoClient(dynamo.endpoint);
  const tableName = `hub-test-${randomUUID()}`;
  try {
    await ensureTable(client, tableName);
  } catch (err) {
    client.destroy();
    await dynamo.stop();
    throw err;
  }
  return {
    client,
    tableName,
    endpoint: dynamo.endpoint,
    async teardown() {
      client.destroy();
      await dynamo.stop();
    },
  };
}
