// What the parser takes from a hostile document: at most MAX_ITEMS_PER_DOCUMENT items, the newest,
// and never an entity the document declares for itself.
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../shared/errors.ts';
import { MAX_ITEMS_PER_DOCUMENT, parseFeed } from '../../shared/core/parse.ts';
import { afterSuccess } from '../../shared/core/feed-state.ts';
import type { Feed } from '../../shared/model.ts';

const rssItem = (i: number, date?: Date) =>
  `<item><title>Report ${i}</title><link>https://example.org/r/${i}</link><guid>https://example.org/r/${i}</guid>${date ? `<pubDate>${date.toUTCString()}</pubDate>` : ''}<description>About ${i}</description></item>`;
const rss = (items: string, head = '') =>
  `<?xml version="1.0"?>${head}<rss version="2.0"><channel><title>T</title><link>https://example.org/</link><description>d</description>${items}</channel></rss>`;
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);

const parseError = (fn: () => unknown): ParseError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ParseError) return err;
    throw err;
  }
  throw new Error('expected a ParseError');
};

describe('items taken from one document', () => {
  it('takes the newest items by date, wherever they stand in the document, and says how many there were', () => {
    // Oldest first in the document, as some feeds are: the newest are at the end.
    const n = MAX_ITEMS_PER_DOCUMENT + 700;
    const feed = parseFeed({ body: rss(Array.from({ length: n }, (_, i) => rssItem(i, day(i))).join('')), url: 'https://example.org/feed' });
    expect(feed.items).toHaveLength(MAX_ITEMS_PER_DOCUMENT);
    expect(feed.items[0]!.title).toBe('Report 700');
    expect(feed.items.at(-1)!.title).toBe(`Report ${n - 1}`);
    expect(feed.itemsInDocument).toBe(n);
    expect(feed.warnings[0]).toBe(`The feed has 1,200 items; the hub takes the newest 500 of one document (its limit), so older items are left out.`);
  });

  it('reads a long Atom feed in parts the same way, with the feed\'s own fields', () => {
    const entries = Array.from({ length: 650 }, (_, i) => `<entry><id>urn:x:${i}</id><title>Entry ${i}</title><link href="/e/${i}"/><updated>${day(650 - i).toISOString()}</updated></entry>`).join('');
    const body = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/"><title>Atom T</title><id>urn:x</id>${entries}</feed>`;
    const feed = parseFeed({ body, url: 'https://example.org/atom', maxItems: 300 });
    expect(feed.title).toBe('Atom T');
    expect(feed.itemsInDocument).toBe(650);
    expect(feed.items.map((i) => i.title)).toEqual(Array.from({ length: 300 }, (_, i) => `Entry ${i}`));
    expect(feed.items[299]!.link).toBe('https://example.org/e/299');
  });

  it('reads every item of a long feed within the limit', () => {
    const feed = parseFeed({ body: rss(Array.from({ length: 450 }, (_, i) => rssItem(i, day(i))).join('')), url: 'https://example.org/feed' });
    expect(feed.items.map((i) => i.title)).toEqual(Array.from({ length: 450 }, (_, i) => `Report ${i}`));
    expect(feed.itemsInDocument).toBeUndefined();
  });

  it('takes the newest items of a JSON Feed', () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ id: `j${i}`, title: `J ${i}`, content_text: 'x', date_published: day(i).toISOString() }));
    const feed = parseFeed({ body: JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', items }), maxItems: 10 });
    expect(feed.items.map((i) => i.title)).toEqual(Array.from({ length: 10 }, (_, i) => `J ${20 + i}`));
    expect(feed.itemsInDocument).toBe(30);
  });

  it('takes undated items after dated ones, the first in the document first', () => {
    const items = [rssItem(0), rssItem(1, day(1)), ...Array.from({ length: 5 }, (_, i) => rssItem(10 + i))].join('');
    const feed = parseFeed({ body: rss(items), url: 'https://example.org/feed', maxItems: 3 });
    expect(feed.items.map((i) => i.title)).toEqual(['Report 0', 'Report 1', 'Report 10']);
  });

  it('says nothing for a document within the limit', () => {
    const feed = parseFeed({ body: rss(rssItem(1, day(1))), url: 'https://example.org/feed' });
    expect(feed.itemsInDocument).toBeUndefined();
    expect(feed.warnings.join(' ')).not.toMatch(/limit/);
  });

  it("is kept on the feed's status until a document within the limit arrives", () => {
    const feed = { id: 'f1', memberId: 'm', url: 'https://example.org/feed', status: 'ok', createdAt: '2026-01-01T00:00:00.000Z', consecutiveErrors: 0, nextPollAt: '2026-01-01T00:00:00.000Z', itemsSeen: 0 } as Feed;
    const now = new Date('2026-02-01T00:00:00Z');
    const limited = afterSuccess(feed, now, { statusCode: 200, newItems: 500, itemsInDocument: 20_000 }, 900);
    expect(limited.itemsInDocument).toBe(20_000);
    expect(afterSuccess(limited, now, { statusCode: 304, newItems: 0 }, 900).itemsInDocument).toBe(20_000);
    expect(afterSuccess(limited, now, { statusCode: 200, newItems: 0 }, 900).itemsInDocument).toBeUndefined();
  });
});

describe('entities a document declares', () => {
  const laughs =
    '<!DOCTYPE rss [<!ENTITY lol "lol">' +
    Array.from({ length: 9 }, (_, k) => `<!ENTITY lol${k + 1} "${`&lol${k === 0 ? '' : k};`.repeat(10)}">`).join('') +
    ']>';

  it('refuses a document that uses them ("billion laughs"), naming one, and never publishes "&lol9;"', () => {
    const err = parseError(() => parseFeed({ body: rss(`<item><title>Item &lol9;</title><guid>x</guid></item>`, laughs) }));
    expect(err.code).toBe('declared_entities');
    expect(err.message).toContain('&lol9;');
    expect(err.message).toMatch(/never expands declared entities/);
  });

  it('refuses a reference in the channel title as well', () => {
    expect(parseError(() => parseFeed({ body: rss(rssItem(1), laughs).replace('<title>T</title>', '<title>T &lol1;</title>') })).code).toBe('declared_entities');
  });

  it('reads a document whose declarations nothing uses, and one with an external DTD and HTML entities', () => {
    expect(parseFeed({ body: rss(rssItem(1, day(1)), laughs) }).items).toHaveLength(1);
    const netscape = '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">';
    const feed = parseFeed({ body: rss('<item><title>Caf&eacute; report</title><guid>x</guid></item>', netscape) });
    expect(feed.items[0]!.title).toBe('Café report');
  });
});
