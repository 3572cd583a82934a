// Atom 1.0 (RFC 4287) and Atom 0.3 into the draft shape.
//
// An entry's <id> is its guid, never its link: RFC 4287 (4.2.6) makes it an identifier, not a
// locator, and tag:/urn: ids are common. The link comes from <link rel="alternate"> (or no rel).
import type { AtomFeed } from 'feedsmith';
import type { DraftEnclosure, DraftFeed, DraftItem } from './normalise-draft.ts';
import { atomText, atomTitle, joinValues, mediaEnclosures, pollHint } from './normalise-draft.ts';
import { alternates, type XmlContext } from './normalise-rss.ts';
import { joinBase } from './links.ts';
import { nonEmpty } from './text.ts';

type Entry = AtomFeed.Entry<string>;
type Person = AtomFeed.Person;

export function draftFromAtom(feed: AtomFeed.Feed<string>, ctx: XmlContext): DraftFeed {
  const base = joinBase(ctx.base, feed.xml?.base);
  const lang = feed.xml?.lang ?? feed.dc?.languages?.[0] ?? ctx.lang;
  const atom03 = ctx.version === 'atom 0.3';
  return {
    format: 'atom',
    version: ctx.version,
    title: atomTitle(feed.title, base, atom03),
    links: alternates(feed.links),
    base,
    description: atomText(feed.subtitle, base),
    language: lang,
    minIntervalSeconds: pollHint(undefined, feed.sy),
    items: (feed.entries ?? []).map((entry) => atomEntry(entry, base, feed.authors, atom03)),
  };
}

function atomEntry(entry: Entry, feedBase: string | undefined, feedAuthors: Person[] | undefined, atom03: boolean): DraftItem {
  const base = joinBase(feedBase, entry.xml?.base);
  // RFC 4287 4.2.1: an entry without authors takes its source's, then the feed's.
  const people = entry.authors?.length ? entry.authors : entry.source?.authors?.length ? entry.source.authors : feedAuthors;
  const content = entry.content?.src ? undefined : entry.content;
  return {
    title: atomTitle(entry.title, joinBase(base, entry.title?.xml?.base), atom03),
    links: alternates(entry.links),
    base,
    guid: nonEmpty(entry.id),
    published: entry.published ?? entry.dc?.dates?.[0],
    updated: entry.updated,
    summaries: [atomText(entry.summary, joinBase(base, entry.summary?.xml?.base)), atomText(content, joinBase(base, content?.xml?.base))],
    authors: joinValues(people, personName, entry.dc?.creators),
    categories: joinValues(entry.categories, categoryName, entry.dc?.subjects),
    enclosures: joinValues(entry.links?.filter(isEnclosureLink), linkEnclosure, mediaEnclosures(entry.media)),
    language: entry.xml?.lang ?? entry.dc?.languages?.[0],
  };
}

function personName(p: Person): string | undefined {
  return nonEmpty(p.name) ?? p.email;
}

function categoryName(c: { term?: string; label?: string }): string | undefined {
  return nonEmpty(c.term) ?? c.label;
}

function isEnclosureLink(l: { rel?: string }): boolean {
  return l.rel?.trim().toLowerCase() === 'enclosure';
}

function linkEnclosure(l: { href?: string; type?: string; length?: unknown }): DraftEnclosure {
  return { url: l.href, type: l.type, length: l.length };
}
