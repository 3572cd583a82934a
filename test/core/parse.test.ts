import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NormalisedFeed, NormalisedItem } from '../../shared/model.ts';
import { ParseError } from '../../shared/errors.ts';
import { parseFeed } from '../../shared/core/parse.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url));
const parse = (name: string, url?: string, contentType?: string) => parseFeed({ body: fixture(name), url, contentType });
const item = (feed: NormalisedFeed, title: string): NormalisedItem => {
  const found = feed.items.find((i) => i.title === title);
  if (!found) throw new Error(`no item "${title}" in ${feed.items.map((i) => i.title).join(', ')}`);
  return found;
};
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];
const parseError = (fn: () => unknown): ParseError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ParseError) return err;
    throw err;
  }
  throw new Error('expected a ParseError');
};

describe('parseFeed: encodings', () => {
  it('reads windows-1252 bytes without a declaration', () => {
    const feed = parse('windows-1252-undeclared.xml');
    expect(feed.title).toBe('Café Bulletin');
    expect(feed.items[0]?.title).toBe('“Quoted” prices in €');
    expect(feed.items[0]?.text).toBe('It’s €5 – cheap.');
  });

  it('reads ISO-8859-1 (as windows-1252), a UTF-8 BOM and UTF-16 with a BOM', () => {
    expect(parse('iso-8859-1-declared.xml').items[0]?.title).toBe('L’été à Genève');
    expect(parse('utf8-bom.atom').items[0]?.title).toBe('Naïve café — ok');
    for (const name of ['utf16le-bom.xml', 'utf16be-bom.xml']) {
      const feed = parse(name);
      expect(feed.title).toBe('日本語 été');
      expect(feed.items[0]?.title).toBe('Étude № 7 — 🌍');
    }
  });

  it('lets the HTTP charset override the XML declaration', () => {
    expect(parse('charset-override.xml', undefined, 'text/xml; charset=windows-1251').items[0]?.title).toBe('Новости «кафе» № 5');
    expect(parse('charset-override.xml').items[0]?.title).not.toContain('Новости');
  });
});

