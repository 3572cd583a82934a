// The subscription store against a real dynalite: conditional writes, sparse index partitions, claims.
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubscriptionStore } from '../../shared/adapters/dynamo/subscription-store.ts';
import type { AlertPublication, Subscription, SubscriptionStore } from '../../shared/ports/subscriptions.ts';
import { startTestDynamo, type DynamoTestContext } from '../helpers/dynamo.ts';

let db: DynamoTestContext;
let store: SubscriptionStore;

const T0 = '2026-11-02T09:00:00.000Z';
const sub = (id: string, over: Partial<Subscription> = {}): Subscription => ({
  id, email: `${id}@example.org`, status: 'active', frequency: 'instant', gen: 'g1', createdAt: T0, updatedAt: T0, recentAlerts: [], rev: 1,
  filters: { members: ['unodc'], categories: [], languages: [], keywords: [] }, ...over,
});
const pub = (id: string): AlertPublication => ({ id, title: `Paper ${id}`, members: ['unodc'], categories: ['Research'], enclosures: [{ url: 'https://x.example/a.pdf', type: 'application/pdf' }], firstSeen: T0 });
const ids = (subs: Subscription[]) => subs.map((s) => s.id).sort();

beforeAll(async () => {
  db = await startTestDynamo();
  store = createSubscriptionStore(db.client, db.tableName);
});
afterAll(async () => {
  await db?.teardown();
});

describe('subscription store', () => {
  it('creates once and saves only over the revision it read', async () => {
    expect(await store.createSubscription(sub('s1'))).toBe(true);
    expect(await store.createSubscription(sub('s1', { email: 'other@example.org' }))).toBe(false);
    const read = (await store.getSubscription('s1'))!;
    expect(read).toEqual(sub('s1'));
    expect(await store.saveSubscription({ ...read, frequency: 'daily', nextDigestAt: '2026-11-03T07:00:00.000Z' })).toBe(true);
    // A second writer that read revision 1 too loses.
    expect(await store.saveSubscription({ ...read, status: 'suspended' })).toBe(false);
    const now = (await store.getSubscription('s1'))!;
    expect(now).toMatchObject({ rev: 2, frequency: 'daily', status: 'active' });
  });

  it('lists each kind of subscription from its own sparse index partition', async () => {
    await store.createSubscription(sub('inst'));
    await store.createSubscription(sub('daily-due', { frequency: 'daily', nextDigestAt: '2026-11-03T07:00:00.000Z' }));
    await store.createSubscription(sub('weekly-later', { frequency: 'weekly', nextDigestAt: '2026-11-09T07:00:00.000Z' }));
    await store.createSubscription(sub('held', { heldUntil: '2026-11-02T09:10:00.000Z' }));
    await store.createSubscription(sub('paused', { status: 'suspended' }));
    await store.createSubscription(sub('new', { status: 'pending', pending: { filters: sub('x').filters, frequency: 'instant', nonce: 'n', requestedAt: '2026-10-20T00:00:00.000Z' } }));

    expect(ids(await store.listInstantSubscriptions())).toEqual(['held', 'inst']);
    expect(ids(await store.listDueDigests('2026-11-03T07:00:00.000Z', 10))).toEqual(['daily-due', 's1']);
    expect(ids(await store.listDueDigests('2026-11-03T06:59:59.999Z', 10))).toEqual([]);
    expect(ids(await store.listDueHeld('2026-11-02T09:10:00.000Z', 10))).toEqual(['held']);
    expect(ids(await store.listDueHeld('2026-11-02T09:09:00.000Z', 10))).toEqual([]);
    expect(ids(await store.listUnconfirmed('2026-10-26T00:00:00.000Z', 10))).toEqual(['new']);

    // Leaving the state leaves the partition.
    const held = (await store.getSubscription('held'))!;
    await store.saveSubscription({ ...held, heldUntil: undefined, status: 'unsubscribed' });
    expect(ids(await store.listDueHeld('2027-01-01T00:00:00.000Z', 10))).toEqual([]);
    expect(ids(await store.listInstantSubscriptions())).toEqual(['inst']);
  });

  it('claims a delivery once, gives it back after a failure, and never after success', async () => {
    const lease = '2026-11-02T09:05:00.000Z';
    expect(await store.claimDeliveries('inst', ['a', 'b', 'a'], 'alert', T0, lease)).toEqual(['a', 'b']);
    expect(await store.claimDeliveries('inst', ['a', 'b', 'c'], 'rollup', T0, lease)).toEqual(['c']);
    await store.releaseDeliveries('inst', ['b']);
    await store.completeDeliveries('inst', ['a'], { messageId: '<m@x>', at: T0 });
    await store.releaseDeliveries('inst', ['a']);
    expect(await store.claimDeliveries('inst', ['a', 'b'], 'alert', T0, lease)).toEqual(['b']);
    // A claim left by a process that died lapses; a completed delivery never does.
    expect(await store.claimDeliveries('inst', ['a', 'b', 'c'], 'alert', '2026-11-02T09:06:00.000Z', '2026-11-02T09:11:00.000Z')).toEqual(['b', 'c']);
    const records = await store.listDeliveries('inst');
    expect(records.find((r) => r.publicationId === 'a')).toEqual({ publicationId: 'a', state: 'sent', kind: 'alert', at: T0, messageId: '<m@x>' });
    expect(records).toHaveLength(3);
  });

  it('keeps held matches and announcements for digests', async () => {
    await store.holdAlerts('inst', [pub('h1'), pub('h2')], T0);
    expect((await store.listHeld('inst')).map((p) => p.id)).toEqual(['h1', 'h2']);
    expect((await store.listHeld('inst'))[0]).toEqual(pub('h1'));
    await store.removeHeld('inst', ['h1']);
    expect((await store.listHeld('inst')).map((p) => p.id)).toEqual(['h2']);

    await store.logAnnouncements([pub('l1'), pub('l2')], '2026-11-02T23:59:00.000Z');
    await store.logAnnouncements([pub('l1')], '2026-11-03T00:01:00.000Z'); // a redelivery on the next day
    await store.logAnnouncements([pub('l1')], '2026-11-02T23:59:30.000Z'); // the first loggedAt stays
    await store.logAnnouncements([pub('l3')], '2026-11-04T08:00:00.000Z');
    const window = await store.listLogged('2026-11-02T07:00:00.000Z', '2026-11-04T07:00:00.000Z');
    expect(window.map((l) => `${l.publication.id}@${l.loggedAt}`).sort()).toEqual([
      'l1@2026-11-02T23:59:00.000Z',
      'l1@2026-11-03T00:01:00.000Z',
      'l2@2026-11-02T23:59:00.000Z',
    ]);
    expect(window.find((l) => l.publication.id === 'l2')!.publication.enclosures).toEqual([{ url: 'https://x.example/a.pdf', type: 'application/pdf' }]);
  });

  it('deletes a subscriber with everything kept about them', async () => {
    expect(await store.deleteSubscriber('inst')).toBe(true);
    expect(await store.getSubscription('inst')).toBeUndefined();
    expect(await store.listDeliveries('inst')).toEqual([]);
    expect(await store.listHeld('inst')).toEqual([]);
    expect(await store.deleteSubscriber('inst')).toBe(false);
  });

  it('never puts an address in a key', async () => {
    const items = (await db.client.send(new ScanCommand({ TableName: db.tableName }))).Items ?? [];
    expect(items.length).toBeGreaterThan(5);
    const keyNames = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'];
    for (const item of items) for (const k of keyNames) expect(item[k]?.S ?? '').not.toContain('@');
  });
});
