// What registration reports about a feed, and how it reads the address given: pure, no network.
import { describe, expect, it } from 'vitest';
import { findingsOf, normaliseFeedUrl } from '../../shared/app/feed-registry.ts';
import { parseFeed } from '../../shared/core/parse.ts';
import { HubError } from '../../shared/errors.ts';
import { rss } from '../helpers/hub.ts';

const code = (raw: unknown) => {
  try {
    normaliseFeedUrl(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(HubError);
    expect((err as HubError).kind).toBe('validation');
    return (err as HubError).code;
  }
  return 'accepted';
};

describe('normaliseFeedUrl', () => {
  it('keeps http(s) addresses, without their fragment', () => {
    expect(normaliseFeedUrl('  https://www.unodc.org/feed.xml#top ')).toBe('https://www.unodc.org/feed.xml');
    expect(normaliseFeedUrl('HTTP://WWW.IOM.INT:80/rss')).toBe('http://www.iom.int/rss');
  });

  it.each([
    [undefined, 'invalid_url'],
    [42, 'invalid_url'],
    ['', 'invalid_url'],
    ['not a url', 'invalid_url'],
    [`https://e.org/${'a'.repeat(2048)}`, 'invalid_url'],
    ['https://user:pw@e.org/feed.xml', 'invalid_url'],
    ['file:///etc/passwd', 'unsupported_scheme'],
    ['ftp://e.org/feed.xml', 'unsupported_scheme'],
    ['javascript:alert(1)', 'unsupported_scheme'],
    ['http://localhost:8080/feed.xml', 'blocked_address'],
    ['http://LocalHost./feed.xml', 'blocked_address'],
    ['http://news.localhost/feed.xml', 'blocked_address'],
  ])('refuses %s as %s', (raw, expected) => {
    expect(code(raw)).toBe(expected);
  });

  it('does not mistake a name that merely contains "localhost" for it', () => {
    expect(code('https://localhost.example.org/feed.xml')).toBe('accepted');
    expect(code('https://notlocalhost/feed.xml')).toBe('accepted');
  });
});

describe('findingsOf', () => {
  const dated = parseFeed({ body: rss('Dated', [{ guid: 'a', title: 'A', date: 'Mon, 02 Nov 2026 09:00:00 GMT' }, { guid: 'b', title: 'B', date: 'Sun, 01 Nov 2026 09:00:00 GMT' }]) });

  it('reports format, title, count and newest date, with no warnings for a tidy https feed with validators', () => {
    expect(findingsOf(dated, 'https://e.org/feed.xml', { finalUrl: 'https://e.org/feed.xml', etag: '"1"' })).toEqual({
      format: 'rss', version: 'rss 2.0', title: 'Dated', itemCount: 2, newestItem: '2026-11-02T09:00:00.000Z', warnings: [],
    });
  });

  it('judges https by where the feed was served from', () => {
    expect(findingsOf(dated, 'http://e.org/feed.xml', { finalUrl: 'https://e.org/feed.xml', lastModified: 'x' }).warnings).toEqual([
      'The address redirects to https://e.org/feed.xml; register that address to save a redirect on every poll.',
    ]);
    expect(findingsOf(dated, 'https://e.org/feed.xml', { finalUrl: 'http://e.org/feed.xml', etag: '"1"' }).warnings).toEqual(['The feed is not served over https.']);
  });

  it('says "All" or "Some" items lack dates and guids, once, instead of the parser\'s own words', () => {
    const feed = parseFeed({ body: rss('Loose', [{ title: 'A' }, { title: 'B', guid: 'b' }, { title: 'C' }]) });
    const warnings = findingsOf(feed, 'https://e.org/f', { finalUrl: 'https://e.org/f', etag: '"1"' }).warnings;
    expect(warnings).toEqual([
      'All items have no date; the hub dates such items when it first sees them.',
      'Some items (2 of 3) have no guid; they are told apart by their link or content.',
    ]);
  });
});