describe('parseFeed: formats', () => {
  it('reads RSS 2.0 with enclosures, authors, categories, ttl and tracking-free links', () => {
    const feed = parse('rss2-enclosures.xml', 'https://papers.example.org/feed.xml');
    expect(feed).toMatchObject({ format: 'rss', version: 'rss 2.0', title: 'Policy Papers', link: 'https://papers.example.org/' });
    expect(feed.language).toBe('en-GB');
    expect(feed.minIntervalSeconds).toBe(90 * 60);
    expect(feed.description).toBe('Working papers & briefs');
    const wp = item(feed, 'Working Paper 12: Trade & Climate');
    expect(wp.link).toBe('https://papers.example.org/wp/12?id=12');
    expect(wp.guid).toBe('wp-12');
    expect(wp.published).toEqual({ iso: '2024-01-15T10:00:00.000Z', raw: 'Mon, 15 Jan 2024 10:00:00 GMT' });
    expect(wp.authors).toEqual(['Policy Office', 'Jane Doe']);
    expect(wp.categories).toEqual(['Trade', 'Climate']);
    // The description is preferred over content:encoded.
    expect(wp.summary).toBe('<p>Short abstract.</p>');
    expect(wp.enclosures).toEqual([
      { url: 'https://papers.example.org/files/wp12.pdf', type: 'application/pdf', length: 482133 },
      { url: 'https://papers.example.org/files/wp12-annex.pdf', type: 'application/pdf' },
      { url: 'https://papers.example.org/files/wp12-slides.pdf', type: 'application/pdf', length: 9001 },
    ]);
    const brief = item(feed, 'Brief 3');
    expect(brief.link).toBe('https://papers.example.org/briefs/3');
    expect(brief.enclosures).toEqual([{ url: 'https://papers.example.org/files/brief3.pdf', type: 'application/pdf' }]);
  });

  it('reads RSS 0.91 with its DOCTYPE', () => {
    const feed = parse('rss091.xml');
    expect(feed).toMatchObject({ format: 'rss', version: 'rss 0.91', title: 'Old School Bulletin', language: 'en-US' });
    expect(feed.items.map((i) => [i.title, i.link])).toEqual([
      ['First bulletin', 'http://old.example.org/b/1'],
      ['Second bulletin', 'http://old.example.org/b/2'],
    ]);
  });

  it('reads RSS 1.0 (RDF): rdf:about as guid, dc:subject, dc:date, dc:creator, sy:*', () => {
    const feed = parse('rdf.xml');
    expect(feed).toMatchObject({ format: 'rdf', version: 'rss 1.0', title: 'RDF Institute', language: 'de-DE' });
    expect(feed.minIntervalSeconds).toBe(86_400 / 2);
    const first = item(feed, 'Erste Veröffentlichung');
    expect(first.guid).toBe('https://rdf.example.org/pub/1');
    expect(first.categories).toEqual(['Klima', 'Energie']);
    expect(first.authors).toEqual(['Anna Beispiel']);
    expect(first.published?.iso).toBe('2024-02-29T13:30:00.000Z');
    const second = item(feed, 'Zweite Veröffentlichung');
    expect(second.link).toBe('https://rdf.example.org/pub/2');
    expect(second.published?.iso).toBe('2024-03-01T00:00:00.000Z');
    expect(second.language).toBe('en');
    // Only full content exists: it is used.
    expect(second.summary).toBe('<p>Only <em>full</em> content here.</p>');
  });

  it('reads Atom 1.0: alternate text/html link, rel=enclosure, categories, authors, text types', () => {
    const feed = parse('atom10.xml');
    expect(feed).toMatchObject({ format: 'atom', version: 'atom 1.0', title: 'Observatory <News>', link: 'https://obs.example.org/' });
    expect(feed.minIntervalSeconds).toBe(3600);
    const report = item(feed, 'Report <2024>');
    expect(report.link).toBe('https://obs.example.org/report');
    expect(report.guid).toBe('tag:obs.example.org,2024:report');
    expect(report.enclosures).toEqual([{ url: 'https://obs.example.org/report.pdf', type: 'application/pdf', length: 12345 }]);
    expect(report.categories).toEqual(['astronomy', 'Data']);
    // An author given only as an e-mail address is not republished: addresses are personal data.
    expect(report.authors).toEqual(['Ana Ejemplo']);
    expect(report.language).toBe('es');
    expect(report.published?.iso).toBe('2024-03-01T13:00:00.000Z');
    expect(report.updated?.iso).toBe('2024-03-02T08:00:00.000Z');
    // type="text" is literal: escaped in the HTML, kept in the text.
    expect(report.summary).toBe('<p>A &lt;plain&gt; summary with spaces.</p>');
    expect(report.text).toBe('A <plain> summary with spaces.');
    const xhtml = item(feed, 'An xhtml title');
    expect(xhtml.summary).toBe('<p>Inline <strong>xhtml</strong> content.</p>');
    // An entry without authors takes the feed's.
    expect(xhtml.authors).toEqual(['Feed Team']);
    expect(xhtml.link).toBeUndefined();
  });

  it('reads Atom 0.3: issued/modified, escaped content', () => {
    const feed = parse('atom03.xml');
    expect(feed).toMatchObject({ format: 'atom', version: 'atom 0.3', title: 'Ancien Atom', language: 'fr' });
    const entry = item(feed, 'Premier article');
    expect(entry.published?.iso).toBe('2004-01-09T15:00:00.000Z');
    expect(entry.updated?.iso).toBe('2004-01-10T10:00:00.000Z');
    expect(entry.summary).toBe('<p>Bonjour <b>monde</b></p>');
    expect(entry.language).toBe('fr');
  });

  it('reads JSON Feed 1.0: author, attachments, tags, sanitised content, title from text', () => {
    const feed = parse('json10.json', 'https://json10.example.org/feed.json');
    expect(feed).toMatchObject({ format: 'json', version: 'json 1.0', title: 'JSON Ten', link: 'https://json10.example.org/' });
    const first = item(feed, 'First');
    expect(first.summary).toBe('<p>Hello world</p>');
    expect(first.categories).toEqual(['one', 'two']);
    expect(first.authors).toEqual(['Item Author']);
    expect(first.enclosures).toEqual([{ url: 'https://json10.example.org/a.pdf', type: 'application/pdf', length: 1000 }]);
    const untitled = feed.items[1];
    expect(untitled?.title).toBe('No title here, just text that is long enough to become a title when cut at a…');
    expect(untitled?.link).toBe('https://json10.example.org/b');
    expect(untitled?.authors).toEqual(['Feed Author']);
  });

  it('reads JSON Feed 1.1: authors, language, plain-text summary, attachment sizes', () => {
    const feed = parse('json11.json');
    expect(feed).toMatchObject({ format: 'json', version: 'json 1.1', language: 'pt-BR' });
    const um = item(feed, 'Um');
    expect(um.authors).toEqual(['Maria', 'João']);
    expect(um.language).toBe('pt-PT');
    expect(um.summary).toBe('<p>Plain &lt;text&gt; summary</p>');
    expect(um.updated?.iso).toBe('2024-02-03T13:00:00.000Z');
    expect(um.enclosures).toEqual([
      { url: 'https://json11.example.org/1.pdf', type: 'application/pdf', length: 2048 },
      { url: 'https://json11.example.org/1.mp3', type: 'audio/mpeg' },
    ]);
    const dois = item(feed, 'Dois');
    expect(dois.link).toBe('https://elsewhere.example.com/story');
    expect(dois.authors).toEqual(['Casa']);
    expect(dois.language).toBe('pt-BR');
  });
});

