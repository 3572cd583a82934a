// E-mail alert subscriptions in the hub's table (see table.ts for keys and access patterns). The
// address is a value of the subscription item, never part of a key: keys hold its keyed hash.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { HubError } from '../../errors.ts';
import type { AlertPublication, DeliveryRecord, LoggedAnnouncement, Subscription, SubscriptionStore } from '../../ports/subscriptions.ts';
import { Expr, type Item } from './codec.ts';
import { mapLimit } from './publication-store.ts';
import { GSI_KEYS, SORT_KEY_MAX, isConditionalFailure, queryItems, storeError, type GsiName } from './table.ts';

export const alertKeys = {
  subscription: (id: string) => ({ pk: `SUB#${id}`, sk: 'SUB' }),
  delivery: (id: string, publicationId: string) => ({ pk: `SUB#${id}`, sk: `SENT#${publicationId}` }),
  held: (id: string, publicationId: string) => ({ pk: `SUB#${id}`, sk: `HELD#${publicationId}` }),
  logged: (day: string, publicationId: string) => ({ pk: `ALERTLOG#${day}`, sk: publicationId }),
};

export const alertPartitions = {
  instant: 'ALERTS#INSTANT',
  digests: 'ALERTS#DIGEST',
  held: 'ALERTS#HELD',
  unconfirmed: 'ALERTS#UNCONFIRMED',
};

/** Announcements are kept this long for digests; `expiresAt` lets DynamoDB TTL drop them where it is enabled. */
const LOG_DAYS = 40;
const WRITE_CONCURRENCY = 8;

const SUBSCRIPTION_FIELDS: Record<keyof Subscription, true> = {
  id: true, email: true, status: true, filters: true, frequency: true, language: true, gen: true, createdAt: true, updatedAt: true,
  confirmedAt: true, pending: true, lastConfirmationSentAt: true, lastDigestAt: true, nextDigestAt: true,
  recentAlerts: true, lastRollupAt: true, heldUntil: true, suspendedReason: true, suspendedAt: true, unsubscribedAt: true, rev: true,
};

function gsi(name: GsiName, pk: string, sk: string): Item {
  return { [GSI_KEYS[name].pk]: pk, [GSI_KEYS[name].sk]: sk };
}

/** The item, with the index keys its state calls for (sparse: only what applies is set). */
export function subscriptionItem(s: Subscription): Item {
  const fields: Item = {};
  for (const name of Object.keys(SUBSCRIPTION_FIELDS) as (keyof Subscription)[]) if (s[name] !== undefined) fields[name] = s[name];
  const active = s.status === 'active';
  return {
    ...alertKeys.subscription(s.id),
    ...fields,
    ...(active && s.frequency === 'instant' ? gsi('gsi1', alertPartitions.instant, s.id) : {}),
    ...(active && s.frequency !== 'instant' && s.nextDigestAt ? gsi('gsi2', alertPartitions.digests, `${s.nextDigestAt}#${s.id}`) : {}),
    ...(s.heldUntil
      ? gsi('gsi3', alertPartitions.held, `${s.heldUntil}#${s.id}`)
      : s.status === 'pending'
        ? gsi('gsi3', alertPartitions.unconfirmed, `${s.pending?.requestedAt ?? s.createdAt}#${s.id}`)
        : {}),
  };
}

export function toSubscription(item: Item): Subscription {
  const s: Item = {};
  for (const name of Object.keys(SUBSCRIPTION_FIELDS)) if (item[name] !== undefined) s[name] = item[name];
  const sub = s as unknown as Subscription;
  sub.recentAlerts ??= [];
  sub.filters = { ...{ members: [], categories: [], languages: [], keywords: [] }, ...sub.filters };
  return sub;
}

const day = (iso: string) => iso.slice(0, 10);

