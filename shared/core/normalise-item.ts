// One draft item into the normalised shape: links resolved and cleaned, HTML sanitised, dates
// parsed, lists de-duplicated. Problems are tallied in `notes` for the feed's warnings.
import type { Enclosure, NormalisedItem } from '../model.ts';
import type { DraftEnclosure, DraftItem, DraftText } from './normalise-draft.ts';
import { parseFeedDate } from './dates.ts';
import { absoluteHttpUrl, canonicalLink, isAbsoluteUrl } from './links.ts';
import { htmlToText, summarise, summariseText } from './sanitize.ts';
import { collapseWhitespace, personName, truncateAtWord, uniqueStrings } from './text.ts';

export interface ItemNotes {
  /** Items whose only links were relative with no base to resolve them against. */
  relativeWithoutBase: number;
  /** Dates given but not readable, as written. */
  badDates: string[];
  /** Items with neither a published nor an updated date. */
  undated: number;
  /** Items without a guid (or id). */
  withoutGuid: number;
}

const TITLE_FROM_TEXT_MAX = 80;

/**
 * The item in its normalised shape. Its id is left empty for the caller, which derives ids from
 * all the items of the feed at once; the key is there already so that it comes first.
 */
export function normaliseItem(d: DraftItem, feedLanguage: string | undefined, notes: ItemNotes): NormalisedItem {
  const link = pickLink(d.links, d.base, notes);
  const { summary, text } = pickSummary(d.summaries, d.base);
  const published = parseFeedDate(d.published);
  const updated = parseFeedDate(d.updated);
  if (published && !published.iso) notes.badDates.push(published.raw);
  if (updated && !updated.iso) notes.badDates.push(updated.raw);
  const title = titleText(d.title) || (text ? truncateAtWord(text, TITLE_FROM_TEXT_MAX) : '(untitled)');
  const language = normaliseLanguage(d.language) ?? feedLanguage;
  // Optional fields are left out rather than present-but-undefined, so the output is plain data.
  // They are added in the model's order instead of deleted afterwards: deleting turns an object
  // into a slow dictionary.
  const item = { id: '' } as NormalisedItem;
  if (d.guid !== undefined) item.guid = d.guid;
  item.title = title;
  if (link !== undefined) item.link = link;
  if (published !== undefined) item.published = published;
  if (updated !== undefined) item.updated = updated;
  if (summary !== undefined) item.summary = summary;
  if (text !== undefined) item.text = text;
  item.authors = d.authors.length ? uniqueStrings(d.authors.map(personName)) : [];
  item.categories = uniqueStrings(d.categories);
  item.enclosures = enclosures(d.enclosures, d.base);
  if (language !== undefined) item.language = language;
  if (!published && !updated) notes.undated++;
  if (!item.guid) notes.withoutGuid++;
  return item;
}

/** Plain-text title: markup removed for HTML titles, whitespace collapsed for all. */
export function titleText(t: DraftText | undefined): string {
  if (!t) return '';
  return t.kind === 'html' ? htmlToText(t.value) : collapseWhitespace(t.value);
}

function pickLink(candidates: readonly (string | undefined)[], base: string | undefined, notes: ItemNotes): string | undefined {
  let unresolvable = false;
  for (const href of candidates) {
    const h = href?.trim();
    if (!h) continue;
    const link = canonicalLink(h, base);
    if (link) return link;
    if (!base && !isAbsoluteUrl(h)) unresolvable = true;
  }
  if (unresolvable) notes.relativeWithoutBase++;
  return undefined;
}

function pickSummary(candidates: (DraftText | undefined)[], base: string | undefined): { summary?: string; text?: string } {
  for (const c of candidates) {
    if (!c) continue;
    const fields = c.kind === 'html' ? summarise(c.value, c.base ?? base) : summariseText(c.value);
    if (fields.text) return fields;
  }
  return {};
}

function enclosures(list: readonly DraftEnclosure[], base: string | undefined): Enclosure[] {
  const out: Enclosure[] = [];
  // An item has a few enclosures at most: the list so far is the set of URLs seen.
  for (const e of list) {
    const url = absoluteHttpUrl(e.url, base);
    if (!url || seen(out, url)) continue;
    const type = e.type?.trim() || undefined;
    const length = validLength(e.length);
    // Absent fields are left out; one literal per case makes each object in a single step.
    if (type !== undefined) out.push(length !== undefined ? { url, type, length } : { url, type });
    else out.push(length !== undefined ? { url, length } : { url });
  }
  return out;
}

function seen(list: Enclosure[], url: string): boolean {
  for (const e of list) if (e.url === url) return true;
  return false;
}

function validLength(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** BCP 47-style casing: "EN_us" -> "en-US", "zh-hant-tw" -> "zh-Hant-TW". Not a language tag -> undefined. */
export function normaliseLanguage(raw: string | undefined): string | undefined {
  const parts = raw?.trim().replace(/_/g, '-').split('-') ?? [];
  const [primary, ...rest] = parts;
  if (!primary || !/^[a-z]{2,3}$/i.test(primary)) return undefined;
  const out = [primary.toLowerCase()];
  for (const p of rest) {
    if (/^[a-z]{4}$/i.test(p)) out.push(p.charAt(0).toUpperCase() + p.slice(1).toLowerCase());
    else if (/^([a-z]{2}|\d{3})$/i.test(p)) out.push(p.toUpperCase());
    else if (/^[a-z0-9]{1,8}$/i.test(p)) out.push(p.toLowerCase());
    else break;
  }
  return out.join('-');
}
