// Atom 1.0 (RFC 4287).
import { generateAtomFeed } from 'feedsmith';
import type { AtomFeed } from 'feedsmith';
import { tightenCdata } from './render-text.ts';
import { GENERATOR } from './render-view.ts';
import type { EntryView, FeedView } from './render-view.ts';

export function renderAtom(view: FeedView, selfType: string): string {
  const feed: AtomFeed.Feed<Date> = {
    id: view.feedId,
    title: { value: view.title, type: 'text' },
    subtitle: { value: view.description, type: 'text' },
    updated: view.updated,
    generator: { text: GENERATOR, uri: view.siteUrl },
    // RFC 4287 4.1.1: a feed needs an author unless every entry has one; entries without
    // credited members (and an empty feed) fall back to this.
    authors: [{ name: GENERATOR, uri: view.siteUrl }],
    links: [
      { href: view.selfUrl, rel: 'self', type: selfType },
      { href: view.siteUrl, rel: 'alternate', type: 'text/html' },
    ],
    xml: view.language ? { lang: view.language } : undefined,
    entries: view.entries.map((e) => atomEntry(e, view.membersScheme)),
  };
  return tightenCdata(generateAtomFeed(feed));
}

function atomEntry(e: EntryView, membersScheme: string): AtomFeed.Entry<Date> {
  const links: AtomFeed.Link<Date>[] = [];
  if (e.link) links.push({ href: e.link, rel: 'alternate' });
  for (const enc of e.enclosures) links.push({ href: enc.url, rel: 'enclosure', type: enc.type, length: enc.length });
  return {
    id: e.uri,
    title: { value: e.title, type: 'text' },
    updated: e.updated,
    published: e.published,
    // atom:author is who readers show as the source: the authors the source names, else the
    // members. The members that carried the entry are contributors (when not already authors)
    // and, for readers of Dublin Core, its publishers.
    authors: e.creators.map((name) => ({ name })),
    contributors: e.authors.length > 0 && e.members.length > 0 ? e.members.map((m) => ({ name: m.name })) : undefined,
    dc: e.members.length > 0 ? { publishers: e.members.map((m) => m.name) } : undefined,
    categories: [
      ...e.categories.map((term) => ({ term })),
      ...e.members.map((m) => ({ term: m.id, scheme: membersScheme, label: m.name })),
    ],
    links,
    // RFC 4287 4.1.2: without an alternate link the entry must carry content.
    ...(e.link ? { summary: summaryOf(e) } : { content: summaryOf(e) ?? { value: e.title, type: 'text' } }),
    xml: e.language ? { lang: e.language } : undefined,
  };
}

function summaryOf(e: EntryView): AtomFeed.Text | undefined {
  if (e.summaryHtml !== undefined) return { value: e.summaryHtml, type: 'html' };
  return e.text === undefined ? undefined : { value: e.text, type: 'text' };
}
