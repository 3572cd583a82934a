// The DynamoDB store against a real dynalite (in memory, loopback, port 0). No SDK mocks.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { Feed, Member, Publication } from '../../shared/model.ts';
import type { HubStore } from '../../shared/ports/store.ts';
import { HubError } from '../../shared/errors.ts';
import { createDynamoStore } from '../../shared/adapters/dynamo/index.ts';
import { ensureTable, tableDefinition } from '../../shared/adapters/dynamo/table.ts';
import { startDynalite } from '../../local/dynalite.ts';
import { dynamoClient, startTestDynamo, type DynamoTestContext } from '../helpers/dynamo.ts';

const T0 = Date.parse('2025-03-01T12:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function pub(id: string, members: string[], minutes: number, extra: Partial<Publication> = {}): Publication {
  return {
    id, title: `Title ${id}`, link: `https://example.org/${id}`, summary: '<p>Summary</p>', text: 'Summary',
    published: at(minutes), publishedRaw: 'Sat, 01 Mar 2025 12:00:00 GMT', authors: ['A. Author'], categories: ['ai', ''],
    enclosures: [{ url: `https://example.org/${id}.pdf`, type: 'application/pdf', length: 1234 }],
    members, feeds: members.map((m) => `feed-${m}`), firstSeen: at(minutes), sortDate: at(minutes), contentHash: `hash-${id}`,
    ...extra,
  };
}

function feed(id: string, memberId: string, nextPollMinutes: number, extra: Partial<Feed> = {}): Feed {
  return {
    id, memberId, url: `https://${memberId}.example.org/${id}.xml`, status: 'ok', createdAt: at(0), consecutiveErrors: 0,
    nextPollAt: at(nextPollMinutes), itemsSeen: 0, etag: '"abc"', ...extra,
  };
}

/** Every page of a listing, following cursors to the end. */
async function allPages(store: HubStore, memberId: string | undefined, limit: number) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listPublications({ memberId, limit, cursor });
    pages.push(page.items.map((p) => p.id));
    cursor = page.cursor;
  } while (cursor);
  return pages;
}

async function errorOf(promise: Promise<unknown>): Promise<HubError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(HubError);
  return err as HubError;
}

let ctx: DynamoTestContext;
let store: HubStore;
beforeAll(async () => {
  ctx = await startTestDynamo();
});
afterAll(async () => {
  await ctx?.teardown();
});
beforeEach(async () => {
  const tableName = `hub-test-${randomUUID()}`;
  await ensureTable(ctx.client, tableName);
  store = createDynamoStore(ctx.client, tableName);
});

describe('table', () => {
  it('creates the table with three ALL-projected GSIs and tolerates an existing one', async () => {
    await ensureTable(ctx.client, ctx.tableName); // already exists: no error
    const { Table } = await ctx.client.send(new DescribeTableCommand({ TableName: ctx.tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.Projection?.ProjectionType]).sort()).toEqual([
      ['gsi1', 'ALL'], ['gsi2', 'ALL'], ['gsi3', 'ALL'],
    ]);
    expect(tableDefinition('x').BillingMode).toBe('PAY_PER_REQUEST');
  });
});

