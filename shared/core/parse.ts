// The feed parser: bytes (or text) in, one NormalisedFeed out, the same shape for RSS 0.9x/1.0/2.0,
// Atom 0.3/1.0 and JSON Feed 1.0/1.1. Pure: no I/O, no clock, no environment.
import type { NormalisedFeed, NormalisedItem } from '../model.ts';
import { ParseError } from '../errors.ts';
import { MAX_ITEMS_PER_DOCUMENT } from './item-limit.ts';
import { decodeBody } from './decode.ts';
import { deriveIds, type IdSource } from './ids.ts';
import { canonicalLink } from './links.ts';
import type { DraftFeed } from './normalise-draft.ts';
import { newestDrafts } from './newest-items.ts';
import { normaliseItem, normaliseLanguage, titleText, type ItemNotes } from './normalise-item.ts';
import { readDraft } from './parse-format.ts';
import { TEXT_MAX } from './sanitize.ts';
import { stripXmlIllegal, stripXmlIllegalInPlace, truncateAtWord } from './text.ts';

export { MAX_ITEMS_PER_DOCUMENT };

export interface ParseInput {
  body: Buffer | string;
  contentType?: string;
  /** The feed's URL: base for relative links, and the scope of feed-local guids. */
  url?: string;
  /** Items taken from the document, newest first; default MAX_ITEMS_PER_DOCUMENT. */
  maxItems?: number;
}

export function parseFeed(input: ParseInput): NormalisedFeed {
  const { body } = input;
  if (body.length === 0) throw new ParseError('empty', 'This address returns an empty response (no content at all).');
  const decoded = typeof body === 'string' ? body : decodeBody(body, input.contentType).text;
  // Illegal characters go before parsing too: the XML reader would otherwise stop at them.
  const text = stripXmlIllegal(decoded).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new ParseError('empty', 'This address returns an empty response (only blank space).');
  const feedUrl = input.url?.trim() || undefined;
  const maxItems = input.maxItems ?? MAX_ITEMS_PER_DOCUMENT;
  return finish(readDraft(text, feedUrl, maxItems), feedUrl, maxItems);
}

function finish(draft: DraftFeed, feedUrl: string | undefined, maxItems: number): NormalisedFeed {
  const notes: ItemNotes = { relativeWithoutBase: 0, badDates: [], undated: 0, withoutGuid: 0 };
  const language = normaliseLanguage(draft.language);
  const sources: IdSource[] = [];
  const normalised: NormalisedItem[] = [];
  // The reader keeps the newest already when it reads a long document in parts.
  const found = draft.itemCount ?? draft.items.length;
  const taken = newestDrafts(draft.items, maxItems);
  // Only the drafts taken are kept: the others (and the library's tree under them) can go.
  draft.items = [];
  for (const d of taken) {
    const item = normaliseItem(d, language, notes);
    // Ids come from the values as read (ids are stored: stripping must not change them).
    sources.push({ link: item.link, guid: item.guid, title: item.title, publishedRaw: item.published?.raw, text: item.text });
    // Every object of the item was built just now by this parse: its strings are cleaned where
    // they lie, while they are still in the processor's cache. (Its id, set below, is base32.)
    normalised.push(stripXmlIllegalInPlace(item));
  }
  const ids = deriveIds(sources, feedUrl);
  const seen = new Set<string>();
  const items: NormalisedItem[] = [];
  normalised.forEach((item, i) => {
    const id = ids[i] as string;
    if (seen.has(id)) return;
    seen.add(id);
    item.id = id;
    items.push(item);
  });

  let link: string | undefined;
  for (const href of draft.links) link ??= canonicalLink(href, draft.base);
  const description = truncateAtWord(titleText(draft.description), TEXT_MAX);
  // Optional fields are left out rather than present-but-undefined, added in the model's order.
  const feed = { format: draft.format } as NormalisedFeed;
  if (draft.version !== undefined) feed.version = draft.version;
  const title = titleText(draft.title);
  if (title) feed.title = title;
  if (link !== undefined) feed.link = link;
  if (description) feed.description = description;
  if (language !== undefined) feed.language = language;
  if (draft.minIntervalSeconds !== undefined) feed.minIntervalSeconds = draft.minIntervalSeconds;
  // The items are cleaned already; an empty list holds their place while the rest is.
  feed.items = [];
  if (found > taken.length) feed.itemsInDocument = found;
  feed.warnings = warnings(normalised.length, notes, normalised.length - items.length);
  if (found > taken.length) {
    feed.warnings.unshift(
      `The feed has ${found.toLocaleString('en')} items; the hub takes the newest ${taken.length.toLocaleString('en')} of one document (its limit), so older items are left out.`,
    );
  }
  stripXmlIllegalInPlace(feed);
  feed.items = items;
  return feed;
}

function warnings(n: number, notes: ItemNotes, duplicates: number): string[] {
  const out: string[] = [];
  if (n === 0) return ['The feed has no items.'];
  const lacking = (k: number, what: string) => (k === n ? `No item has ${what}` : `${k} of ${n} items have no ${what.replace(/^a /, '')}`);
  if (notes.undated) out.push(`${lacking(notes.undated, 'a date')}; the hub dates such items when it first sees them.`);
  if (notes.withoutGuid) out.push(`${lacking(notes.withoutGuid, 'a guid or id')}; they are told apart by their link or content.`);
  if (notes.badDates.length) {
    const example = notes.badDates[0] ?? '';
    out.push(
      `${notes.badDates.length} date${notes.badDates.length === 1 ? '' : 's'} could not be read (for example "${example.slice(0, 60)}"); ` +
        'dates should follow RFC 822 (RSS) or RFC 3339 (Atom, JSON Feed).',
    );
  }
  if (notes.relativeWithoutBase) {
    out.push(`${notes.relativeWithoutBase} item${notes.relativeWithoutBase === 1 ? ' has a relative link' : 's have relative links'} and the feed's address is not known, so they have no link.`);
  }
  if (duplicates) out.push(`${duplicates} item${duplicates === 1 ? ' repeats' : 's repeat'} an earlier item of the feed and ${duplicates === 1 ? 'was' : 'were'} left out.`);
  return out;
}