describe('parseFeed: authors', () => {
  it('keeps every author the source names (ReliefWeb credits several) and never an e-mail address', () => {
    const body =
      '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>ReliefWeb</title><link>https://reliefweb.example/</link>' +
      '<item><title>Legal Alert 55</title><link>https://reliefweb.example/report/55</link>' +
      '<author>Danish Refugee Council</author><author>Danish Demining Group</author>' +
      '<author>press@drc.example (DRC Press)</author><author>desk@drc.example</author>' +
      '<dc:creator>Ann Example &lt;ann@drc.example&gt;</dc:creator></item></channel></rss>';
    const [only] = parseFeed({ body, url: 'https://reliefweb.example/rss.xml' }).items;
    expect(only?.authors).toEqual(['Danish Refugee Council', 'Danish Demining Group', 'DRC Press', 'Ann Example']);
  });
});

describe('parseFeed: links and xml:base', () => {
  it('resolves feed-level, entry-level (nested) and summary xml:base', () => {
    const feed = parse('xml-base.atom', 'https://feeds.example.org/main.atom');
    expect(feed.link).toBe('https://base.example.org/research/');
    const nested = item(feed, 'Nested base');
    expect(nested.link).toBe('https://base.example.org/research/papers/2024/paper-1.html?lang=en');
    expect(nested.enclosures[0]?.url).toBe('https://base.example.org/research/papers/2024/paper-1.pdf');
    expect(nested.summary).toContain('href="https://base.example.org/static/figure.png"');
    expect(item(feed, 'Feed-level base only').link).toBe('https://base.example.org/news/paper-2');
    expect(item(feed, 'Absolute entry base').link).toBe('https://elsewhere.example.com/absolute/paper-3');
  });

  it('resolves RSS xml:base on <rss>, <channel> and <item> against the feed URL', () => {
    const feed = parse('channel-base.rss', 'https://feeds.example.org/x.rss');
    expect(feed.link).toBe('https://chan.example.org/root/channel/index.html');
    const one = item(feed, 'Item one');
    expect(one.link).toBe('https://chan.example.org/root/channel/items/one.html');
    expect(one.summary).toBe('<a href="https://chan.example.org/root/channel/more.html">more</a>');
  });

  it('uses the feed URL as the base and warns when relative links have no base at all', () => {
    const body = '<rss version="2.0"><channel><title>R</title><item><title>A</title><link>/a</link><guid>a</guid></item></channel></rss>';
    expect(parseFeed({ body, url: 'https://site.example.org/feed' }).items[0]?.link).toBe('https://site.example.org/a');
    const noBase = parseFeed({ body });
    expect(noBase.items[0]?.link).toBeUndefined();
    expect(noBase.warnings.join(' ')).toMatch(/relative link/);
  });
});

