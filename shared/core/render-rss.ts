// RSS 2.0 (https://www.rssboard.org/rss-specification) with atom:link rel=self and dc:creator.
import { generateRssFeed } from 'feedsmith';
import type { RssFeed } from 'feedsmith';
import { tightenCdata } from './render-text.ts';
import { escapeHtml } from './text.ts';
import { GENERATOR } from './render-view.ts';
import type { EntryView, FeedView } from './render-view.ts';

export function renderRss(view: FeedView, selfType: string): string {
  const feed: RssFeed.Feed<Date> = {
    title: view.title,
    link: view.siteUrl,
    description: view.description,
    language: view.language,
    lastBuildDate: view.updated,
    generator: GENERATOR,
    docs: 'https://www.rssboard.org/rss-specification',
    atom: { links: [{ href: view.selfUrl, rel: 'self', type: selfType }] },
    items: view.entries.map((e) => rssItem(e, view.membersScheme)),
  };
  return tightenCdata(generateRssFeed(feed));
}

function rssItem(e: EntryView, membersScheme: string): RssFeed.Item<Date> {
  const first = e.enclosures[0];
  return {
    title: e.title,
    link: e.link,
    // Readers treat description as HTML, so plain text is escaped rather than passed as markup.
    description: e.summaryHtml ?? (e.text === undefined ? undefined : escapeHtml(e.text)),
    guid: { value: e.uri, isPermaLink: false },
    pubDate: e.rssDate,
    categories: [
      ...e.categories.map((name) => ({ name })),
      ...e.members.map((m) => ({ name: m.id, domain: membersScheme })),
    ],
    // RSS allows one enclosure per item; length 0 is the convention for "unknown".
    enclosures: first ? [{ url: first.url, type: first.type, length: first.length ?? 0 }] : undefined,
    // <author> must be an e-mail address, so names go in dc:creator: the authors the source names
    // (the members when it names nobody); the members that carried the item are its publishers.
    dc: {
      creators: nonEmpty(e.creators),
      publishers: nonEmpty(e.members.map((m) => m.name)),
    },
  };
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}
