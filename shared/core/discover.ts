// Feed autodiscovery: the feeds a web page advertises with <link rel="alternate" type="..." href>
// in its head (the RSS Board's autodiscovery profile; the same convention serves Atom and JSON Feed).
// Pure: the page's text in, candidate URLs out; fetching them is the caller's business.
import { Parser } from 'htmlparser2';
import { collapseWhitespace } from './text.ts';

export interface FeedCandidate {
  /** Absolute http(s) URL, fragment removed. */
  url: string;
  title?: string;
  /** The advertised media type, lower-cased, without parameters. */
  type: string;
}

export const FEED_LINK_TYPES: readonly string[] = ['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/json'];

/** More than this many is a page to read, not a choice to offer. */
export const MAX_CANDIDATES = 20;

interface RawLink {
  href: string;
  type: string;
  title?: string;
}

function tokens(value: string | undefined): string[] {
  return (value ?? '').toLowerCase().split(/[\t\n\f\r ]+/).filter(Boolean);
}

/** A URL a reader may fetch as a feed, or undefined. */
function resolveHttp(href: string, base: string): string | undefined {
  let u: URL;
  try {
    u = new URL(href, base);
  } catch {
    return undefined;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password) return undefined;
  u.hash = '';
  return u.href;
}

/**
 * The feeds `html` advertises, resolved against its first <base href> and then `pageUrl` (the URL the
 * page was actually served from), http(s) only, each URL once, in document order, at most
 * MAX_CANDIDATES. Links after the <body> start tag are ignored: page content (comments, posts) can
 * contain markup, the head is the site's own.
 */
export function discoverFeeds(html: string, pageUrl: string): FeedCandidate[] {
  const links: RawLink[] = [];
  let baseHref: string | undefined;
  let inBody = false;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (inBody) return;
        if (name === 'body') {
          inBody = true;
          parser.pause();
          return;
        }
        if (name === 'base' && baseHref === undefined && attribs.href !== undefined) {
          baseHref = attribs.href.trim();
          return;
        }
        if (name !== 'link' || !tokens(attribs.rel).includes('alternate')) return;
        const type = (attribs.type ?? '').split(';')[0]!.trim().toLowerCase();
        const href = (attribs.href ?? '').trim();
        if (!FEED_LINK_TYPES.includes(type) || href === '') return;
        const title = attribs.title === undefined ? undefined : collapseWhitespace(attribs.title).slice(0, 200);
        links.push({ href, type, ...(title ? { title } : {}) });
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();

  // The document's base URL applies to every link, including those before the <base> element.
  const base = (baseHref !== undefined && baseHref !== '' ? resolveAny(baseHref, pageUrl) : undefined) ?? pageUrl;
  const seen = new Set<string>();
  const out: FeedCandidate[] = [];
  for (const link of links) {
    const url = resolveHttp(link.href, base);
    if (!url || seen.has(url)) continue;
    seen.add(url);
    out.push({ url, ...(link.title ? { title: link.title } : {}), type: link.type });
    if (out.length === MAX_CANDIDATES) break;
  }
  return out;
}

function resolveAny(href: string, base: string): string | undefined {
  try {
    return new URL(href, base).href;
  } catch {
    return undefined;
  }
}
