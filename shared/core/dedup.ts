// Decides what a fresh parse of a feed means for the store: which items are new publications, which
// existing publications changed or gain a member (joint papers), and which are unchanged. Pure: the
// caller passes what the store already holds for these ids.
import { createHash } from 'node:crypto';
import type { NormalisedItem, Publication } from '../model.ts';
import type { PublicationChange } from '../ports/store.ts';

export interface FeedRef {
  id: string;
  memberId: string;
}

export interface IngestPlan {
  create: Publication[];
  changes: PublicationChange[];
  unchanged: number;
}

export function contentHash(item: NormalisedItem): string {
  const fields = [
    item.title,
    item.link ?? '',
    item.summary ?? '',
    item.published?.raw ?? '',
    item.updated?.raw ?? '',
    item.authors.join('\u0001'),
    item.categories.join('\u0001'),
    item.enclosures.map((e) => `${e.url} ${e.type ?? ''} ${e.length ?? ''}`).join('\u0001'),
    item.language ?? '',
  ];
  return createHash('sha256').update(fields.join('\u0000')).digest('base64url').slice(0, 22);
}

/**
 * The date merged feeds sort on. A publication dated in the future (a clock or time-zone error at the
 * source) would otherwise sit on top of every feed for ever, so it is clamped to when the hub first saw it.
 */
export function sortDate(published: string | undefined, firstSeen: string): string {
  if (!published) return firstSeen;
  return published > firstSeen ? firstSeen : published;
}

type Content = Required<Pick<Publication, 'title' | 'authors' | 'categories' | 'enclosures' | 'contentHash' | 'sortDate'>> & NonNullable<PublicationChange['content']>;

function contentOf(item: NormalisedItem, firstSeen: string): Content {
  return {
    title: item.title,
    link: item.link,
    guid: item.guid,
    summary: item.summary,
    text: item.text,
    published: item.published?.iso,
    publishedRaw: item.published && !item.published.iso ? item.published.raw : undefined,
    updated: item.updated?.iso,
    updatedRaw: item.updated && !item.updated.iso ? item.updated.raw : undefined,
    authors: item.authors,
    categories: item.categories,
    enclosures: item.enclosures,
    language: item.language,
    contentHash: contentHash(item),
    sortDate: sortDate(item.published?.iso, firstSeen),
  };
}

export function toPublication(item: NormalisedItem, feed: FeedRef, now: string): Publication {
  return { id: item.id, ...contentOf(item, now), members: [feed.memberId], feeds: [feed.id], firstSeen: now };
}

export function planIngest(feed: FeedRef, items: NormalisedItem[], existing: Map<string, Publication>, now: string): IngestPlan {
  const plan: IngestPlan = { create: [], changes: [], unchanged: 0 };
  for (const item of items) {
    const stored = existing.get(item.id);
    if (!stored) {
      plan.create.push(toPublication(item, feed, now));
      continue;
    }
    const change: PublicationChange = { id: item.id };
    // A joint paper is edited by whichever member's feed last changed it; the member that carried it
    // first keeps its place at the head of `members`.
    const hash = contentHash(item);
    if (hash !== stored.contentHash) change.content = contentOf(item, stored.firstSeen);
    if (!stored.members.includes(feed.memberId) || !stored.feeds.includes(feed.id)) change.credit = { memberId: feed.memberId, feedId: feed.id };
    if (change.content || change.credit) plan.changes.push(change);
    else plan.unchanged += 1;
  }
  return plan;
}
