import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { discoverFeeds, MAX_CANDIDATES } from '../../shared/core/discover.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/html/${name}`, import.meta.url), 'utf8');

describe('feed autodiscovery', () => {
  it('finds the one feed a page offers, resolved against <base> even when the link comes first', () => {
    expect(discoverFeeds(fixture('one-feed.html'), 'https://www.example.org/en/')).toEqual([
      { url: 'https://www.example.org/en/news/feed.xml', title: 'News & Events', type: 'application/rss+xml' },
    ]);
  });

  it('resolves against the page URL when there is no <base>', () => {
    const html = '<head><link rel="alternate" type="application/atom+xml" href="../atom.xml"></head>';
    expect(discoverFeeds(html, 'https://example.org/a/b/page.html')).toEqual([{ url: 'https://example.org/a/atom.xml', type: 'application/atom+xml' }]);
  });

  it('lists every feed type once, in document order, and ignores links in the body', () => {
    const found = discoverFeeds(fixture('several-feeds.html'), 'https://www.example.org/publications/');
    expect(found).toEqual([
      { url: 'https://www.example.org/publications/rss.xml', title: 'Publications (RSS)', type: 'application/rss+xml' },
      { url: 'https://www.example.org/publications/atom.xml', title: 'Publications (Atom)', type: 'application/atom+xml' },
      { url: 'https://www.example.org/publications/feed.json', title: 'Publications (JSON Feed)', type: 'application/feed+json' },
      { url: 'https://www.example.org/wp-json/wp/v2/pages/12', type: 'application/json' },
    ]);
  });

  it('finds nothing on a page whose alternates are not feeds', () => {
    expect(discoverFeeds(fixture('no-feeds.html'), 'https://www.example.org/about')).toEqual([]);
    expect(discoverFeeds('', 'https://www.example.org/')).toEqual([]);
    expect(discoverFeeds('plain text, <not html', 'https://www.example.org/')).toEqual([]);
  });

  it('keeps only http(s) addresses without credentials, and never runs or reads scripts', () => {
    const found = discoverFeeds(fixture('hostile.html'), 'https://www.example.org/');
    expect(found).toEqual([
      { url: 'https://feeds.example.org/entity-encoded.xml', title: '<script>alert(1)</script>', type: 'application/rss+xml' },
      // Discovery only reads the page: the address guard refuses this one when it is fetched.
      { url: 'http://127.0.0.2/internal.xml', title: 'Internal', type: 'application/rss+xml' },
    ]);
  });

  it('ignores a <base> that is not a URL and falls back to the page URL', () => {
    const html = '<base href="http://[broken"><link rel="alternate" type="application/rss+xml" href="feed.xml">';
    expect(discoverFeeds(html, 'https://example.org/dir/')).toEqual([{ url: 'https://example.org/dir/feed.xml', type: 'application/rss+xml' }]);
  });

  it(`offers at most ${MAX_CANDIDATES} candidates`, () => {
    const links = Array.from({ length: 50 }, (_, i) => `<link rel="alternate" type="application/rss+xml" href="/f${i}.xml">`).join('');
    const found = discoverFeeds(`<head>${links}</head>`, 'https://example.org/');
    expect(found).toHaveLength(MAX_CANDIDATES);
    expect(found[0]!.url).toBe('https://example.org/f0.xml');
  });
});
