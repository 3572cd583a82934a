// The hub's single DynamoDB table: key names, indexes and key builders. The CDK stack and the local
// runtime both build the table from `tableDefinition`, so this file is the one source of truth.
//
// Storage: one table, keys `pk` (S) / `sk` (S), three GSIs (projection ALL), PAY_PER_REQUEST.
//
// | Item        | pk               | sk                | gsi1 pk / sk               | gsi2 pk / sk                              | gsi3 pk / sk                  |
// |-------------|------------------|-------------------|----------------------------|-------------------------------------------|-------------------------------|
// | Publication | PUB#<id>         | PUB               | PUBS / <sortDate>#<id>     | MEMBER#<first member>#PUBS / <sortDate>#<id> | UNANNOUNCED / <firstSeen>#<id> (1) |
// | Credit copy | PUB#<id>         | CREDIT#<memberId> | -                          | MEMBER#<memberId>#PUBS / <sortDate>#<id>  | -                             |
// | Feed        | FEED#<id>        | FEED              | FEEDS / <nextPollAt>#<id> (2) | MEMBER#<memberId>#FEEDS / <id>         | ALLFEEDS / <id>               |
// | Member      | MEMBER#<id>      | MEMBER            | -                          | MEMBERS / <id>                            | -                             |
// | API key     | KEY#<sha256 hex> | KEY               | -                          | -                                         | -                             |
// | Subscription | SUB#<hmac>      | SUB               | ALERTS#INSTANT / <hmac> (3) | ALERTS#DIGEST / <nextDigestAt>#<hmac> (4) | ALERTS#HELD / <heldUntil>#<hmac> or ALERTS#UNCONFIRMED / <requestedAt>#<hmac> (5) |
// | Delivery    | SUB#<hmac>       | SENT#<publication id> | -                      | -                                         | -                             |
// | Held match  | SUB#<hmac>       | HELD#<publication id> | -                      | -                                         | -                             |
// | Announcement log | ALERTLOG#<yyyy-mm-dd> | <publication id> | -                 | -                                         | -                             |
//
// (1) only until announced, with `claimUntil`. (2) only while neither paused nor removed.
// (3) active instant subscriptions only. (4) active daily/weekly ones only. (5) while burst matches are
// held; else while never confirmed. <hmac>: 40 hex characters of HMAC-SHA256 of the normalised e-mail
// address (shared/alerts/tokens.ts): no key ever holds an address; the address is an attribute of the
// subscription item only (shared/adapters/dynamo/subscription-store.ts).
// Bookkeeping attributes: `rev` on publications and copies, `claimUntil`, `leaseUntil` on feeds.
//
// Access patterns:
// - Publications by id: BatchGetItem on PUB#<id> / PUB, strongly consistent.
// - All publications newest first: Query gsi1 PUBS, descending.
// - One member's publications newest first: Query gsi2 MEMBER#<id>#PUBS, descending. A joint paper
//   has a full copy per further member (sk CREDIT#<memberId>), so the listing needs no second read.
//   Main item and copies carry a revision `rev`; copies are rewritten from the main item's latest
//   state and only a newer revision may replace a copy, so concurrent edits and credits converge.
// - New publications: conditional PutItem (attribute_not_exists(pk)): two pollers storing the same
//   paper never overwrite each other; the loser credits its member instead.
// - Unannounced publications: Query gsi3 UNANNOUNCED, oldest first, filtered on a lapsed
//   `claimUntil`; the claim is a conditional UpdateItem; announcing removes the gsi3 keys (sparse).
// - Feeds due for a poll: Query gsi1 FEEDS with gsi1sk <= "<now>#\uffff", soonest first. Paused and
//   removed feeds carry no gsi1 keys, so they never appear.
// - One member's feeds: Query gsi2 MEMBER#<id>#FEEDS. All feeds, paused ones included: Query gsi3
//   ALLFEEDS (a partition of its own, so it never mixes with UNANNOUNCED). No Scan anywhere.
// - Poll lease: conditional UpdateItem on the feed's `leaseUntil`.
// - Members: GetItem; all members: Query gsi2 MEMBERS.
// - API keys: GetItem on KEY#<sha256 hex of the key>; the key itself is never stored.
// - One-time tokens (sign-in links): conditional PutItem on ONCE#<sha256 of the token>, with a TTL
//   attribute `expiresAt` (epoch seconds) so AWS drops it once the link has expired.
// - Subscription by address: GetItem on SUB#<hmac of the address> / SUB; saved by a conditional
//   PutItem on its revision `rev`. Instant subscribers: Query gsi1 ALERTS#INSTANT. Digests due: Query
//   gsi2 ALERTS#DIGEST up to "<now>#\uffff". Held burst matches due: Query gsi3 ALERTS#HELD up to
//   "<now>#\uffff". Requests never confirmed: Query gsi3 ALERTS#UNCONFIRMED (purged after 7 days).
// - Deliveries: one item per (subscriber, publication), claimed by a conditional PutItem
//   (attribute_not_exists, or a lapsed `leaseUntil` while still "sending") before a mail goes, marked
//   "sent" after: a redelivered queue message never mails twice. Held matches: Query SUB#<hmac> with
//   sk begins_with HELD#. Export and erasure of a subscriber: Query SUB#<hmac>, BatchWriteItem deletes.
// - Announcement log for digests: conditional PutItem per announcement into the partition of the day
//   it arrived; a digest reads the days of its window (Query per day). Items carry `expiresAt` (40
//   days) for DynamoDB TTL where it is enabled; nothing depends on it.
//
// Nothing relies on Streams, transactions or TTL (the local emulator, dynalite, has none of them).
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { HubError } from '../../errors.ts';

