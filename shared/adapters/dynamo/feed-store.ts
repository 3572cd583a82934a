// Feeds in the hub's table (see table.ts for keys and access patterns).
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FeedStore } from '../../ports/store.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { GSI_KEYS, SORT_KEY_MAX, isConditionalFailure, keys, partitions, queryItems, storeError } from './table.ts';
import { Expr, FEED_FIELD_NAMES, feedItem, isSchedulable, toFeed } from './codec.ts';

export function createFeedStore(doc: DynamoDBDocumentClient, table: string): FeedStore {
  /** A conditional update of one feed; false when the condition did not hold. */
  const update = async (feedId: string, expr: Expr, updateExpression: string, condition: string): Promise<boolean> => {
    try {
      await doc.send(new UpdateCommand({
        TableName: table, Key: keys.feed(feedId), UpdateExpression: updateExpression, ConditionExpression: condition, ...expr.params(),
      }));
      return true;
    } catch (err) {
      if (isConditionalFailure(err)) return false;
      throw storeError('UpdateItem', err);
    }
  };

  const list = async (index: 'gsi2' | 'gsi3', partition: string) => {
    const expr = new Expr();
    const items = await queryItems(doc, {
      TableName: table, IndexName: index,
      KeyConditionExpression: `${expr.name(GSI_KEYS[index].pk)} = ${expr.value(partition)}`, ...expr.params(),
    });
    return items.map(toFeed);
  };

  return {
    async getFeed(id) {
      const out = await doc.send(new GetCommand({ TableName: table, Key: keys.feed(id), ConsistentRead: true })).catch((err: unknown) => {
        throw storeError('GetItem', err);
      });
      return out.Item ? toFeed(out.Item) : undefined;
    },

    async createFeed(feed) {
      try {
        await doc.send(new PutCommand({
          TableName: table, Item: feedItem(feed), ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' },
        }));
      } catch (err) {
        if (isConditionalFailure(err)) throw new ConflictError('feed_exists', `A feed with id ${feed.id} already exists`);
        throw storeError('PutItem', err);
      }
    },

    // An update rather than a put: it keeps the poll lease of whoever is polling the feed, and it
    // refuses to bring back a feed deleted while a poll was under way.
    async saveFeed(feed) {
      const { pk: _pk, sk: _sk, ...set } = feedItem(feed);
      const remove: string[] = FEED_FIELD_NAMES.filter((name) => feed[name] === undefined);
      if (!isSchedulable(feed)) remove.push(GSI_KEYS.gsi1.pk, GSI_KEYS.gsi1.sk);
      const expr = new Expr();
      const updateExpression = expr.update(set, remove);
      if (!(await update(feed.id, expr, updateExpression, `attribute_exists(${expr.name('pk')})`))) {
        throw new NotFoundError(`Feed ${feed.id} does not exist`, 'feed_not_found');
      }
    },

    async deleteFeed(id) {
      await doc.send(new DeleteCommand({ TableName: table, Key: keys.feed(id) })).catch((err: unknown) => {
        throw storeError('DeleteItem', err);
      });
    },

    async listFeeds(query) {
      return query?.memberId === undefined ? list('gsi3', partitions.allFeeds) : list('gsi2', partitions.memberFeeds(query.memberId));
    },

    async listDueFeeds(now, limit) {
      if (limit < 1) return [];
      const expr = new Expr();
      const sk = expr.name(GSI_KEYS.gsi1.sk);
      const items = await queryItems(doc, {
        TableName: table, IndexName: 'gsi1', Limit: limit,
        KeyConditionExpression: `${expr.name(GSI_KEYS.gsi1.pk)} = ${expr.value(partitions.dueFeeds)} AND ${sk} <= ${expr.value(`${now}#${SORT_KEY_MAX}`)}`,
        ...expr.params(),
      }, limit);
      return items.map(toFeed);
    },

    // The lease is held through `until`; it lapses once `now` is past it.
    async acquirePollLease(feedId, now, until) {
      const expr = new Expr();
      const lease = expr.name('leaseUntil');
      const updateExpression = `SET ${lease} = ${expr.value(until)}`;
      const condition = `attribute_exists(${expr.name('pk')}) AND (attribute_not_exists(${lease}) OR ${lease} < ${expr.value(now)})`;
      return update(feedId, expr, updateExpression, condition);
    },

    async releasePollLease(feedId) {
      const expr = new Expr();
      const updateExpression = expr.update({}, ['leaseUntil']);
      await update(feedId, expr, updateExpression, `attribute_exists(${expr.name('pk')})`);
    },
  };
}
