// Decides what a decoded document is and hands it to the matching reader. The format is taken
// from the root element (not from a search anywhere in the text, which would take an HTML page
// that mentions "<rss" for a feed), after the well-formedness check.
import { parseAtomFeed, parseJsonFeed, parseRdfFeed, parseRssFeed, ParseError as FeedsmithParseError } from 'feedsmith';
import { ParseError } from '../errors.ts';
import type { DraftFeed } from './normalise-draft.ts';
import { draftFromAtom } from './normalise-atom.ts';
import { draftFromJson } from './normalise-json.ts';
import { draftFromRdf, draftFromRss, type XmlContext } from './normalise-rss.ts';
import { joinBase } from './links.ts';
import { newestPositions, readInParts } from './newest-items.ts';
import { localName, scanXml, type StartTag } from './parse-xml.ts';

export const HTML_PAGE_MESSAGE = 'This address returns a web page (HTML), not a feed';

export function readDraft(text: string, feedUrl: string | undefined, maxItems: number): DraftFeed {
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return readJson(start, feedUrl, maxItems);
  if (!start.startsWith('<')) {
    throw new ParseError('not_a_feed', 'This address returns plain text, not a feed (a feed starts with "<" or "{").');
  }
  // Scanned untrimmed, so that line numbers in messages match the member's file.
  const scan = scanXml(text);
  const root = scan.root ? localName(scan.root.name).toLowerCase() : undefined;
  if (isHtml(root, scan.doctype)) {
    throw new ParseError('not_a_feed_html', `${HTML_PAGE_MESSAGE}. Ask the site for the address of its RSS, Atom or JSON feed.`);
  }
  if (scan.error || !scan.root) {
    throw new ParseError('malformed_xml', `The feed is not well-formed XML, so it cannot be read: ${scan.error ?? 'no elements'}.`, {
      details: { reason: scan.error },
    });
  }
  refuseDeclaredEntities(text, scan.doctypeEnd, scan.entities);
  const attrs = scan.root.attrs;
  const rootBase = joinBase(feedUrl, xmlAttr(attrs['xml:base']));
  const ctx: XmlContext = { base: rootBase, lang: xmlAttr(attrs['xml:lang']) };
  switch (root) {
    case 'rss': {
      const channel = scan.children.find((c) => localName(c.name).toLowerCase() === 'channel');
      ctx.base = joinBase(rootBase, xmlAttr(channel?.attrs['xml:base']));
      ctx.lang = xmlAttr(channel?.attrs['xml:lang']) ?? ctx.lang;
      ctx.version = attrs.version ? `rss ${attrs.version.trim()}` : 'rss';
      return readInParts(text, scan.items, maxItems, (doc) => draftFromRss(callReader('an RSS', () => parseRssFeed(doc)) ?? {}, ctx));
    }
    case 'feed':
      // feedsmith reports the root's xml:base itself; the Atom reader joins it to the feed URL.
      ctx.base = feedUrl;
      ctx.version = attrs.version?.trim() === '0.3' || hasNamespace(scan.root, 'purl.org/atom/ns#') ? 'atom 0.3' : 'atom 1.0';
      return readInParts(text, scan.items, maxItems, (doc) => draftFromAtom(callReader('an Atom', () => parseAtomFeed(doc)) ?? {}, ctx));
    case 'rdf':
      ctx.version = hasNamespace(scan.root, 'channel.netscape.com/rdf/simple/0.9') ? 'rss 0.90' : 'rss 1.0';
      return readInParts(text, scan.items, maxItems, (doc) => draftFromRdf(callReader('an RSS 1.0', () => parseRdfFeed(doc)) ?? {}, ctx));
    case 'channel':
      throw new ParseError('unsupported_format', 'This is a Channel Definition Format (CDF) document; the hub reads RSS, Atom and JSON Feed.');
    case 'entry':
      throw new ParseError('unsupported_format', 'This is a single Atom entry, not a feed; the hub reads whole RSS, Atom and JSON feeds.');
    case 'opml':
      throw new ParseError('not_a_feed', 'This is an OPML outline (a list of feeds), not a feed itself.');
    default:
      throw new ParseError('not_a_feed', `This address returns an XML document whose main element is <${scan.root.name}>, not a feed (RSS, Atom or JSON Feed).`);
  }
}

/**
 * Entities a document declares for itself are never expanded: a few lines of them can stand for
 * gigabytes of text (the "billion laughs"), and left unexpanded they would be published as
 * "&name;". A document that uses one is refused, saying which; declarations nothing uses are harmless.
 */
