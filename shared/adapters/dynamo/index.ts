// The hub's store on one DynamoDB table (see table.ts for keys and access patterns).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HubStore } from '../../ports/store.ts';
import { createFeedStore } from './feed-store.ts';
import { createMemberStore } from './member-store.ts';
import { createPublicationStore } from './publication-store.ts';

export { ensureTable, tableDefinition } from './table.ts';

export function createDynamoStore(client: DynamoDBClient, tableName: string): HubStore {
  // Optional domain fields are often undefined; DynamoDB has no undefined, so they are left out.
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    ...createPublicationStore(doc, tableName),
    ...createFeedStore(doc, tableName),
    ...createMemberStore(doc, tableName),
  };
}
