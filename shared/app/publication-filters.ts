// The filters a reader can put on the latest publications, the same on the page (/) and on the merged
// feeds (/feeds/all.rss?member=...): read from a query string, checked, written back in one canonical
// order (so that a cache key and a feed link are the same for the same view), and matched. Pure.
import { fold } from '../alerts/filters.ts';
import type { Publication } from '../model.ts';

export interface PublicationFilters {
  member?: string;
  category?: string;
  language?: string;
  /** Free text: every word must begin a word of the title, summary or categories. */
  q?: string;
  /** Inclusive days, YYYY-MM-DD (UTC), on the date the list sorts on. */
  from?: string;
  to?: string;
}

export const FILTER_NAMES = ['member', 'category', 'language', 'q', 'from', 'to'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

export interface FilterProblem {
  field: FilterName;
  /** invalid_member, unknown_member, too_long, invalid_language, invalid_date, date_order */
  code: string;
}

const MEMBER_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDay(raw: string): boolean {
  const m = DAY.exec(raw);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  // Rejects 2026-02-31 instead of rolling it into March.
  return d.toISOString().slice(0, 10) === raw;
}

/**
 * Filters from a query string; empty values are absent. `knownMembers`, when given, turns an unknown
 * member into a problem (a typo must not look like "nothing published").
 */
export function parseFilters(query: URLSearchParams, knownMembers?: ReadonlySet<string>): { filters: PublicationFilters; problems: FilterProblem[] } {
  const problems: FilterProblem[] = [];
  const filters: PublicationFilters = {};
  const get = (name: FilterName) => {
    const v = query.get(name)?.trim().replace(/\s+/g, ' ');
    return v ? v : undefined;
  };
  const member = get('member')?.toLowerCase();
  if (member !== undefined) {
    if (!MEMBER_ID.test(member)) problems.push({ field: 'member', code: 'invalid_member' });
    else if (knownMembers && !knownMembers.has(member)) problems.push({ field: 'member', code: 'unknown_member' });
    else filters.member = member;
  }
  const category = get('category');
  if (category !== undefined) {
    if (category.length > 100) problems.push({ field: 'category', code: 'too_long' });
    else filters.category = category;
  }
  const language = get('language')?.toLowerCase();
  if (language !== undefined) {
    if (!LANGUAGE.test(language) || language.length > 35) problems.push({ field: 'language', code: 'invalid_language' });
    else filters.language = language;
  }
  const q = get('q');
  if (q !== undefined) {
    if (q.length > 200) problems.push({ field: 'q', code: 'too_long' });
    else if (fold(q) !== '') filters.q = q;
  }
  for (const name of ['from', 'to'] as const) {
    const v = get(name);
    if (v === undefined) continue;
    if (!isDay(v)) problems.push({ field: name, code: 'invalid_date' });
    else filters[name] = v;
  }
  if (filters.from && filters.to && filters.from > filters.to) problems.push({ field: 'to', code: 'date_order' });
  return { filters, problems };
}

export function hasFilters(filters: PublicationFilters): boolean {
  return FILTER_NAMES.some((n) => filters[n] !== undefined);
}

/** The filters as a query string in a fixed order (no leading "?"); `extra` is appended as given. */
export function filterQuery(filters: PublicationFilters, extra: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const n of FILTER_NAMES) {
    const v = filters[n];
    if (v !== undefined) params.set(n, v);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) params.set(k, String(v));
  return params.toString();
}

/** A publication with what matching needs, computed once when the index loads. */
export interface IndexedPublication {
  pub: Publication;
  /** Folded title, summary text and categories, with a leading space so " word" finds word starts. */
  words: string;
  categories: string[];
  day: string;
}

export function indexPublication(pub: Publication): IndexedPublication {
  return {
    pub,
    words: ` ${fold([pub.title, pub.text ?? '', ...pub.categories].join(' '))}`,
    categories: pub.categories.map(fold),
    day: pub.sortDate.slice(0, 10),
  };
}

/** A predicate for the filters, with the query's folding done once rather than once per item. */
export function matcher(filters: PublicationFilters): (e: IndexedPublication) => boolean {
  const terms = filters.q ? fold(filters.q).split(' ').filter(Boolean).map((w) => ` ${w}`) : [];
  const category = filters.category ? fold(filters.category) : undefined;
  const { member, language, from, to } = filters;
  return (e) => {
    if (member && !e.pub.members.includes(member)) return false;
    if (from && e.day < from) return false;
    if (to && e.day > to) return false;
    if (category !== undefined && !e.categories.includes(category)) return false;
    if (language) {
      const l = e.pub.language?.toLowerCase();
      if (!l || (l !== language && !l.startsWith(`${language}-`))) return false;
    }
    return terms.every((t) => e.words.includes(t));
  };
}
