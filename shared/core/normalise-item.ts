// One draft item into the normalised shape: links resolved and cleaned, HTML sanitised, dates
// parsed, lists de-duplicated. Problems are tallied in `notes` for the feed's warnings.
import type { Enclosure, NormalisedItem } from '../model.ts';
import type { DraftEnclosure, DraftItem, DraftText } from './normalise-draft.ts';
import { parseFeedDate } from './dates.ts';
import { absoluteHttpUrl, canonicalLink, isAbsoluteUrl } from './links.ts';
import { htmlToText, summarise, summariseText } from './sanitize.ts';
import { collapseWhitespace, truncateAtWord, uniqueStrings } from './text.ts';

export interface ItemNotes {
  /** Items whose only links were relative with no base to resolve them against. */
  relativeWithoutBase: number;
  /** Dates given but not readable, as written. */
  badDates: string[];
}

export type ItemWithoutId = Omit<NormalisedItem, 'id'>;

const TITLE_FROM_TEXT_MAX = 80;

export function normaliseItem(d: DraftItem, feedLanguage: string | undefined, notes: ItemNotes): ItemWithoutId {
  const link = pickLink(d.links, d.base, notes);
  const { summary, text } = pickSummary(d.summaries, d.base);
  const published = parseFeedDate(d.published);
  const updated = parseFeedDate(d.updated);
  for (const date of [published, updated]) if (date && !date.iso) notes.badDates.push(date.raw);
  const item: ItemWithoutId = {
    guid: d.guid,
    title: titleText(d.title) || (text ? truncateAtWord(text, TITLE_FROM_TEXT_MAX) : '(untitled)'),
    link,
    published,
    updated,
    summary,
    text,
    authors: uniqueStrings(d.authors.map((a) => a?.replace(/^mailto:/i, ''))),
    categories: uniqueStrings(d.categories),
    enclosures: enclosures(d.enclosures, d.base),
    language: normaliseLanguage(d.language) ?? feedLanguage,
  };
  // Leave optional fields out rather than present-but-undefined, so the output is plain data.
  for (const key of Object.keys(item) as (keyof ItemWithoutId)[]) if (item[key] === undefined) delete item[key];
  return item;
}

/** Plain-text title: markup removed for HTML titles, whitespace collapsed for all. */
export function titleText(t: DraftText | undefined): string {
  if (!t) return '';
  return t.kind === 'html' ? htmlToText(t.value) : collapseWhitespace(t.value);
}

function pickLink(candidates: (string | undefined)[], base: string | undefined, notes: ItemNotes): string | undefined {
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

function enclosures(list: DraftEnclosure[], base: string | undefined): Enclosure[] {
  const out: Enclosure[] = [];
  const seen = new Set<string>();
  for (const e of list) {
    const url = absoluteHttpUrl(e.url, base);
    if (!url || seen.has(url)) continue;
    seen.add(url);
    const enclosure: Enclosure = { url };
    const type = e.type?.trim();
    if (type) enclosure.type = type;
    const length = validLength(e.length);
    if (length !== undefined) enclosure.length = length;
    out.push(enclosure);
  }
  return out;
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
