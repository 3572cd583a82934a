// A real in-memory dynalite on a free loopback port, a client pointed at it and a fresh table.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../../shared/adapters/dynamo/table.ts';
import { startDynalite } from '../../shared/local/dynalite.ts';

export interface DynamoTestContext {
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

export async function startTestDynamo(): Promise<DynamoTestContext> {
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
