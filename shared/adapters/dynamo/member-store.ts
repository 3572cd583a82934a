// Members and their API keys in the hub's table (see table.ts for keys and access patterns).
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MemberStore } from '../../ports/store.ts';
import { ValidationError } from '../../errors.ts';
import { GSI_KEYS, isConditionalFailure, keys, partitions, queryItems, storeError } from './table.ts';
import { Expr, memberItem, toMember } from './codec.ts';

const KEY_HASH = /^[0-9a-f]{64}$/;

export function createMemberStore(doc: DynamoDBDocumentClient, table: string): MemberStore {
  const get = async (key: Record<string, string>) => {
    const out = await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true })).catch((err: unknown) => {
      throw storeError('GetItem', err);
    });
    return out.Item;
  };
  const put = async (item: Record<string, unknown>, condition?: string) => {
    await doc.send(new PutCommand({
      TableName: table, Item: item,
      ...(condition ? { ConditionExpression: condition, ExpressionAttributeNames: { '#pk': 'pk' } } : {}),
    }));
  };

  return {
    async getMember(id) {
      const item = await get(keys.member(id));
      return item ? toMember(item) : undefined;
    },

    async createMember(member) {
      try {
        await put(memberItem(member), 'attribute_not_exists(#pk)');
        return true;
      } catch (err) {
        if (isConditionalFailure(err)) return false;
        throw storeError('PutItem', err);
      }
    },

    async saveMember(member) {
      await put(memberItem(member)).catch((err: unknown) => {
        throw storeError('PutItem', err);
      });
    },

    async listMembers() {
      const expr = new Expr();
      const items = await queryItems(doc, {
        TableName: table, IndexName: 'gsi2',
        KeyConditionExpression: `${expr.name(GSI_KEYS.gsi2.pk)} = ${expr.value(partitions.members)}`, ...expr.params(),
      });
      return items.map(toMember);
    },

    async putApiKey(keyHash, memberId, createdAt) {
      const hash = keyHash.toLowerCase();
      if (!KEY_HASH.test(hash)) throw new ValidationError('invalid_key_hash', 'An API key is stored by its SHA-256 hash in hex (64 characters)');
      await put({ ...keys.apiKey(hash), memberId, createdAt }).catch((err: unknown) => {
        throw storeError('PutItem', err);
      });
    },

    async useOnce(token, expiresAt) {
      const hash = createHash('sha256').update(token).digest('hex');
      try {
        await put({ ...keys.once(hash), expiresAt: Math.ceil(Date.parse(expiresAt) / 1000) }, 'attribute_not_exists(#pk)');
        return true;
      } catch (err) {
        if (isConditionalFailure(err)) return false;
        throw storeError('PutItem', err);
      }
    },

    async findMemberIdByKeyHash(keyHash) {
      const hash = keyHash.toLowerCase();
      if (!KEY_HASH.test(hash)) return undefined;
      const item = await get(keys.apiKey(hash));
      return typeof item?.memberId === 'string' ? item.memberId : undefined;
    },

    async deleteApiKey(keyHash) {
      await doc.send(new DeleteCommand({ TableName: table, Key: keys.apiKey(keyHash.toLowerCase()) })).catch((err: unknown) => {
        throw storeError('DeleteItem', err);
      });
    },
  };
}