describe('parseFeed: dates, ids and warnings', () => {
  it('parses odd dates and keeps unreadable ones raw, with a warning', () => {
    const feed = parse('odd-dates.xml');
    const iso = (title: string) => item(feed, title).published?.iso;
    expect(iso('EST')).toBe('2024-03-04T14:15:30.000Z');
    expect(iso('Two-digit year, no seconds')).toBe('2024-03-01T10:30:00.000Z');
    expect(iso('Zone-less RFC 822')).toBe('2024-04-02T08:00:00.000Z');
    expect(iso('ISO date only')).toBe('2024-04-02T00:00:00.000Z');
    expect(item(feed, 'February 31').published).toEqual({ raw: 'Sat, 31 Feb 2024 10:00:00 GMT' });
    expect(item(feed, 'Slashes').published).toEqual({ raw: '05/03/2024' });
    expect(feed.warnings.join(' ')).toMatch(/^4 dates could not be read/);
  });

  it('identifies items without guids and drops true duplicates, with warnings', () => {
    const feed = parse('missing-guids.xml', 'https://noguid.example.org/feed');
    expect(feed.items.map((i) => i.title)).toEqual(['Linked', 'Not linked', 'No title, no link, no date: this text names the item.']);
    expect(new Set(feed.items.map((i) => i.id)).size).toBe(3);
    const w = feed.warnings.join('\n');
    expect(w).toMatch(/No item has a guid or id/);
    expect(w).toMatch(/2 of 4 items have no date/);
    expect(w).toMatch(/1 item repeats an earlier item/);
  });

  it('does not merge items that merely share one link', () => {
    const feed = parse('shared-link.xml', 'https://samelink.example.org/feed');
    expect(feed.items).toHaveLength(4);
    expect(new Set(feed.items.map((i) => i.id)).size).toBe(4);
  });

  it('gives a joint publication the same id in two members feeds', () => {
    const rss = '<rss version="2.0"><channel><title>A</title><item><title>Joint</title><link>http://journal.example.org/a/1?utm_source=a</link><guid>a-77</guid></item></channel></rss>';
    const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'B', items: [{ id: 'b-3', url: 'https://journal.example.org/a/1', title: 'Joint paper' }] });
    const a = parseFeed({ body: rss, url: 'https://a.example.org/feed' }).items[0];
    const b = parseFeed({ body: json, url: 'https://b.example.org/feed.json' }).items[0];
    expect(a?.id).toMatch(/^p[a-z2-7]{26}$/);
    expect(a?.id).toBe(b?.id);
  });

  it('warns about a feed without items', () => {
    const feed = parse('empty-channel.xml');
    expect(feed.title).toBe('Nothing yet');
    expect(feed.items).toEqual([]);
    expect(feed.warnings).toEqual(['The feed has no items.']);
  });
});

