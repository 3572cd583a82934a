// A refresh of the publication index that nobody awaits (past its TTL, readers keep the older copy)
// and that fails is logged with what was lost and counted, not dropped without a word. Real dynalite:
// the table goes away between the first load and the refresh.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDynamoStore } from '../../shared/adapters/dynamo/index.ts';
import { createLogger } from '../../shared/log.ts';
import { loadAllPublications, PublicationIndex } from '../../shared/app/publication-index.ts';
import { startTestDynamo, type DynamoTestContext } from '../helpers/dynamo.ts';
import { seedPublications } from '../helpers/publications.ts';

let db: DynamoTestContext;

beforeAll(async () => {
  db = await startTestDynamo();
});

afterAll(async () => {
  await db?.teardown();
});

describe('publication index refresh', () => {
  it('logs and counts a failed background refresh, and keeps serving the older copy', async () => {
    const store = createDynamoStore(db.client, db.tableName);
    await seedPublications(store, 3);
    const lines: Record<string, unknown>[] = [];
    const log = createLogger({ write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    let now = 1_000_000;
    const index = new PublicationIndex(() => loadAllPublications(store), { ttlSeconds: 60, clock: () => now, log });
    expect((await index.snapshot()).entries).toHaveLength(3);

    await db.client.send(new DeleteTableCommand({ TableName: db.tableName }));
    now += 61_000;
    expect((await index.snapshot()).entries).toHaveLength(3);
    await vi.waitFor(() => expect(index.failedRefreshes).toBe(1));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', message: 'publication index refresh failed; serving the older copy', copy_age_seconds: 61, publication_count: 3, failed_refreshes: 1 });
    expect(String(lines[0]!.error)).not.toBe('');
    expect((await index.snapshot()).entries).toHaveLength(3);
  });
});
