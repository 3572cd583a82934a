// Item <-> domain mapping, paging cursors and update expressions for the hub's table. No I/O here.
import type { Feed, Member, Publication } from '../../model.ts';
import { ValidationError } from '../../errors.ts';
import { GSI_KEYS, PK, SK, keys, partitions, type GsiName } from './table.ts';

export type Item = Record<string, unknown>;

// Every domain field, spelled out once: the compiler rejects a missing or unknown one, and reading an
// item back copies these fields only, so table keys and bookkeeping never leak into the domain.
const PUBLICATION_FIELDS: Record<keyof Publication, true> = {
  id: true, title: true, link: true, guid: true, summary: true, text: true, published: true,
  publishedRaw: true, updated: true, updatedRaw: true, authors: true, categories: true, enclosures: true,
  language: true, members: true, feeds: true, firstSeen: true, sortDate: true, contentHash: true, announcedAt: true,
  removedFeeds: true,
};
const FEED_FIELDS: Record<keyof Feed, true> = {
  id: true, memberId: true, url: true, title: true, format: true, status: true, createdAt: true, etag: true,
  lastModified: true, lastFetchAt: true, lastSuccessAt: true, lastStatusCode: true, consecutiveErrors: true,
  lastError: true, nextPollAt: true, minIntervalSeconds: true, itemsSeen: true, removed: true,
  removedAt: true, pendingReason: true, pausedFrom: true, defaults: true, errorsSince: true, deadNoticeAt: true,
  lastNewItemAt: true, meanNewItemIntervalSeconds: true, conditionalSupported: true, history: true,
  itemsInDocument: true,
};
const MEMBER_FIELDS: Record<keyof Member, true> = {
  id: true, name: true, acronym: true, website: true, email: true, candidateFeeds: true, createdAt: true, active: true,
  domains: true, language: true, keys: true,
};
export const FEED_FIELD_NAMES = Object.keys(FEED_FIELDS) as (keyof Feed)[];

function pick<T>(item: Item, fields: Record<string, true>): T {
  const out: Item = {};
  for (const name of Object.keys(fields)) if (item[name] !== undefined) out[name] = item[name];
  return out as T;
}

const sortKey = (date: string, id: string) => `${date}#${id}`;
const gsi = (name: GsiName, pk: string, sk: string): Item => ({ [GSI_KEYS[name].pk]: pk, [GSI_KEYS[name].sk]: sk });

/** The main publication item; `claimUntil` marks it unannounced (gsi3) and claimed until then. */
export function publicationItem(pub: Publication, rev: number, claimUntil?: string): Item {
  const first = pub.members[0];
  return {
    ...keys.publication(pub.id),
    ...pick<Item>(pub as unknown as Item, PUBLICATION_FIELDS),
    rev,
    ...gsi('gsi1', partitions.allPublications, sortKey(pub.sortDate, pub.id)),
    ...(first === undefined ? {} : gsi('gsi2', partitions.memberPublications(first), sortKey(pub.sortDate, pub.id))),
    ...(claimUntil === undefined ? {} : { ...gsi('gsi3', partitions.unannounced, sortKey(pub.firstSeen, pub.id)), claimUntil }),
  };
}

/** A further credited member's full copy, listed under that member only. */
export function creditItem(pub: Publication, memberId: string, rev: number): Item {
  return {
    ...keys.credit(pub.id, memberId),
    ...pick<Item>(pub as unknown as Item, PUBLICATION_FIELDS),
    rev,
    ...gsi('gsi2', partitions.memberPublications(memberId), sortKey(pub.sortDate, pub.id)),
  };
}

/** Members that have a credit copy: everyone after the first, once each. */
export function copyMembers(members: string[]): string[] {
  const first = members[0];
  return [...new Set(members.slice(1))].filter((m) => m !== first);
}

export function toPublication(item: Item): Publication {
  const pub = pick<Publication>(item, PUBLICATION_FIELDS);
  for (const list of ['authors', 'categories', 'enclosures', 'members', 'feeds'] as const) pub[list] ??= [];
  return pub;
}

