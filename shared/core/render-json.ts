// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
import { generateJsonFeed } from 'feedsmith';
import type { JsonFeed } from 'feedsmith';
import type { EntryView, FeedView } from './render-view.ts';

export function renderJson(view: FeedView): string {
  const feed: JsonFeed.Feed<Date> = {
    title: view.title,
    home_page_url: view.siteUrl,
    feed_url: view.selfUrl,
    description: view.description,
    language: view.language,
    items: view.entries.map(jsonItem),
  };
  const generated = generateJsonFeed(feed) as Record<string, unknown>;
  // The generator drops empty arrays, but `items` is required even when there are none. It also
  // drops extensions, so the hub's own (`_icat`, JSON Feed 1.1 "Extensions") is added here.
  const items = ((generated.items ?? []) as Record<string, unknown>[]).map((item, i) => {
    const members = view.entries[i]?.members ?? [];
    return members.length > 0 ? { ...item, _icat: { members: members.map((m) => ({ id: m.id, name: m.name })) } } : item;
  });
  return JSON.stringify({ ...generated, items });
}

function jsonItem(e: EntryView): JsonFeed.Item<Date> {
  const tags = [...e.categories];
  for (const m of e.members) if (!tags.includes(m.id)) tags.push(m.id);
  return {
    id: e.uri,
    url: e.link,
    title: e.title,
    content_html: e.summaryHtml,
    // The spec requires content_html or content_text on every item.
    content_text: e.text ?? (e.summaryHtml === undefined ? e.title : undefined),
    date_published: e.published,
    // Mirrors Atom's `updated`, so readers can order items whose publication date is unknown.
    date_modified: e.updated,
    tags: nonEmpty(tags),
    // The authors the source names, else the members; the members are in `_icat` either way.
    authors: nonEmpty(e.creators.map((name) => ({ name }))),
    language: e.language,
    attachments: nonEmpty(e.enclosures.map((enc) => ({ url: enc.url, mime_type: enc.type, size_in_bytes: enc.length }))),
  };
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}
