// The shape every format is first mapped into: the feed's own values, in preference order, not
// yet resolved, sanitised or validated. normalise-item.ts and parse.ts take it from there, so
// the rules (links, dates, HTML, ids) live in one place whatever the format.
import type { FeedFormat } from '../model.ts';
import { nonEmpty } from './text.ts';

export interface DraftText {
  value: string;
  /** 'html' is markup (RSS titles and descriptions, Atom type="html"/"xhtml"); 'text' is literal. */
  kind: 'html' | 'text';
  /** xml:base in force for this text (absolute), when it differs from the item's. */
  base?: string;
}

export interface DraftEnclosure {
  url?: string;
  type?: string;
  length?: unknown;
}

export interface DraftItem {
  title?: DraftText;
  /** Candidate hrefs, best first, as written (possibly relative). */
  links: readonly (string | undefined)[];
  /** Absolute base URL for this item's relative references. */
  base?: string;
  guid?: string;
  published?: string;
  updated?: string;
  /** Summary candidates, best first: the summary/description, then full content. */
  summaries: (DraftText | undefined)[];
  authors: readonly (string | undefined)[];
  categories: readonly (string | undefined)[];
  enclosures: readonly DraftEnclosure[];
  language?: string;
}

export interface DraftFeed {
  format: FeedFormat;
  version?: string;
  title?: DraftText;
  links: (string | undefined)[];
  base?: string;
  description?: DraftText;
  language?: string;
  minIntervalSeconds?: number;
  items: DraftItem[];
  /** Items the document holds, when more than `items` (only the newest were kept). */
  itemCount?: number;
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * The values of one field from two sources (RSS <author> then dc:creator, say): `first` through
 * `pick`, then `rest`. Drafts are only read, so a missing source costs no new array.
 */
export function joinValues<T, V>(first: readonly T[] | undefined, pick: (x: T) => V, rest: readonly V[] | undefined): readonly V[] {
  if (!first?.length) return rest ?? NONE;
  const out = first.map(pick);
  if (rest?.length) out.push(...rest);
  return out;
}

export const html = (value: string | undefined, base?: string): DraftText | undefined => {
  const v = nonEmpty(value);
  return v === undefined ? undefined : { value: v, kind: 'html', base };
};

export const plain = (value: string | undefined, base?: string): DraftText | undefined => {
  const v = nonEmpty(value);
  return v === undefined ? undefined : { value: v, kind: 'text', base };
};

/** Atom text constructs (and Atom 0.3's MIME-typed ones): html and xhtml are markup, the rest literal. */
export function atomText(t: { value?: string; type?: string } | undefined, base?: string): DraftText | undefined {
  const type = t?.type?.trim().toLowerCase();
  if (type === undefined || type === 'text' || type === 'text/plain') return plain(t?.value, base);
  if (type === 'html' || type === 'xhtml' || type.includes('html')) return html(t?.value, base);
  // Other media types (an image, base64 data) are not a summary.
  return undefined;
}

/**
 * Atom titles. RFC 4287 allows only text, html and xhtml; any other type is read as text. Atom 0.3
 * put markup inline by default (mode="xml"), so an untyped 0.3 title is read as markup.
 */
export function atomTitle(t: { value?: string; type?: string } | undefined, base: string | undefined, atom03: boolean): DraftText | undefined {
  const type = t?.type?.trim().toLowerCase();
  if (type?.includes('html') || (atom03 && type === undefined)) return html(t?.value, base);
  return plain(t?.value, base);
}

const SY_PERIODS: Record<string, number> = { hourly: 3600, daily: 86_400, weekly: 604_800, monthly: 2_592_000, yearly: 31_536_000 };

/** The poll interval a feed asks for: RSS <ttl> (minutes) first, else sy:updatePeriod / sy:updateFrequency. */
export function pollHint(ttlMinutes: number | undefined, sy?: { updatePeriod?: string; updateFrequency?: number }): number | undefined {
  if (typeof ttlMinutes === 'number' && Number.isFinite(ttlMinutes) && ttlMinutes > 0) return Math.round(ttlMinutes * 60);
  const period = SY_PERIODS[sy?.updatePeriod?.trim().toLowerCase() ?? ''];
  if (period === undefined) return undefined;
  const frequency = typeof sy?.updateFrequency === 'number' && sy.updateFrequency > 0 ? sy.updateFrequency : 1;
  return Math.max(1, Math.round(period / frequency));
}

interface MediaContent {
  url?: string;
  type?: string;
  fileSize?: number;
}

/** Enclosures from Media RSS: <media:content url> directly or inside <media:group>. */
export function mediaEnclosures(media: { contents?: MediaContent[]; groups?: { contents?: MediaContent[] }[] } | undefined): readonly DraftEnclosure[] {
  if (!media) return NONE;
  const contents = [...(media?.contents ?? []), ...(media?.groups ?? []).flatMap((g) => g.contents ?? [])];
  return contents.filter((c) => c.url).map((c) => ({ url: c.url, type: c.type, length: c.fileSize }));
}