describe('publications', () => {
  it('stores new publications once and reports the ids that already existed', async () => {
    const a = pub('a', ['m1'], 1);
    const b = pub('b', ['m2'], 2, { guid: 'urn:b', language: 'en', updated: at(3), updatedRaw: '2025' });
    const first = await store.createPublications([a, b], at(5));
    expect(first.created).toStrictEqual([a, b]);
    expect(first.existing).toEqual([]);

    const again = await store.createPublications([{ ...a, title: 'other poller' }, pub('c', ['m1'], 3), pub('c', ['m2'], 3)], at(5));
    expect(again.created.map((p) => p.id)).toEqual(['c']);
    expect(again.existing.sort()).toEqual(['a', 'c']);

    const got = await store.getPublications(['a', 'b', 'missing']);
    expect([...got.keys()].sort()).toEqual(['a', 'b']);
    expect(got.get('a')).toStrictEqual(a); // the first writer's version; no table keys leak out
    expect(got.get('b')).toStrictEqual(b);
  });

  it('reads more than one BatchGetItem chunk', async () => {
    const many = Array.from({ length: 230 }, (_, i) => pub(`p${String(i).padStart(3, '0')}`, ['m1'], i));
    await store.createPublications(many, at(0));
    const got = await store.getPublications([...many.map((p) => p.id), 'p000']);
    expect(got.size).toBe(230);
    expect(got.get('p229')?.title).toBe('Title p229');
  });

  it('lists newest first across members and per member, paging with cursors; a joint paper once in each', async () => {
    await store.createPublications([pub('a', ['m1'], 1), pub('b', ['m2'], 2), pub('c', ['m1'], 3), pub('d', ['m2'], 5)], at(0));
    await store.createPublications([pub('joint', ['m1'], 4)], at(0));
    const raced = await store.createPublications([pub('joint', ['m2'], 4)], at(0));
    expect(raced.existing).toEqual(['joint']);
    await store.applyChanges([{ id: 'joint', credit: { memberId: 'm2', feedId: 'feed-m2' } }]);
    await store.createPublications([pub('e', ['m3', 'm1'], 6)], at(0)); // joint from the start

    expect(await allPages(store, undefined, 2)).toEqual([['e', 'd'], ['joint', 'c'], ['b', 'a']]);
    expect(await allPages(store, undefined, 4)).toEqual([['e', 'd', 'joint', 'c'], ['b', 'a']]);
    expect(await allPages(store, 'm1', 2)).toEqual([['e', 'joint'], ['c', 'a']]);
    expect(await allPages(store, 'm2', 10)).toEqual([['d', 'joint', 'b']]);
    expect(await allPages(store, 'm3', 1)).toEqual([['e']]);
    expect(await allPages(store, 'nobody', 3)).toEqual([[]]);

    const m2 = await store.listPublications({ memberId: 'm2', limit: 10 });
    const joint = m2.items.find((p) => p.id === 'joint');
    expect(joint?.members).toEqual(['m1', 'm2']);
    expect(joint?.feeds).toEqual(['feed-m1', 'feed-m2']);
    expect(Object.keys(joint ?? {})).not.toContain('pk');
  });

  it('credits idempotently, and concurrent credits of one paper all land', async () => {
    await store.createPublications([pub('j', ['m1'], 1)], at(0));
    const credit = { id: 'j', credit: { memberId: 'm2', feedId: 'feed-m2' } };
    await store.applyChanges([credit]);
    await store.applyChanges([credit, credit]);
    expect((await store.getPublications(['j'])).get('j')?.members).toEqual(['m1', 'm2']);
    expect(await allPages(store, 'm2', 5)).toEqual([['j']]);

    await Promise.all(['m3', 'm4', 'm5', 'm6'].map((m) => store.applyChanges([{ id: 'j', credit: { memberId: m, feedId: `feed-${m}` } }])));
    const stored = (await store.getPublications(['j'])).get('j');
    expect(stored?.members.slice(0, 2)).toEqual(['m1', 'm2']);
    expect([...(stored?.members ?? [])].sort()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect([...(stored?.feeds ?? [])].sort()).toEqual(['feed-m1', 'feed-m2', 'feed-m3', 'feed-m4', 'feed-m5', 'feed-m6']);
    for (const m of ['m3', 'm6']) {
      const listed = (await store.listPublications({ memberId: m, limit: 5 })).items;
      expect(listed.map((p) => p.id)).toEqual(['j']);
      expect([...(listed[0]?.members ?? [])].sort()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    }

    // A second feed of the same member is added to `feeds` without crediting the member twice.
    await store.applyChanges([{ id: 'j', credit: { memberId: 'm1', feedId: 'feed-m1-b' } }]);
    const after = (await store.getPublications(['j'])).get('j');
    expect(after?.members.filter((m) => m === 'm1')).toHaveLength(1);
    expect(after?.feeds).toContain('feed-m1-b');
  });

  it('applies content changes to the main item and every credit copy, re-sorting on a new sortDate', async () => {
    await store.createPublications([pub('old', ['m2'], 1), pub('j', ['m1', 'm2'], 2), pub('new', ['m2'], 3)], at(0));
    await store.applyChanges([{ id: 'j', content: { title: 'Edited', sortDate: at(9), contentHash: 'h2', link: undefined } }]);

    const main = (await store.getPublications(['j'])).get('j');
    expect(main?.title).toBe('Edited');
    expect(main?.contentHash).toBe('h2');
    expect(main).not.toHaveProperty('link');
    const copy = (await store.listPublications({ memberId: 'm2', limit: 10 })).items;
    expect(copy.map((p) => p.id)).toEqual(['j', 'new', 'old']);
    expect(copy[0]).toStrictEqual(main);
    expect(await allPages(store, undefined, 10)).toEqual([['j', 'new', 'old']]);

    // An edit racing credits: whatever the interleaving, every copy ends with the edit and all members.
    await Promise.all([
      store.applyChanges([{ id: 'j', content: { title: 'Edited again' } }]),
      ...['m3', 'm4'].map((m) => store.applyChanges([{ id: 'j', credit: { memberId: m, feedId: `feed-${m}` } }])),
    ]);
    for (const m of ['m2', 'm3', 'm4']) {
      const listed = (await store.listPublications({ memberId: m, limit: 10 })).items.find((p) => p.id === 'j');
      expect(listed?.title).toBe('Edited again');
      expect([...(listed?.members ?? [])].sort()).toEqual(['m1', 'm2', 'm3', 'm4']);
    }

    const missing = await errorOf(store.applyChanges([{ id: 'nope', content: { title: 'x' } }]));
    expect(missing.code).toBe('publication_not_found');
  });

  it('rejects invalid cursors and limits as validation errors', async () => {
    await store.createPublications([pub('a', ['m1'], 1), pub('b', ['m1'], 2)], at(0));
    const fromMember = (await store.listPublications({ memberId: 'm1', limit: 1 })).cursor;
    expect(fromMember).toBeTypeOf('string');
    const bad = [
      'not a cursor!', Buffer.from('{"pk":').toString('base64url'), Buffer.from('[1,2]').toString('base64url'),
      Buffer.from(JSON.stringify({ pk: 'PUB#a', sk: 'PUB', gsi1pk: 'PUBS', gsi1sk: 'x', extra: 'y' })).toString('base64url'),
      fromMember ?? '',
    ];
    for (const cursor of bad) {
      const err = await errorOf(store.listPublications({ limit: 1, cursor }));
      expect([err.kind, err.code]).toEqual(['validation', 'invalid_cursor']);
    }
    // The same member cursor is fine for its own listing, but not for another member's.
    expect((await store.listPublications({ memberId: 'm1', limit: 1, cursor: fromMember })).items.map((p) => p.id)).toEqual(['a']);
    expect((await errorOf(store.listPublications({ memberId: 'm2', limit: 1, cursor: fromMember }))).code).toBe('invalid_cursor');
    expect((await errorOf(store.listPublications({ limit: 0 }))).code).toBe('invalid_limit');
  });

  it('runs the announcement cycle: held claims hide, lapsed claims return, announced ones leave', async () => {
    await store.createPublications([pub('a', ['m1'], 1), pub('b', ['m1'], 2)], at(10));
    expect(await store.listUnannounced(at(5), 10)).toEqual([]); // claimed by the creator until minute 10
    expect(await store.claimAnnouncement('a', at(5), at(20))).toBe(false);

    expect((await store.listUnannounced(at(11), 10)).map((p) => p.id)).toEqual(['a', 'b']);
    expect((await store.listUnannounced(at(11), 1)).map((p) => p.id)).toEqual(['a']);
    expect(await store.claimAnnouncement('a', at(11), at(20))).toBe(true);
    expect(await store.claimAnnouncement('a', at(12), at(30))).toBe(false); // held by the first claim
    expect((await store.listUnannounced(at(12), 10)).map((p) => p.id)).toEqual(['b']);
    expect((await store.listUnannounced(at(21), 10)).map((p) => p.id)).toEqual(['a', 'b']); // lapsed again
    expect(await store.claimAnnouncement('a', at(21), at(30))).toBe(true);

    await store.markAnnounced(['a', 'missing'], at(22));
    expect((await store.listUnannounced(at(40), 10)).map((p) => p.id)).toEqual(['b']);
    expect(await store.claimAnnouncement('a', at(40), at(50))).toBe(false);
    expect(await store.claimAnnouncement('missing', at(40), at(50))).toBe(false);
    expect((await store.getPublications(['a'])).get('a')?.announcedAt).toBe(at(22));
    expect((await store.getPublications(['missing'])).size).toBe(0); // markAnnounced made no phantom item
  });
});

describe('feeds', () => {
  it('round-trips feeds and refuses a duplicate id', async () => {
    const f = feed('f1', 'm1', 5, { title: 'News', format: 'rss', lastError: { code: 'http_500', message: 'Server error', at: at(1), status: 500 } });
    await store.createFeed(f);
    expect(await store.getFeed('f1')).toStrictEqual(f);
    expect(await store.getFeed('nope')).toBeUndefined();
    const dup = await errorOf(store.createFeed({ ...f, url: 'https://other.example.org/' }));
    expect([dup.kind, dup.code]).toEqual(['conflict', 'feed_exists']);
    expect((await store.getFeed('f1'))?.url).toBe(f.url);

    const saved: Feed = { ...f, status: 'not_modified', consecutiveErrors: 0, lastFetchAt: at(6), itemsSeen: 3 };
    delete saved.lastError;
    delete saved.etag;
    await store.saveFeed(saved);
    expect(await store.getFeed('f1')).toStrictEqual(saved);

    await store.deleteFeed('f1');
    expect(await store.getFeed('f1')).toBeUndefined();
    expect((await errorOf(store.saveFeed(saved))).code).toBe('feed_not_found'); // not brought back
  });

  it('lists due feeds soonest first, leaving out paused, removed and not-yet-due feeds', async () => {
    await store.createFeed(feed('late', 'm1', 9));
    await store.createFeed(feed('soon', 'm2', 1));
    await store.createFeed(feed('mid', 'm1', 5));
    await store.createFeed(feed('paused', 'm1', 0, { status: 'paused' }));
    await store.createFeed(feed('gone', 'm2', 0, { removed: true }));
    await store.createFeed(feed('future', 'm2', 60));

    expect((await store.listDueFeeds(at(10), 10)).map((f) => f.id)).toEqual(['soon', 'mid', 'late']);
    expect((await store.listDueFeeds(at(5), 10)).map((f) => f.id)).toEqual(['soon', 'mid']); // nextPollAt == now is due
    expect((await store.listDueFeeds(at(10), 2)).map((f) => f.id)).toEqual(['soon', 'mid']);

    const mid = await store.getFeed('mid');
    await store.saveFeed({ ...mid!, status: 'paused' });
    await store.saveFeed({ ...(await store.getFeed('paused'))!, status: 'ok', nextPollAt: at(2) });
    await store.saveFeed({ ...(await store.getFeed('soon'))!, nextPollAt: at(30) });
    expect((await store.listDueFeeds(at(10), 10)).map((f) => f.id)).toEqual(['paused', 'late']);

    expect((await store.listFeeds()).map((f) => f.id)).toEqual(['future', 'gone', 'late', 'mid', 'paused', 'soon']);
    expect((await store.listFeeds({ memberId: 'm1' })).map((f) => f.id)).toEqual(['late', 'mid', 'paused']);
    expect(await store.listFeeds({ memberId: 'nobody' })).toEqual([]);
  });

  it('grants a poll lease to one holder at a time, keeps it across saveFeed, and lets it lapse', async () => {
    await store.createFeed(feed('f1', 'm1', 0));
    const attempts = await Promise.all([1, 2, 3, 4].map(() => store.acquirePollLease('f1', at(0), at(5))));
    expect(attempts.filter(Boolean)).toHaveLength(1);
    await store.saveFeed({ ...(await store.getFeed('f1'))!, itemsSeen: 7 });
    expect(await store.acquirePollLease('f1', at(3), at(8))).toBe(false);
    expect(await store.acquirePollLease('f1', at(6), at(8))).toBe(true); // lapsed at minute 5
    await store.releasePollLease('f1');
    expect(await store.acquirePollLease('f1', at(7), at(9))).toBe(true);
    expect(await store.acquirePollLease('missing', at(0), at(5))).toBe(false);
    await store.releasePollLease('missing');
    expect(await store.getFeed('missing')).toBeUndefined();
  });
});

describe('members and API keys', () => {
  const member = (id: string, extra: Partial<Member> = {}): Member => ({
    id, name: `Member ${id}`, candidateFeeds: [{ url: `https://${id}.example.org/feed`, verified: false }], createdAt: at(0), active: false, ...extra,
  });

  it('creates, saves, gets and lists members', async () => {
    expect(await store.createMember(member('b', { acronym: 'B', email: 'b@example.org' }))).toBe(true);
    expect(await store.createMember(member('a'))).toBe(true);
    expect(await store.createMember(member('a', { name: 'Impostor' }))).toBe(false);
    expect((await store.getMember('a'))?.name).toBe('Member a');
    await store.saveMember(member('a', { active: true, website: 'https://a.example.org' }));
    expect(await store.getMember('a')).toStrictEqual(member('a', { active: true, website: 'https://a.example.org' }));
    expect(await store.getMember('zz')).toBeUndefined();
    expect((await store.listMembers()).map((m) => [m.id, m.email])).toEqual([['a', undefined], ['b', 'b@example.org']]);
  });

  it('finds a member by API key hash and forgets deleted keys', async () => {
    const hash = 'ab'.repeat(32);
    await store.putApiKey(hash, 'm1', at(0));
    expect(await store.findMemberIdByKeyHash(hash)).toBe('m1');
    expect(await store.findMemberIdByKeyHash(hash.toUpperCase())).toBe('m1');
    expect(await store.findMemberIdByKeyHash('cd'.repeat(32))).toBeUndefined();
    expect(await store.findMemberIdByKeyHash('not-a-hash')).toBeUndefined();
    expect((await errorOf(store.putApiKey('plain-key', 'm1', at(0)))).code).toBe('invalid_key_hash');
    await store.deleteApiKey(hash);
    expect(await store.findMemberIdByKeyHash(hash)).toBeUndefined();
  });
});

describe('dynalite on disk', () => {
  it('keeps data across stop and start, and refuses a second server on the same folder', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hub-dynalite-'));
    try {
      const first = await startDynalite({ dataDir });
      const clash = await errorOf(startDynalite({ dataDir }));
      expect([clash.kind, clash.code]).toEqual(['config', 'data_dir_in_use']);
      let client = dynamoClient(first.endpoint);
      await ensureTable(client, 'hub');
      await createDynamoStore(client, 'hub').createPublications([pub('kept', ['m1'], 1)], at(5));
      client.destroy();
      await first.stop();

      const second = await startDynalite({ dataDir });
      client = dynamoClient(second.endpoint);
      try {
        await ensureTable(client, 'hub');
        const reopened = createDynamoStore(client, 'hub');
        expect((await reopened.getPublications(['kept'])).get('kept')).toStrictEqual(pub('kept', ['m1'], 1));
        expect((await reopened.listUnannounced(at(6), 5)).map((p) => p.id)).toEqual(['kept']);
      } finally {
        client.destroy();
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