/** Epoch seconds after which an item may go (DynamoDB TTL in AWS; nothing depends on it happening). */
export const TTL_ATTRIBUTE = 'expiresAt';
export const PK = 'pk';
export const SK = 'sk';
export const GSI1 = 'gsi1';
export const GSI2 = 'gsi2';
export const GSI3 = 'gsi3';
export const GSI_KEYS = {
  [GSI1]: { pk: 'gsi1pk', sk: 'gsi1sk' },
  [GSI2]: { pk: 'gsi2pk', sk: 'gsi2sk' },
  [GSI3]: { pk: 'gsi3pk', sk: 'gsi3sk' },
} as const;
export type GsiName = keyof typeof GSI_KEYS;

/** Sorts after every character an id or ISO date may contain: "<now>#\uffff" bounds "<now>#<anything>". */
export const SORT_KEY_MAX = '\uffff';

export const keys = {
  publication: (id: string) => ({ pk: `PUB#${id}`, sk: 'PUB' }),
  credit: (id: string, memberId: string) => ({ pk: `PUB#${id}`, sk: `CREDIT#${memberId}` }),
  feed: (id: string) => ({ pk: `FEED#${id}`, sk: 'FEED' }),
  member: (id: string) => ({ pk: `MEMBER#${id}`, sk: 'MEMBER' }),
  apiKey: (hash: string) => ({ pk: `KEY#${hash}`, sk: 'KEY' }),
  once: (hash: string) => ({ pk: `ONCE#${hash}`, sk: 'ONCE' }),
};

/** Partition values of the index partitions. */
export const partitions = {
  allPublications: 'PUBS',
  memberPublications: (memberId: string) => `MEMBER#${memberId}#PUBS`,
  unannounced: 'UNANNOUNCED',
  dueFeeds: 'FEEDS',
  memberFeeds: (memberId: string) => `MEMBER#${memberId}#FEEDS`,
  allFeeds: 'ALLFEEDS',
  members: 'MEMBERS',
};

export function tableDefinition(tableName: string): CreateTableCommandInput {
  const gsi = (name: GsiName) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: GSI_KEYS[name].pk, KeyType: 'HASH' as const },
      { AttributeName: GSI_KEYS[name].sk, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  const names = [PK, SK, ...Object.values(GSI_KEYS).flatMap((k) => [k.pk, k.sk])];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [
      { AttributeName: PK, KeyType: 'HASH' },
      { AttributeName: SK, KeyType: 'RANGE' },
    ],
    AttributeDefinitions: names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    GlobalSecondaryIndexes: [gsi(GSI1), gsi(GSI2), gsi(GSI3)],
  };
}

/** Creates the table unless it exists, then waits until it and its indexes are ACTIVE. */
export async function ensureTable(client: DynamoDBClient, tableName: string, timeoutMs = 60_000): Promise<void> {
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (err) {
    // Another process (or a previous run) created it first: fine, wait for it below.
    if (!(err instanceof ResourceInUseException)) {
      throw storeError('CreateTable', err);
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
      if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    } catch (err) {
      // Right after CreateTable, DescribeTable may not see the table yet.
      if (!(err instanceof ResourceNotFoundException)) throw storeError('DescribeTable', err);
    }
    if (Date.now() > deadline) {
      throw new HubError('internal', 'store_unavailable', `Table ${tableName} did not become ACTIVE within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** Follows a query's pages until `max` items are collected or the partition is exhausted. */
export async function queryItems(doc: DynamoDBDocumentClient, input: QueryCommandInput, max = Infinity): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start = input.ExclusiveStartKey;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start })).catch((err: unknown) => {
      throw storeError('Query', err);
    });
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start && items.length < max);
  return items.slice(0, max);
}

export function isConditionalFailure(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || (err as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}

/** Anything DynamoDB throws that the store does not handle becomes one HubError, cause kept. */
export function storeError(operation: string, err: unknown): HubError {
  if (err instanceof HubError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new HubError('internal', 'store_unavailable', `DynamoDB ${operation} failed: ${message}`, { cause: err });
}
