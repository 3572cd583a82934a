// One cleaned view of the feed that the three format writers share, so that ids, dates, authors
// and categories agree across RSS, Atom and JSON, and so that no writer sees a raw stored string.
import type { Publication } from '../model.ts';
import { cleanLanguage, cleanList, cleanMediaType, cleanText, parseIsoDate, publicationUri, safeHttpUrl } from './render-text.ts';
import { personName, uniqueStrings } from './text.ts';

export type OutputFormat = 'rss' | 'atom' | 'json';

export interface RenderInput {
  format: OutputFormat;
  /** e.g. "ICAT member publications" or "UNODC publications (via ICAT)" */
  title: string;
  description: string;
  /** Absolute URL of this document: atom:link rel=self in RSS and Atom, feed_url in JSON. */
  selfUrl: string;
  /** The hub's public base URL. */
  siteUrl: string;
  /** Stable id of the feed document itself, e.g. `${siteUrl}/feeds/all`. */
  feedId: string;
  /** ISO date of the newest change. */
  updated: string;
  language?: string;
  /** Newest first. */
  items: Publication[];
  /** Member id -> display name; an id missing here is shown as the id. */
  memberNames: Record<string, string>;
}

export interface MemberRef {
  id: string;
  name: string;
}

export interface EnclosureView {
  url: string;
  type: string;
  length?: number;
}

export interface EntryView {
  uri: string;
  title: string;
  link?: string;
  summaryHtml?: string;
  text?: string;
  /** Only when the source gave a date that parses. */
  published?: Date;
  /** Only when the source gave a date that parses. */
  modified?: Date;
  /** Atom's required `updated`: modified, else published, else when first seen. */
  updated: Date;
  /** RSS pubDate: published, else the date the merged feed sorts on. */
  rssDate?: Date;
  /** Credited members, first one first. */
  members: MemberRef[];
  /** The authors the source names (names only, never an e-mail address); may be empty. */
  authors: string[];
  /** Who readers show as the author: the source's authors, else the credited members' names. */
  creators: string[];
  categories: string[];
  enclosures: EnclosureView[];
  language?: string;
}

export interface FeedView {
  title: string;
  description: string;
  selfUrl: string;
  siteUrl: string;
  feedId: string;
  /** Category scheme (Atom) / domain (RSS) that marks a category as a member id. */
  membersScheme: string;
  updated: Date;
  language?: string;
  entries: EntryView[];
}

export const GENERATOR = 'ICAT Syndication Hub';
const UNTITLED = 'Untitled publication';
const EPOCH = new Date(0);

export function buildFeedView(input: RenderInput): FeedView {
  const siteUrl = cleanText(input.siteUrl) ?? '';
  const givenUpdated = parseIsoDate(input.updated);
  const entries = input.items.map((p) => buildEntryView(p, input.memberNames, givenUpdated ?? EPOCH));
  const newest = entries.reduce<Date | undefined>((max, e) => (max === undefined || e.updated > max ? e.updated : max), undefined);
  const title = cleanText(input.title) ?? siteUrl;
  return {
    title,
    description: cleanText(input.description) ?? title,
    selfUrl: cleanText(input.selfUrl) ?? siteUrl,
    siteUrl,
    feedId: cleanText(input.feedId) ?? siteUrl,
    membersScheme: `${siteUrl.replace(/\/+$/, '')}/members`,
    updated: givenUpdated ?? newest ?? EPOCH,
    language: cleanLanguage(input.language),
    entries,
  };
}

function buildEntryView(p: Publication, memberNames: Record<string, string>, lastResort: Date): EntryView {
  const members = cleanList(p.members).map((id) => ({ id, name: memberName(memberNames, id) }));
  // Stored before names were cleaned of addresses, an author may still carry one.
  const authors = uniqueStrings((p.authors ?? []).map(personName));
  const published = parseIsoDate(p.published);
  const modified = parseIsoDate(p.updated);
  const firstSeen = parseIsoDate(p.firstSeen);
  const sortDate = parseIsoDate(p.sortDate);
  return {
    uri: publicationUri(p.id),
    title: cleanText(p.title) ?? UNTITLED,
    link: safeHttpUrl(p.link),
    summaryHtml: cleanText(p.summary),
    text: cleanText(p.text),
    published,
    modified,
    updated: modified ?? published ?? firstSeen ?? sortDate ?? lastResort,
    rssDate: published ?? sortDate ?? firstSeen,
    members,
    authors,
    creators: authors.length > 0 ? authors : members.map((m) => m.name),
    categories: cleanList(p.categories),
    enclosures: buildEnclosures(p),
    language: cleanLanguage(p.language),
  };
}

function memberName(names: Record<string, string>, id: string): string {
  // Own properties only: an id such as "constructor" must not pick up Object.prototype.
  const name = Object.hasOwn(names, id) ? names[id] : undefined;
  return (typeof name === 'string' ? cleanText(name) : undefined) ?? id;
}

function buildEnclosures(p: Publication): EnclosureView[] {
  const out: EnclosureView[] = [];
  for (const enclosure of p.enclosures ?? []) {
    const url = safeHttpUrl(enclosure.url);
    if (url === undefined || out.some((e) => e.url === url)) continue;
    const length = enclosure.length;
    const known = typeof length === 'number' && Number.isSafeInteger(length) && length > 0;
    out.push({ url, type: cleanMediaType(enclosure.type), ...(known ? { length } : {}) });
  }
  return out;
}
