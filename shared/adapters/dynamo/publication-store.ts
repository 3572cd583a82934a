// Publications in the hub's table (see table.ts for keys and access patterns).
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Publication } from '../../model.ts';
import type { Page, PublicationChange, PublicationStore } from '../../ports/store.ts';
import { ConflictError, HubError, NotFoundError, ValidationError } from '../../errors.ts';
import { GSI_KEYS, isConditionalFailure, keys, partitions, queryItems, storeError } from './table.ts';
import { Expr, copyMembers, creditItem, decodeCursor, encodeCursor, indexKeyOf, publicationItem, toPublication, type Item } from './codec.ts';

const WRITE_CONCURRENCY = 8;
const BATCH_GET_SIZE = 100;
const MAX_ATTEMPTS = 8;

type Content = NonNullable<PublicationChange['content']>;
/** Content fields an edit may drop (`{ link: undefined }`); the others are required and only ever replaced. */
const OPTIONAL_CONTENT: ReadonlySet<string> = new Set<keyof Content>([
  'link', 'guid', 'summary', 'text', 'published', 'publishedRaw', 'updated', 'updatedRaw', 'language',
]);

export function createPublicationStore(doc: DynamoDBDocumentClient, table: string): PublicationStore {
  const put = async (item: Item, condition: string, expr = new Expr()): Promise<boolean> => {
    try {
      await doc.send(new PutCommand({ TableName: table, Item: item, ConditionExpression: condition, ...expr.params() }));
      return true;
    } catch (err) {
      if (isConditionalFailure(err)) return false;
      throw storeError('PutItem', err);
    }
  };

  /**
   * Rewrites every credit copy from the main item's state at revision `rev`. A copy is replaced only
   * by a newer revision, so whichever edit or credit reached the main item last decides the copies.
   */
  const writeCopies = async (main: Item): Promise<void> => {
    const pub = toPublication(main);
    const rev = Number(main.rev ?? 0);
    await mapLimit(copyMembers(pub.members), WRITE_CONCURRENCY, async (memberId) => {
      const expr = new Expr();
      await put(creditItem(pub, memberId, rev), `attribute_not_exists(${expr.name('pk')}) OR ${expr.name('rev')} < ${expr.value(rev)}`, expr);
    });
  };

  const update = async (id: string, expr: Expr, updateExpression: string, condition: string): Promise<Item | undefined> => {
    try {
      const out = await doc.send(new UpdateCommand({
        TableName: table, Key: keys.publication(id), UpdateExpression: updateExpression,
        ConditionExpression: condition, ReturnValues: 'ALL_NEW', ...expr.params(),
      }));
      return out.Attributes;
    } catch (err) {
      if (isConditionalFailure(err)) return undefined;
      throw storeError('UpdateItem', err);
    }
  };

  const applyContent = async (id: string, content: Content): Promise<void> => {
    const set: Item = {};
    const remove: string[] = [];
    for (const [field, value] of Object.entries(content)) {
      if (value !== undefined) set[field] = value;
      else if (OPTIONAL_CONTENT.has(field)) remove.push(field);
    }
    if (!Object.keys(set).length && !remove.length) return;
    if (content.sortDate !== undefined) {
      set[GSI_KEYS.gsi1.sk] = `${content.sortDate}#${id}`;
      set[GSI_KEYS.gsi2.sk] = `${content.sortDate}#${id}`;
    }
    const expr = new Expr();
    const updateExpression = expr.update(set, remove, { rev: 1 });
    const main = await update(id, expr, updateExpression, `attribute_exists(${expr.name('pk')})`);
    if (!main) throw new NotFoundError(`Publication ${id} does not exist`, 'publication_not_found');
    await writeCopies(main);
  };

  // Read-modify-write guarded by the revision: two pollers crediting the same paper at once both land.
  const applyCredit = async (id: string, credit: { memberId: string; feedId: string }): Promise<void> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await getMain(id);
      if (!current) throw new NotFoundError(`Publication ${id} does not exist`, 'publication_not_found');
      const pub = toPublication(current);
      if (pub.members.includes(credit.memberId) && pub.feeds.includes(credit.feedId)) {
        await writeCopies(current); // heals a copy lost when a previous credit stopped half-way
        return;
      }
      const set: Item = {
        members: pub.members.includes(credit.memberId) ? pub.members : [...pub.members, credit.memberId],
        feeds: pub.feeds.includes(credit.feedId) ? pub.feeds : [...pub.feeds, credit.feedId],
      };
      if (current[GSI_KEYS.gsi2.pk] === undefined) {
        set[GSI_KEYS.gsi2.pk] = partitions.memberPublications(credit.memberId);
        set[GSI_KEYS.gsi2.sk] = `${pub.sortDate}#${id}`;
      }
      const expr = new Expr();
      const updateExpression = expr.update(set, [], { rev: 1 });
      const rev = current.rev;
      const condition = rev === undefined ? `attribute_not_exists(${expr.name('rev')})` : `${expr.name('rev')} = ${expr.value(rev)}`;
      const main = await update(id, expr, updateExpression, `attribute_exists(${expr.name('pk')}) AND ${condition}`);
      if (main) return writeCopies(main);
      await backoff(attempt);
    }
    throw new ConflictError('credit_conflict', `Publication ${id} kept changing while crediting member ${credit.memberId}`);
  };

  const getMain = async (id: string): Promise<Item | undefined> => {
    const out = await doc.send(new GetCommand({ TableName: table, Key: keys.publication(id), ConsistentRead: true })).catch((err: unknown) => {
      throw storeError('GetItem', err);
    });
    return out.Item;
  };

  const batchGet = async (ids: string[]): Promise<Item[]> => {
    const found: Item[] = [];
    let pending: Record<string, unknown>[] = ids.map((id) => keys.publication(id));
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt === MAX_ATTEMPTS) throw new HubError('internal', 'store_throttled', `DynamoDB left ${pending.length} keys unprocessed`);
      if (attempt > 0) await backoff(attempt - 1);
      const out = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } })).catch((err: unknown) => {
        throw storeError('BatchGetItem', err);
      });
      found.push(...(out.Responses?.[table] ?? []));
      pending = out.UnprocessedKeys?.[table]?.Keys ?? [];
    }
    return found;
  };

  return {
    async getPublications(ids) {
      const unique = [...new Set(ids)];
      const chunks = Array.from({ length: Math.ceil(unique.length / BATCH_GET_SIZE) }, (_, i) => unique.slice(i * BATCH_GET_SIZE, (i + 1) * BATCH_GET_SIZE));
      const items = (await mapLimit(chunks, 4, batchGet)).flat();
      return new Map(items.map((item) => [String(item.id), toPublication(item)]));
    },

    async createPublications(publications, claimUntil) {
      const outcomes = await mapLimit(publications, WRITE_CONCURRENCY, async (pub) => {
        const stored: Publication = { ...pub, announcedAt: undefined };
        const item = publicationItem(stored, 1, claimUntil);
        const expr = new Expr();
        if (!(await put(item, `attribute_not_exists(${expr.name('pk')})`, expr))) return { existing: pub.id };
        await writeCopies(item);
        return { created: toPublication(item) };
      });
      return {
        created: outcomes.flatMap((o) => (o.created ? [o.created] : [])),
        existing: outcomes.flatMap((o) => (o.existing === undefined ? [] : [o.existing])),
      };
    },

    async applyChanges(changes) {
      // Changes to one publication run in order; different publications run side by side.
      const byId = new Map<string, PublicationChange[]>();
      for (const change of changes) byId.set(change.id, [...(byId.get(change.id) ?? []), change]);
      await mapLimit([...byId.values()], WRITE_CONCURRENCY, async (list) => {
        for (const change of list) {
          if (change.content) await applyContent(change.id, change.content);
          if (change.credit) await applyCredit(change.id, change.credit);
        }
      });
    },

    async listPublications({ memberId, limit, cursor }): Promise<Page<Publication>> {
      if (!Number.isInteger(limit) || limit < 1) throw new ValidationError('invalid_limit', 'limit must be a positive integer');
      const index = memberId === undefined ? 'gsi1' : 'gsi2';
      const partition = memberId === undefined ? partitions.allPublications : partitions.memberPublications(memberId);
      const expr = new Expr();
      // One item more than asked tells whether another page exists, so the last page has no cursor.
      const items = await queryItems(doc, {
        TableName: table, IndexName: index, ScanIndexForward: false, Limit: limit + 1,
        KeyConditionExpression: `${expr.name(GSI_KEYS[index].pk)} = ${expr.value(partition)}`, ...expr.params(),
        ExclusiveStartKey: cursor === undefined ? undefined : decodeCursor(cursor, index, partition),
      }, limit + 1);
      const page = items.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map(toPublication),
        ...(items.length > limit && last ? { cursor: encodeCursor(indexKeyOf(last, index)) } : {}),
      };
    },

    async listUnannounced(now, limit) {
      const expr = new Expr();
      const claim = expr.name('claimUntil');
      const items = await queryItems(doc, {
        TableName: table, IndexName: 'gsi3', Limit: Math.max(limit, 100),
        KeyConditionExpression: `${expr.name(GSI_KEYS.gsi3.pk)} = ${expr.value(partitions.unannounced)}`,
        FilterExpression: `attribute_not_exists(${claim}) OR ${claim} < ${expr.value(now)}`, ...expr.params(),
      }, limit);
      return items.map(toPublication);
    },

    async claimAnnouncement(id, now, claimUntil) {
      const expr = new Expr();
      const claim = expr.name('claimUntil');
      const updateExpression = `SET ${claim} = ${expr.value(claimUntil)}`;
      const condition = `attribute_exists(${expr.name(GSI_KEYS.gsi3.pk)}) AND (attribute_not_exists(${claim}) OR ${claim} < ${expr.value(now)})`;
      return (await update(id, expr, updateExpression, condition)) !== undefined;
    },

    async markAnnounced(ids, at) {
      await mapLimit(ids, WRITE_CONCURRENCY, async (id) => {
        const expr = new Expr();
        const updateExpression = expr.update({ announcedAt: at }, [GSI_KEYS.gsi3.pk, GSI_KEYS.gsi3.sk, 'claimUntil']);
        await update(id, expr, updateExpression, `attribute_exists(${expr.name('pk')})`);
      });
    },
  };
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Exponential backoff with full jitter, capped at 2 s. */
function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(2_000, 25 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
