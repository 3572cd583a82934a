// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) into the draft shape.
import type { JsonFeed } from 'feedsmith';
import type { DraftFeed, DraftItem } from './normalise-draft.ts';
import { html, plain } from './normalise-draft.ts';
import { absoluteHttpUrl } from './links.ts';
import { nonEmpty } from './text.ts';

type Item = JsonFeed.Item<string>;
type Author = JsonFeed.Author;

export function draftFromJson(feed: JsonFeed.Feed<string>, feedUrl: string | undefined, version: string | undefined): DraftFeed {
  // The spec wants absolute URLs; when a feed uses relative ones anyway, they are read against
  // where the feed was fetched from, else where it says it lives.
  const base = feedUrl ?? absoluteHttpUrl(feed.feed_url) ?? absoluteHttpUrl(feed.home_page_url);
  return {
    format: 'json',
    version,
    title: plain(feed.title),
    links: [feed.home_page_url],
    base,
    description: plain(feed.description),
    language: feed.language,
    items: (feed.items ?? []).map((item) => jsonItem(item, base, feed.authors)),
  };
}

function jsonItem(item: Item, base: string | undefined, feedAuthors: Author[] | undefined): DraftItem {
  // JSON Feed 1.1: an item without authors has the feed's.
  const authors = item.authors?.length ? item.authors : (feedAuthors ?? []);
  return {
    title: plain(item.title),
    // url is the item's own page; external_url is what a link-blog item points at.
    links: [item.url, item.external_url],
    base,
    guid: nonEmpty(item.id),
    published: item.date_published,
    updated: item.date_modified,
    // "summary" is plain text by the spec; content_html is markup; content_text is plain.
    summaries: [plain(item.summary), html(item.content_html), plain(item.content_text)],
    authors: authors.map((a) => a.name),
    categories: item.tags ?? [],
    enclosures: (item.attachments ?? []).map((a) => ({ url: a.url, type: a.mime_type, length: a.size_in_bytes })),
    language: item.language,
  };
}
