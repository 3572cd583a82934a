// RSS 0.9x/2.0 and RSS 1.0 (RDF) into the draft shape.
import type { RdfFeed, RssFeed } from 'feedsmith';
import type { DraftEnclosure, DraftFeed, DraftItem } from './normalise-draft.ts';
import { html, joinValues, mediaEnclosures, pollHint } from './normalise-draft.ts';
import { isAbsoluteUrl, joinBase } from './links.ts';
import { nonEmpty } from './text.ts';

type RssItem = RssFeed.Item<string>;
type AtomLink = { href?: string; rel?: string; type?: string };

export interface XmlContext {
  /** Absolute base for the channel: feed URL, then xml:base on the root, then on <channel>. */
  base?: string;
  /** xml:lang on the root element. */
  lang?: string;
  version?: string;
}

export function draftFromRss(feed: RssFeed.Feed<string>, ctx: XmlContext): DraftFeed {
  return {
    format: 'rss',
    version: ctx.version,
    title: html(feed.title ?? feed.dc?.titles?.[0]),
    links: [feed.link, ...alternates(feed.atom?.links)],
    base: ctx.base,
    description: html(feed.description),
    language: feed.language ?? feed.dc?.languages?.[0] ?? ctx.lang,
    minIntervalSeconds: pollHint(feed.ttl, feed.sy),
    items: (feed.items ?? []).map((item) => rssItem(item, ctx.base)),
  };
}

function rssItem(item: RssItem, channelBase: string | undefined): DraftItem {
  const base = joinBase(channelBase, item.xml?.base);
  const guid = nonEmpty(item.guid?.value);
  // RSS 2.0: a guid is a permalink unless isPermaLink="false"; only a real absolute URL is used.
  const guidLink = guid && item.guid?.isPermaLink !== false && isAbsoluteUrl(guid) ? guid : undefined;
  return {
    title: html(item.title ?? item.dc?.titles?.[0] ?? item.media?.title?.value),
    links: item.atom?.links?.length ? [item.link, ...alternates(item.atom.links), guidLink] : [item.link, guidLink],
    base,
    guid,
    published: item.pubDate ?? item.dc?.dates?.[0] ?? item.dcterms?.issued?.[0] ?? item.atom?.published,
    updated: item.atom?.updated ?? item.dcterms?.modified?.[0],
    summaries: [html(item.description, base), html(item.content?.encoded, base), html(item.dc?.descriptions?.[0], base)],
    authors: joinValues(item.authors, personName, item.dc?.creators),
    categories: joinValues(item.categories, categoryName, item.dc?.subjects),
    enclosures: joinValues(item.enclosures, enclosure, mediaEnclosures(item.media)),
    language: item.dc?.languages?.[0] ?? item.xml?.lang,
  };
}

function personName(a: { name?: string; email?: string }): string | undefined {
  return a.name ?? a.email;
}

function categoryName(c: { name?: string }): string | undefined {
  return c.name;
}

function enclosure(e: { url?: string; type?: string; length?: unknown }): DraftEnclosure {
  return { url: e.url, type: e.type, length: e.length };
}

export function draftFromRdf(feed: RdfFeed.Feed<string>, ctx: XmlContext): DraftFeed {
  return {
    format: 'rdf',
    version: ctx.version,
    title: html(feed.title ?? feed.dc?.titles?.[0]),
    links: [feed.link, ...alternates(feed.atom?.links)],
    base: ctx.base,
    description: html(feed.description ?? feed.dc?.descriptions?.[0]),
    language: feed.dc?.languages?.[0] ?? ctx.lang,
    minIntervalSeconds: pollHint(undefined, feed.sy),
    items: (feed.items ?? []).map((item) => rdfItem(item, ctx.base)),
  };
}

function rdfItem(item: RdfFeed.Item<string>, channelBase: string | undefined): DraftItem {
  const base = joinBase(channelBase, item.xml?.base);
  // RSS 1.0: rdf:about identifies the item and "should be identical to" its <link>.
  const about = nonEmpty(item.rdf?.about);
  return {
    title: html(item.title ?? item.dc?.titles?.[0]),
    links: [item.link, about && isAbsoluteUrl(about) ? about : undefined],
    base,
    guid: about,
    published: item.dc?.dates?.[0] ?? item.dcterms?.issued?.[0] ?? item.dcterms?.created?.[0],
    updated: item.dcterms?.modified?.[0],
    summaries: [html(item.description, base), html(item.content?.encoded, base), html(item.dc?.descriptions?.[0], base)],
    authors: item.dc?.creators ?? [],
    categories: item.dc?.subjects ?? [],
    enclosures: mediaEnclosures(item.media),
    language: item.dc?.languages?.[0] ?? item.xml?.lang,
  };
}

/** Atom links that point at a web page (rel alternate or none), text/html first. */
export function alternates(links: AtomLink[] | undefined): string[] {
  if (!links?.length) return [];
  const candidates = links.filter((l) => l.href && (!l.rel || l.rel.trim().toLowerCase() === 'alternate'));
  return candidates.sort((a, b) => linkRank(a) - linkRank(b)).map((l) => l.href as string);
}

function linkRank(l: AtomLink): number {
  return !l.type ? 1 : /^(text\/html|application\/xhtml\+xml)\b/i.test(l.type.trim()) ? 0 : 2;
}