export function createSubscriptionStore(client: DynamoDBClient, table: string): SubscriptionStore {
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const call = <T>(operation: string, request: () => Promise<T>): Promise<T> =>
    request().catch((err: unknown) => {
      throw storeError(operation, err);
    });
  /** A conditional write; false when the condition did not hold. */
  const conditional = async (operation: string, request: () => Promise<unknown>): Promise<boolean> => {
    try {
      await request();
      return true;
    } catch (err) {
      if (isConditionalFailure(err)) return false;
      throw storeError(operation, err);
    }
  };
  const query = (input: { index?: GsiName; pk: string; skBelow?: string; skPrefix?: string }, max = Infinity) => {
    const expr = new Expr();
    const pkName = input.index ? GSI_KEYS[input.index].pk : 'pk';
    const skName = input.index ? GSI_KEYS[input.index].sk : 'sk';
    let condition = `${expr.name(pkName)} = ${expr.value(input.pk)}`;
    if (input.skBelow !== undefined) condition += ` AND ${expr.name(skName)} <= ${expr.value(input.skBelow)}`;
    if (input.skPrefix !== undefined) condition += ` AND begins_with(${expr.name(skName)}, ${expr.value(input.skPrefix)})`;
    return queryItems(doc, { TableName: table, ...(input.index ? { IndexName: input.index } : { ConsistentRead: true }), KeyConditionExpression: condition, ...expr.params() }, max);
  };
  const deleteKeys = async (keys: { pk: string; sk: string }[]) => {
    for (let i = 0; i < keys.length; i += 25) {
      let pending: Item[] = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt === 8) throw new HubError('internal', 'store_throttled', `DynamoDB left ${pending.length} deletes unprocessed`);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        const out = await call('BatchWriteItem', () => doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } })));
        pending = (out.UnprocessedItems?.[table] ?? []) as Item[];
      }
    }
  };
  const subscriptions = (items: Item[]) => items.filter((i) => i.sk === 'SUB').map(toSubscription);

  return {
    async getSubscription(id) {
      const out = await call('GetItem', () => doc.send(new GetCommand({ TableName: table, Key: alertKeys.subscription(id), ConsistentRead: true })));
      return out.Item ? toSubscription(out.Item) : undefined;
    },

    createSubscription: (sub) =>
      conditional('PutItem', () => doc.send(new PutCommand({ TableName: table, Item: subscriptionItem(sub), ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } }))),

    saveSubscription: (sub) =>
      conditional('PutItem', () => doc.send(new PutCommand({ TableName: table, Item: subscriptionItem({ ...sub, rev: sub.rev + 1 }), ConditionExpression: '#rev = :rev', ExpressionAttributeNames: { '#rev': 'rev' }, ExpressionAttributeValues: { ':rev': sub.rev } }))),

    async deleteSubscriber(id) {
      const items = await query({ pk: alertKeys.subscription(id).pk });
      await deleteKeys(items.map((i) => ({ pk: String(i.pk), sk: String(i.sk) })));
      return items.length > 0;
    },

    listInstantSubscriptions: async () => subscriptions(await query({ index: 'gsi1', pk: alertPartitions.instant })),
    listDueDigests: async (until, limit) => subscriptions(await query({ index: 'gsi2', pk: alertPartitions.digests, skBelow: `${until}#${SORT_KEY_MAX}` }, limit)),
    listDueHeld: async (until, limit) => subscriptions(await query({ index: 'gsi3', pk: alertPartitions.held, skBelow: `${until}#${SORT_KEY_MAX}` }, limit)),
    listUnconfirmed: async (before, limit) => subscriptions(await query({ index: 'gsi3', pk: alertPartitions.unconfirmed, skBelow: before }, limit)),

    async claimDeliveries(id, publicationIds, kind, now, leaseUntil) {
      const claimed = await mapLimit([...new Set(publicationIds)], WRITE_CONCURRENCY, (publicationId) =>
        conditional('PutItem', () => doc.send(new PutCommand({
          TableName: table,
          Item: { ...alertKeys.delivery(id, publicationId), publicationId, state: 'sending', kind, at: now, leaseUntil },
          ConditionExpression: 'attribute_not_exists(#pk) OR (#state = :sending AND #lease < :now)',
          ExpressionAttributeNames: { '#pk': 'pk', '#state': 'state', '#lease': 'leaseUntil' },
          ExpressionAttributeValues: { ':sending': 'sending', ':now': now },
        }))).then((ok) => (ok ? publicationId : undefined)),
      );
      return claimed.filter((c): c is string => c !== undefined);
    },

    async completeDeliveries(id, publicationIds, sent) {
      await mapLimit(publicationIds, WRITE_CONCURRENCY, (publicationId) => {
        const expr = new Expr();
        const update = expr.update({ state: 'sent', messageId: sent.messageId, at: sent.at }, ['leaseUntil']);
        return call('UpdateItem', () => doc.send(new UpdateCommand({ TableName: table, Key: alertKeys.delivery(id, publicationId), UpdateExpression: update, ...expr.params() })));
      });
    },

    async releaseDeliveries(id, publicationIds) {
      await mapLimit(publicationIds, WRITE_CONCURRENCY, (publicationId) =>
        conditional('DeleteItem', () => doc.send(new DeleteCommand({ TableName: table, Key: alertKeys.delivery(id, publicationId), ConditionExpression: '#state = :sending', ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: { ':sending': 'sending' } }))),
      );
    },

    async listDeliveries(id) {
      const items = await query({ pk: alertKeys.subscription(id).pk, skPrefix: 'SENT#' });
      return items.map((i): DeliveryRecord => ({ publicationId: String(i.publicationId), state: i.state as DeliveryRecord['state'], kind: i.kind as DeliveryRecord['kind'], at: String(i.at), ...(i.messageId ? { messageId: String(i.messageId) } : {}) }));
    },

    async holdAlerts(id, publications, at) {
      await mapLimit(publications, WRITE_CONCURRENCY, (publication) => call('PutItem', () => doc.send(new PutCommand({ TableName: table, Item: { ...alertKeys.held(id, publication.id), publication, heldAt: at } }))));
    },

    async listHeld(id) {
      return (await query({ pk: alertKeys.subscription(id).pk, skPrefix: 'HELD#' })).map((i) => i.publication as AlertPublication);
    },

    async removeHeld(id, publicationIds) {
      await deleteKeys(publicationIds.map((p) => alertKeys.held(id, p)));
    },

    async logAnnouncements(publications, at) {
      const expiresAt = Math.floor(Date.parse(at) / 1000) + LOG_DAYS * 86_400;
      await mapLimit(publications, WRITE_CONCURRENCY, (publication) =>
        conditional('PutItem', () => doc.send(new PutCommand({ TableName: table, Item: { ...alertKeys.logged(day(at), publication.id), publication, loggedAt: at, expiresAt }, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } }))),
      );
    },

    async listLogged(from, until) {
      const floor = Date.parse(until) - LOG_DAYS * 86_400_000;
      const start = Math.max(Date.parse(from), floor);
      const days: string[] = [];
      for (let t = Date.parse(`${day(new Date(start).toISOString())}T00:00:00.000Z`); t < Date.parse(until); t += 86_400_000) days.push(day(new Date(t).toISOString()));
      const pages = await mapLimit(days, 4, (d) => query({ pk: alertKeys.logged(d, '').pk }));
      const fromIso = new Date(start).toISOString();
      return pages
        .flat()
        .filter((i) => String(i.loggedAt) >= fromIso && String(i.loggedAt) < until)
        .map((i): LoggedAnnouncement => ({ publication: i.publication as AlertPublication, loggedAt: String(i.loggedAt) }));
    },
  };
}