function refuseDeclaredEntities(text: string, from: number, declared: string[]): void {
  if (declared.length === 0) return;
  const names = new Set(declared);
  const reference = /&([A-Za-z_:][\w.:-]*);/g;
  reference.lastIndex = from;
  for (let m = reference.exec(text); m; m = reference.exec(text)) {
    if (!names.has(m[1] as string)) continue;
    throw new ParseError(
      'declared_entities',
      `The feed uses entities its DOCTYPE declares (such as &${m[1]};). The hub never expands declared entities, ` +
        'because a few of them can stand for gigabytes of text; write the text itself into the feed instead.',
      { details: { entity: m[1] } },
    );
  }
}

function readJson(text: string, feedUrl: string | undefined, maxItems: number): DraftFeed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ParseError('not_a_feed', `This address returns text that starts like JSON but is not valid JSON (${(err as Error).message}).`, { cause: err });
  }
  if (!isJsonFeed(value)) {
    throw new ParseError('not_a_feed', 'This address returns JSON, but not a JSON Feed (see https://jsonfeed.org).');
  }
  // The spec's version is a URL; a bare "1.1" is read the same way.
  const declared = typeof value.version === 'string' ? value.version.trim() : '';
  const number = /(?:version\/|^)(\d+(?:\.\d+)?)\/?$/.exec(declared)?.[1];
  if (number && !/^1(\.|$)/.test(number)) {
    throw new ParseError('unsupported_format', `This is a JSON Feed of version ${number}; the hub reads versions 1.0 and 1.1.`);
  }
  const version = number ? `json ${number.includes('.') ? number : `${number}.0`}` : 'json';
  const input = declared.includes('jsonfeed.org/version/') ? value : { ...value, version: undefined };
  // Only the newest items go to the feed library, which copies what it reads.
  const all: unknown[] = Array.isArray(value.items) ? value.items : [];
  if (all.length > maxItems) {
    const date = (i: unknown) => (i && typeof i === 'object' ? (i as Record<string, unknown>) : {});
    const raw = (v: unknown) => (typeof v === 'string' ? v : undefined);
    input.items = newestPositions(all.map((i) => raw(date(i).date_published) ?? raw(date(i).date_modified)), maxItems).map((p) => all[p]);
  }
  const draft = draftFromJson(callReader('a JSON Feed', () => parseJsonFeed(input)) ?? { title: '', items: [] }, feedUrl, version);
  return all.length > maxItems ? { ...draft, itemCount: all.length } : draft;
}

function isJsonFeed(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.version === 'string' && v.version.includes('jsonfeed.org/version/')) return true;
  if (!Array.isArray(v.items)) return false;
  return (typeof v.version === 'string' && /^\d+(\.\d+)?$/.test(v.version.trim())) || (typeof v.title === 'string' || typeof v.home_page_url === 'string' || typeof v.feed_url === 'string');
}

/**
 * Runs the feed library. Its own ParseError means it found nothing it recognises under a correct
 * root element (an empty <channel>, say): that is a feed with no items, not an error, and
 * undefined is returned. Anything else it throws becomes a ParseError a member can read.
 */
function callReader<T>(format: string, read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (err instanceof FeedsmithParseError) return undefined;
    throw new ParseError('unsupported_format', `This looks like ${format} feed, but its structure could not be read (${(err as Error).message}).`, {
      cause: err,
    });
  }
}

const FEED_ROOTS = new Set(['rss', 'feed', 'rdf']);
const HTML_ROOTS = new Set(['html', 'head', 'body']);

/** The root decides; a stray HTML DOCTYPE above an <rss> element does not make it a web page. */
function isHtml(root: string | undefined, doctype: string | undefined): boolean {
  if (root && FEED_ROOTS.has(root)) return false;
  return (root !== undefined && HTML_ROOTS.has(root)) || doctype?.toLowerCase() === 'html';
}

function hasNamespace(tag: StartTag, uriPart: string): boolean {
  return Object.entries(tag.attrs).some(([k, v]) => k.startsWith('xmlns') && v.includes(uriPart));
}

/** Decodes the references XML allows in a raw attribute value. */
function xmlAttr(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return raw.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, ref: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (ref[0] !== '#') return named[ref.toLowerCase()] ?? '';
    const code = ref[1]?.toLowerCase() === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}