/** Paused and removed feeds carry no gsi1 keys, so the due-feeds query never sees them. */
export function isSchedulable(feed: Feed): boolean {
  return feed.status !== 'paused' && feed.removed !== true;
}

export function feedIndexKeys(feed: Feed): Item {
  return {
    ...(isSchedulable(feed) ? gsi('gsi1', partitions.dueFeeds, sortKey(feed.nextPollAt, feed.id)) : {}),
    ...gsi('gsi2', partitions.memberFeeds(feed.memberId), feed.id),
    ...gsi('gsi3', partitions.allFeeds, feed.id),
  };
}

export function feedItem(feed: Feed): Item {
  return { ...keys.feed(feed.id), ...pick<Item>(feed as unknown as Item, FEED_FIELDS), ...feedIndexKeys(feed) };
}

export function toFeed(item: Item): Feed {
  return pick<Feed>(item, FEED_FIELDS);
}

export function memberItem(member: Member): Item {
  return { ...keys.member(member.id), ...pick<Item>(member as unknown as Item, MEMBER_FIELDS), ...gsi('gsi2', partitions.members, member.id) };
}

export function toMember(item: Item): Member {
  const member = pick<Member>(item, MEMBER_FIELDS);
  member.candidateFeeds ??= [];
  return member;
}

/** The key attributes a query on `index` resumes from: the base table key plus the index key. */
export function indexKeyOf(item: Item, index: GsiName): Item {
  const { pk, sk } = GSI_KEYS[index];
  return { [PK]: item[PK], [SK]: item[SK], [pk]: item[pk], [sk]: item[sk] };
}

export function encodeCursor(key: Item): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Reads a cursor back and checks it is a key of the listing being asked for: a cursor from another
 * listing, or made up, is a ValidationError rather than a DynamoDB error or a silent jump.
 */
export function decodeCursor(cursor: string, index: GsiName, partition: string): Item {
  const invalid = () => new ValidationError('invalid_cursor', 'The cursor is not valid for this listing.');
  if (cursor.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (err) {
    throw new ValidationError('invalid_cursor', 'The cursor is not valid for this listing.', { cause: err });
  }
  const expected = [PK, SK, GSI_KEYS[index].pk, GSI_KEYS[index].sk];
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const record = key as Item;
  const names = Object.keys(record);
  if (names.length !== expected.length || !expected.every((n) => typeof record[n] === 'string' && record[n] !== '')) throw invalid();
  if (record[GSI_KEYS[index].pk] !== partition) throw invalid();
  return record;
}

/** Collects placeholders for names and values, so that no reserved word (title, text...) trips a request. */
export class Expr {
  private readonly names: Record<string, string> = {};
  private readonly values: Item = {};

  name(attr: string): string {
    const placeholder = `#n${Object.keys(this.names).length}`;
    this.names[placeholder] = attr;
    return placeholder;
  }

  value(v: unknown): string {
    const placeholder = `:v${Object.keys(this.values).length}`;
    this.values[placeholder] = v;
    return placeholder;
  }

  /** SET every defined value, REMOVE the named attributes, ADD the numbers. */
  update(set: Item, remove: string[] = [], add: Record<string, number> = {}): string {
    const sets = Object.entries(set).filter(([, v]) => v !== undefined).map(([k, v]) => `${this.name(k)} = ${this.value(v)}`);
    const removes = remove.map((attr) => this.name(attr));
    const adds = Object.entries(add).map(([k, v]) => `${this.name(k)} ${this.value(v)}`);
    return [
      sets.length ? `SET ${sets.join(', ')}` : '',
      removes.length ? `REMOVE ${removes.join(', ')}` : '',
      adds.length ? `ADD ${adds.join(', ')}` : '',
    ].filter(Boolean).join(' ');
  }

  /** Request parameters; DynamoDB rejects an empty map, so an unused one is left out. */
  params(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Item } {
    return {
      ...(Object.keys(this.names).length ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}
