// Choosing the newest items of a long feed, and reading a long XML feed in parts so that the feed
// library's tree for the whole document never exists at once. Pure.
import { parseFeedDate } from './dates.ts';
import type { DraftFeed, DraftItem } from './normalise-draft.ts';

/** Items handed to the feed library at once when a document is read in parts. */
export const PART_ITEMS = 200;

/**
 * Positions of the `max` newest of the given dates (as written), in document order. Newest by date;
 * items whose date cannot be read rank after dated ones, earlier in the document first (feeds list
 * newest first).
 */
export function newestPositions(dates: readonly (string | undefined)[], max: number): number[] {
  const keyed = dates.map((raw, index) => ({ index, iso: parseFeedDate(raw)?.iso }));
  if (keyed.length <= max) return keyed.map((k) => k.index);
  keyed.sort((a, b) => (a.iso === b.iso ? a.index - b.index : a.iso === undefined ? 1 : b.iso === undefined ? -1 : a.iso < b.iso ? 1 : -1));
  return keyed
    .slice(0, max)
    .map((k) => k.index)
    .sort((a, b) => a - b);
}

/** The `max` newest drafts (published, else updated), in document order. */
export function newestDrafts(drafts: DraftItem[], max: number): DraftItem[] {
  if (drafts.length <= max) return drafts;
  return newestPositions(drafts.map((d) => d.published ?? d.updated), max).map((i) => drafts[i] as DraftItem);
}

/**
 * Reads an XML feed whose items lie at `items` (offset pairs from the well-formedness scan) in parts
 * of PART_ITEMS items, each part being the document's head, those items and its tail, keeping the
 * `max` newest items seen so far. The feed's own fields come from the first part.
 */
export function readInParts(text: string, items: readonly number[], max: number, read: (doc: string) => DraftFeed): DraftFeed {
  const count = items.length / 2;
  if (count <= PART_ITEMS) {
    const whole = read(text.trimStart());
    return whole.items.length > max ? { ...whole, items: newestDrafts(whole.items, max), itemCount: whole.items.length } : whole;
  }
  const head = text.slice(0, items[0]).trimStart();
  const tail = text.slice(items[items.length - 1]);
  let feed: DraftFeed | undefined;
  let kept: DraftItem[] = [];
  let read_ = 0;
  for (let first = 0; first < count; first += PART_ITEMS) {
    const last = Math.min(count, first + PART_ITEMS) - 1;
    const part = read(head + text.slice(items[2 * first], items[2 * last + 1]) + tail);
    feed ??= part;
    read_ += part.items.length;
    kept = newestDrafts(kept.length ? kept.concat(part.items) : part.items, max);
  }
  return { ...(feed as DraftFeed), items: kept, itemCount: read_ };
}