describe('parseFeed: hostile and broken input', () => {
  it('sanitises hostile HTML in titles, summaries and links', () => {
    const feed = parse('hostile.xml', 'https://hostile.example.org/feed');
    expect(feed.title).toBe('Hostile Feed');
    expect(feed.link).toBeUndefined();
    const it0 = feed.items[0] as NormalisedItem;
    expect(it0.title).toBe('Bold title');
    expect(it0.link).toBeUndefined();
    expect(it0.summary).not.toMatch(/<script|<style|<iframe|<img|<form|<input|<svg|onerror|onclick|onmouseover|style=|javascript:|data:/i);
    expect(it0.summary).toContain('<a href="https://hostile.example.org/relative/ok">relative link</a>');
    expect(it0.summary).toContain('<a href="mailto:office@hostile.example.org">mail</a>');
    expect(it0.summary).toContain('<h2>Heading</h2>');
    expect(it0.text).toBe('Intro text. bad link data link relative link mail Go Heading');
  });

  it('removes XML-illegal characters from every output string', () => {
    const feed = parse('control-chars.xml');
    expect(feed.title).toBe('Control chars here');
    const it0 = feed.items[0] as NormalisedItem;
    expect(it0.title).toBe('Bell and and gone');
    expect(it0.categories).toEqual(['category']);
    expect(strings(feed).filter((s) => ILLEGAL.test(s))).toEqual([]);
    expect(it0.text).toBe('Formfeed & escape[0m text end');
  });

  it('removes lone surrogates (JSON can carry them) but keeps proper pairs', () => {
    const body = '{"version":"https://jsonfeed.org/version/1.1","title":"Bad \\ud800 pair","items":[{"id":"1","title":"x\\udc00y \\ud83c\\udf0d"}]}';
    const feed = parseFeed({ body });
    expect(feed.title).toBe('Bad pair');
    expect(feed.items[0]?.title).toBe('xy 🌍');
  });

  it('reports a bare "&" as malformed XML, with the reason and where', () => {
    const err = parseError(() => parse('bare-ampersand.xml'));
    expect(err.code).toBe('malformed_xml');
    expect(err.kind).toBe('parse');
    expect(err.message).toMatch(/'&'.*'&amp;'.*line 4, column 21/);
  });

  it('reports a feed cut short as malformed XML', () => {
    const err = parseError(() => parse('truncated.xml'));
    expect(err.code).toBe('malformed_xml');
    expect(err.message).toMatch(/ends before <title> is closed/);
  });

  it('reports mismatched tags as malformed XML', () => {
    const err = parseError(() => parseFeed({ body: '<rss version="2.0"><channel><title>x</channel></rss>' }));
    expect(err.code).toBe('malformed_xml');
    expect(err.message).toMatch(/<\/channel> does not match the open element <title>/);
  });

  it('recognises an HTML page', () => {
    const err = parseError(() => parse('html-page.html'));
    expect(err.code).toBe('not_a_feed_html');
    expect(err.message).toMatch(/^This address returns a web page \(HTML\), not a feed/);
    const sloppy = '<!DOCTYPE html>\n<meta charset="utf-8"><title>News</title><p>Hello & welcome';
    expect(parseError(() => parseFeed({ body: sloppy })).code).toBe('not_a_feed_html');
  });

  it('does not take an RSS document with a stray XHTML DOCTYPE for a web page', () => {
    const body = '<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x.dtd">\n<rss version="2.0"><channel><title>Found</title></channel></rss>';
    expect(parseFeed({ body }).title).toBe('Found');
  });

  it('reports empty bodies, plain text, other XML and other JSON', () => {
    expect(parseError(() => parseFeed({ body: Buffer.alloc(0) })).code).toBe('empty');
    expect(parseError(() => parseFeed({ body: '  \n ' })).code).toBe('empty');
    expect(parseError(() => parseFeed({ body: 'Service Unavailable' })).code).toBe('not_a_feed');
    expect(parseError(() => parseFeed({ body: '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>' })).message).toMatch(/<urlset>/);
    expect(parseError(() => parseFeed({ body: '{"status":"ok"}' })).code).toBe('not_a_feed');
    expect(parseError(() => parseFeed({ body: '{"title": "x", ' })).code).toBe('not_a_feed');
  });

  it('reports formats it does not read as unsupported', () => {
    const json2 = JSON.stringify({ version: 'https://jsonfeed.org/version/2', title: 'x', items: [] });
    expect(parseError(() => parseFeed({ body: json2 })).code).toBe('unsupported_format');
    expect(parseError(() => parseFeed({ body: '<entry xmlns="http://www.w3.org/2005/Atom"><title>x</title></entry>' })).code).toBe('unsupported_format');
  });

  it('takes the format from the root element, not from text that mentions one', () => {
    const html = '<html><body><pre>&lt;rss version="2.0"&gt;</pre><p>Use <rss version="2.0"> in your feed</p></body></html>';
    expect(parseError(() => parseFeed({ body: html })).code).toBe('not_a_feed_html');
  });
});
