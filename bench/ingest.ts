// Ingest (read what is stored, plan, conditional create) into dynalite, against a bare BatchWriteItem
// of the same publication items into the same dynalite.
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoStore } from '../shared/adapters/dynamo/index.ts';
import { publicationItem } from '../shared/adapters/dynamo/codec.ts';
import { ensureTable } from '../shared/adapters/dynamo/table.ts';
import { planIngest } from '../shared/core/dedup.ts';
import { parseFeed } from '../shared/core/parse.ts';
import { startScratchTable as startTestDynamo } from '../local/scratch-table.ts';
import { publicationFeed } from './fixtures.ts';
import { interleave, time, type Result } from './stats.ts';

export async function benchIngest(): Promise<Result[]> {
  const dynamo = await startTestDynamo();
  const doc = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
  const items = parseFeed({ body: Buffer.from(publicationFeed(1000)), url: 'https://www.example.org/feed' }).items;
  const feed = { id: 'fbench', memberId: 'unodc' };
  const now = '2026-11-20T00:00:00.000Z';
  const claim = '2026-11-20T00:02:00.000Z';
  const freshTable = async () => {
    const name = `bench-${randomUUID()}`;
    await ensureTable(dynamo.client, name);
    return name;
  };
  try {
    const { baseline, subject } = await interleave(
      5,
      1,
      async () => {
        const table = await freshTable();
        const pubs = planIngest(feed, items, new Map(), now).create;
        return time(async () => {
          for (let i = 0; i < pubs.length; i += 25) {
            await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pubs.slice(i, i + 25).map((p) => ({ PutRequest: { Item: publicationItem(p, 1, claim) } })) } }));
          }
        });
      },
      async () => {
        const store = createDynamoStore(dynamo.client, await freshTable());
        return time(async () => {
          const existing = await store.getPublications(items.map((i) => i.id));
          const plan = planIngest(feed, items, existing, now);
          const { created } = await store.createPublications(plan.create, claim);
          if (created.length !== items.length) throw new Error(`expected ${items.length} created, got ${created.length}`);
        });
      },
    );
    const ours = (items.length / subject) * 1000;
    const base = (items.length / baseline) * 1000;
    return [{ name: 'ingest into dynalite (1,000 new publications)', value: Math.round(ours), unit: 'publications/s', baseline: Math.round(base), ratio: ours / base, target: '>= 0.8', ok: ours / base >= 0.8 }];
  } finally {
    await dynamo.teardown();
  }
}
