import { describe, expect, it } from 'vitest';
import type { Publication } from '../../shared/model.ts';
import { CONTENT_TYPES, renderFeed } from '../../shared/core/render.ts';
import type { OutputFormat, RenderInput } from '../../shared/core/render.ts';
import { assertValidJsonFeed, assertWellFormedXml, parseWithFeedparser } from '../helpers/feed-validators.ts';
import type { FeedparserEntry, FeedparserResult, JsonFeedItem } from '../helpers/feed-validators.ts';

const SITE = 'https://hub.example';
const SCHEME = `${SITE}/members`;
const PDF_A = 'https://unodc.example/files/a.pdf';
const PDF_A2 = 'https://unodc.example/files/a-annex.pdf';
const PDF_B = 'https://iom.example/b.pdf';

function publication(fields: Partial<Publication> & Pick<Publication, 'id' | 'title' | 'members' | 'firstSeen' | 'sortDate'>): Publication {
  return { authors: [], categories: [], enclosures: [], feeds: ['feed-1'], contentHash: 'hash', ...fields };
}

// Hostile on purpose: control characters, a CDATA terminator, markup and quotes in text,
// a joint paper, a missing link and dates that are missing, unparseable or impossible.
const JOINT = publication({
  id: 'pub-joint',
  title: 'Trafficking & smuggling <script>alert(1)</script> "quoted"\u0000\u000b\uFFFE 🌍\uD800',
  link: 'https://unodc.example/pubs/a?x=1&y=2',
  summary: '<p>Report ]]> end &amp; more</p>',
  text: 'Report ]]> end & more',
  published: '2024-03-01T10:00:00Z',
  updated: '2024-03-02T11:00:00Z',
  authors: ['Jane Doe', 'UNODC'],
  categories: ['Human trafficking', 'a<"b & c'],
  enclosures: [
    { url: PDF_A, type: 'application/pdf', length: 12345 },
    { url: PDF_A2, type: 'application/pdf' },
  ],
  members: ['unodc', 'osce'],
  language: 'en',
  firstSeen: '2024-03-01T12:00:00Z',
  sortDate: '2024-03-01T10:00:00Z',
});
const RTL = publication({
  id: 'pub/rtl',
  title: 'تقرير عن الاتجار بالبشر',
  members: ['iom'],
  enclosures: [{ url: PDF_B, type: 'application/pdf' }],
  language: 'ar',
  firstSeen: '2024-02-01T08:30:00Z',
  sortDate: '2024-02-01T08:30:00Z',
});
const RAW_DATE = publication({
  id: 'pub-raw-date',
  title: 'Spring report',
  link: 'https://osce.example/c',
  publishedRaw: 'Spring 2024',
  updated: '2024-02-31T00:00:00Z',
  updatedRaw: '31 Feb 2024',
  members: ['osce', 'constructor'],
  firstSeen: '2024-01-05T00:00:00Z',
  sortDate: '2024-01-05T00:00:00Z',
});
const ITEMS = [JOINT, RTL, RAW_DATE];
const CLEAN_TITLE = 'Trafficking & smuggling <script>alert(1)</script> "quoted" 🌍';
const MEMBER_NAMES = { unodc: 'UNODC', osce: 'OSCE' };

function input(format: OutputFormat, items: Publication[] = ITEMS, extra: Partial<RenderInput> = {}): RenderInput {
  return {
    format,
    title: 'ICAT member publications',
    description: 'Publications of ICAT member organisations',
    selfUrl: `${SITE}/feeds/all.${format}`,
    siteUrl: SITE,
    feedId: `${SITE}/feeds/all`,
    updated: '2024-03-02T11:00:00Z',
    language: 'en',
    items,
    memberNames: MEMBER_NAMES,
    ...extra,
  };
}

async function readBack(xml: string): Promise<FeedparserResult> {
  assertWellFormedXml(xml);
  const parsed = await parseWithFeedparser(xml);
  expect(parsed.bozo, parsed.bozo_exception).toBe(false);
  return parsed;
}

function entry(parsed: FeedparserResult, id: string): FeedparserEntry {
  const found = parsed.entries.find((e) => e.id === `urn:icat-hub:publication:${id}`);
  if (!found) throw new Error(`no entry ${id} in ${parsed.entries.map((e) => e.id).join(', ')}`);
  return found;
}

const termsOf = (e: FeedparserEntry) => e.tags.map((t) => [t.term, t.scheme ?? null]);

describe('renderFeed: RSS 2.0', () => {
  it('reads back field by field through feedparser', async () => {
    const xml = renderFeed(input('rss'));
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(xml).not.toMatch(/<(title|link|guid|category)[^>]*>\s/);
    const parsed = await readBack(xml);
    expect(parsed.version).toBe('rss20');
    expect(parsed.feed.title).toBe('ICAT member publications');
    expect(parsed.feed.language).toBe('en');
    expect(parsed.feed.links).toContainEqual({ href: `${SITE}/feeds/all.rss`, rel: 'self', type: 'application/rss+xml' });
    expect(parsed.entries.map((e) => e.id)).toEqual(ITEMS.map((p) => `urn:icat-hub:publication:${encodeURIComponent(p.id)}`));

    const joint = entry(parsed, 'pub-joint');
    expect(joint.title).toBe(CLEAN_TITLE);
    expect(joint.guidislink).toBe(false);
    expect(joint.link).toBe('https://unodc.example/pubs/a?x=1&y=2');
    expect(joint.summary).toBe('<p>Report ]]> end &amp; more</p>');
    expect(joint.published).toBe('2024-03-01T10:00:00Z');
    expect(termsOf(joint)).toEqual([['Human trafficking', null], ['a<"b & c', null], ['unodc', SCHEME], ['osce', SCHEME]]);
    expect(joint.enclosures).toEqual([{ href: PDF_A, type: 'application/pdf', length: '12345' }]);
    // The source's authors stay the authors (dc:creator); the members are the publishers.
    expect(joint.authors.map((a) => a.name)).toEqual(['Jane Doe', 'UNODC']);
    expect(joint.contributors).toEqual([]);
    expect(xml).toContain('<dc:publisher>UNODC</dc:publisher>');
    expect(xml).toContain('<dc:publisher>OSCE</dc:publisher>');

    const rtl = entry(parsed, 'pub%2Frtl');
    expect(rtl.title).toBe('تقرير عن الاتجار بالبشر');
    expect(rtl.link).toBeUndefined();
    expect(rtl.published).toBe('2024-02-01T08:30:00Z'); // sortDate stands in for the missing date
    expect(rtl.enclosures).toEqual([{ href: PDF_B, type: 'application/pdf', length: '0' }]);
    // The source names nobody: the member stands in as the author.
    expect(rtl.authors.map((a) => a.name)).toEqual(['iom']);
    expect(rtl.publisher).toBe('iom');

    const raw = entry(parsed, 'pub-raw-date');
    expect(raw.published).toBe('2024-01-05T00:00:00Z');
    expect(raw.authors.map((a) => a.name)).toEqual(['OSCE', 'constructor']);
    expect(xml).not.toContain('Invalid Date');
  });
});

describe('renderFeed: Atom 1.0', () => {
  it('reads back field by field through feedparser', async () => {
    const xml = renderFeed(input('atom'));
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    const parsed = await readBack(xml);
    expect(parsed.version).toBe('atom10');
    expect(parsed.feed.id).toBe(`${SITE}/feeds/all`);
    expect(parsed.feed.updated).toBe('2024-03-02T11:00:00Z');
    expect(parsed.feed.generator).toBe('ICAT Syndication Hub');
    expect(parsed.feed.language).toBe('en');
    expect(parsed.feed.links).toContainEqual({ href: `${SITE}/feeds/all.atom`, rel: 'self', type: 'application/atom+xml' });

    const joint = entry(parsed, 'pub-joint');
    expect(joint.title).toBe(CLEAN_TITLE);
    expect(joint.links.filter((l) => l.rel === 'alternate').map((l) => l.href)).toEqual(['https://unodc.example/pubs/a?x=1&y=2']);
    expect(joint.summary).toBe('<p>Report ]]> end &amp; more</p>');
    expect(joint.published).toBe('2024-03-01T10:00:00Z');
    expect(joint.updated).toBe('2024-03-02T11:00:00Z');
    expect(joint.tags).toEqual([
      { term: 'Human trafficking', scheme: null, label: null },
      { term: 'a<"b & c', scheme: null, label: null },
      { term: 'unodc', scheme: SCHEME, label: 'UNODC' },
      { term: 'osce', scheme: SCHEME, label: 'OSCE' },
    ]);
    expect(joint.enclosures).toEqual([
      { href: PDF_A, type: 'application/pdf', length: '12345' },
      { href: PDF_A2, type: 'application/pdf' },
    ]);
    expect(joint.authors.map((a) => a.name)).toEqual(['Jane Doe', 'UNODC']);
    expect(joint.contributors.map((a) => a.name)).toEqual(['UNODC', 'OSCE']);

    const rtl = entry(parsed, 'pub%2Frtl');
    expect(rtl.title).toBe('تقرير عن الاتجار بالبشر');
    expect(rtl.language).toBe('ar');
    expect(rtl.authors.map((a) => a.name)).toEqual(['iom']);
    expect(rtl.contributors).toEqual([]);
    expect(rtl.publisher).toBe('iom');
    expect(rtl.links.filter((l) => l.rel === 'alternate')).toEqual([]);
    expect(rtl.content.map((c) => c.value)).toEqual(['تقرير عن الاتجار بالبشر']); // RFC 4287 4.1.2
    expect(rtl.published).toBeUndefined();
    expect(rtl.updated).toBe('2024-02-01T08:30:00Z');

    const raw = entry(parsed, 'pub-raw-date');
    expect(raw.published).toBeUndefined();
    expect(raw.updated).toBe('2024-01-05T00:00:00Z'); // 31 February is skipped, firstSeen is used
    expect(xml).not.toContain('Invalid Date');
    expect(xml).not.toContain('2024-02-31');
  });
});

describe('renderFeed: JSON Feed 1.1', () => {
  it('is valid JSON Feed 1.1 with every item field in place', () => {
    const body = renderFeed(input('json'));
    const doc = assertValidJsonFeed(body);
    expect(doc.version).toBe('https://jsonfeed.org/version/1.1');
    expect(doc.feed_url).toBe(`${SITE}/feeds/all.json`);
    expect(doc.home_page_url).toBe(SITE);
    expect(doc.language).toBe('en');
    const [joint, rtl, raw] = doc.items;
    expect(joint).toEqual({
      id: 'urn:icat-hub:publication:pub-joint',
      url: 'https://unodc.example/pubs/a?x=1&y=2',
      title: CLEAN_TITLE,
      content_html: '<p>Report ]]> end &amp; more</p>',
      content_text: 'Report ]]> end & more',
      date_published: '2024-03-01T10:00:00.000Z',
      date_modified: '2024-03-02T11:00:00.000Z',
      tags: ['Human trafficking', 'a<"b & c', 'unodc', 'osce'],
      authors: [{ name: 'Jane Doe' }, { name: 'UNODC' }],
      language: 'en',
      attachments: [
        { url: PDF_A, mime_type: 'application/pdf', size_in_bytes: 12345 },
        { url: PDF_A2, mime_type: 'application/pdf' },
      ],
      _icat: { members: [{ id: 'unodc', name: 'UNODC' }, { id: 'osce', name: 'OSCE' }] },
    });
    expect(rtl?.url).toBeUndefined();
    expect(rtl?.date_published).toBeUndefined();
    expect(rtl?.attachments).toEqual([{ url: PDF_B, mime_type: 'application/pdf' }]);
    expect(raw?.date_published).toBeUndefined();
    expect(raw?.date_modified).toBe('2024-01-05T00:00:00.000Z');
    expect(raw?.authors).toEqual([{ name: 'OSCE' }, { name: 'constructor' }]);
  });
});

describe('renderFeed: the source\'s authors and the member that carried the item', () => {
  // A ReliefWeb item carried by IOM: the source credits two organisations, and one author field
  // came with an e-mail address, which must never be republished.
  const RELIEFWEB = publication({
    id: 'pub-reliefweb',
    title: 'Ukraine: DRC / DDG Legal Alert: Issue 55',
    link: 'https://reliefweb.example/report/ukraine/legal-alert-55',
    published: '2020-09-17T07:24:25Z',
    authors: ['Danish Refugee Council', 'Danish Demining Group', 'press@drc.example (DRC Press)', 'desk@drc.example'],
    members: ['iom'],
    firstSeen: '2020-09-17T08:00:00Z',
    sortDate: '2020-09-17T07:24:25Z',
  });
  const names = { iom: 'IOM' };
  const SOURCE = ['Danish Refugee Council', 'Danish Demining Group', 'DRC Press'];

  it.each(['rss', 'atom'] as const)('%s: feedparser reads the source as author and the member as publisher', async (format) => {
    const xml = renderFeed(input(format, [RELIEFWEB], { memberNames: names }));
    expect(xml).not.toContain('@');
    const e = entry(await readBack(xml), 'pub-reliefweb');
    expect(e.authors.map((a) => a.name)).toEqual(SOURCE);
    expect(SOURCE).toContain(e.author);
    expect(e.publisher).toBe('IOM');
  });

  it('atom: the member is also a contributor', async () => {
    const e = entry(await readBack(renderFeed(input('atom', [RELIEFWEB], { memberNames: names }))), 'pub-reliefweb');
    expect(e.contributors.map((a) => a.name)).toEqual(['IOM']);
  });

  it('json: the source as authors, the member in _icat', () => {
    const body = renderFeed(input('json', [RELIEFWEB], { memberNames: names }));
    expect(body).not.toContain('@');
    const [item] = assertValidJsonFeed(body).items as (JsonFeedItem & { _icat?: unknown })[];
    expect(item?.authors).toEqual(SOURCE.map((name) => ({ name })));
    expect(item?._icat).toEqual({ members: [{ id: 'iom', name: 'IOM' }] });
  });
});

describe('renderFeed: edge cases', () => {
  it.each(['rss', 'atom'] as const)('renders a valid %s document with no items', async (format) => {
    const parsed = await readBack(renderFeed(input(format, [])));
    expect(parsed.entries).toEqual([]);
    expect(parsed.feed.title).toBe('ICAT member publications');
  });

  it('renders a valid JSON Feed with no items', () => {
    expect(assertValidJsonFeed(renderFeed(input('json', []))).items).toEqual([]);
  });

  it('keeps only http(s) links and enclosures, and writes times with an offset in UTC', async () => {
    const odd = publication({
      id: 'odd',
      title: '   ',
      link: 'javascript:alert(1)',
      enclosures: [{ url: 'file:///etc/passwd', type: 'text/plain' }, { url: 'https://x.example/r.pdf', type: 'bogus type', length: -5 }],
      published: '2024-03-01T12:00:00+02:00',
      members: [],
      firstSeen: '2024-03-02T00:00:00Z',
      sortDate: '2024-03-01T10:00:00Z',
    });
    const atom = await readBack(renderFeed(input('atom', [odd])));
    const e = entry(atom, 'odd');
    expect(e.title).toBe('Untitled publication');
    expect(e.published).toBe('2024-03-01T10:00:00Z');
    expect(e.links.map((l) => [l.rel, l.href, l.type])).toEqual([['enclosure', 'https://x.example/r.pdf', 'application/octet-stream']]);
    expect(renderFeed(input('rss', [odd]))).not.toMatch(/javascript:|file:/);
  });

  it('falls back to the newest entry when the feed date does not parse', async () => {
    const parsed = await readBack(renderFeed(input('atom', ITEMS, { updated: 'yesterday' })));
    expect(parsed.feed.updated).toBe('2024-03-02T11:00:00Z');
  });

  it('writes member categories under the members scheme even when siteUrl ends with a slash', async () => {
    const parsed = await readBack(renderFeed(input('rss', [RTL], { siteUrl: `${SITE}/` })));
    expect(termsOf(entry(parsed, 'pub%2Frtl'))).toEqual([['iom', SCHEME]]);
  });

  it('exposes the content types', () => {
    expect(CONTENT_TYPES).toEqual({
      rss: 'application/rss+xml; charset=utf-8',
      atom: 'application/atom+xml; charset=utf-8',
      json: 'application/feed+json; charset=utf-8',
    });
  });

  it('renders 500 items in every format', async () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      publication({
        ...JOINT,
        id: `bulk-${i}`,
        title: `${JOINT.title} #${i}`,
        published: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
      }),
    );
    const timings: Record<string, number> = {};
    for (const format of ['rss', 'atom', 'json'] as const) {
      const started = performance.now();
      const body = renderFeed(input(format, many));
      timings[format] = Math.round(performance.now() - started);
      if (format === 'json') expect(assertValidJsonFeed(body).items).toHaveLength(500);
      else expect((await readBack(body)).entries).toHaveLength(500);
    }
    console.info(`render 500 items (ms, information only): ${JSON.stringify(timings)}`);
  });
});

describe('feed validators (the checks above rely on them rejecting bad documents)', () => {
  it('assertWellFormedXml reports xmllint errors', () => {
    expect(() => assertWellFormedXml('<a>\u0001</a>')).toThrow(/xmllint: not well-formed/);
    expect(() => assertWellFormedXml('<a>x & y</a>')).toThrow(/xmllint/);
  });

  it('parseWithFeedparser flags a broken document as bozo', async () => {
    const parsed = await parseWithFeedparser('<rss version="2.0"><channel><title>a & b</title></channel></rss>');
    expect(parsed.bozo).toBe(true);
    expect(parsed.bozo_exception).toMatch(/not well-formed/);
  });

  it('assertValidJsonFeed lists every problem', () => {
    const bad = JSON.stringify({
      version: 'https://jsonfeed.org/version/1',
      title: 'x',
      items: [{ id: 'a', date_published: 'Invalid Date', attachments: [{ url: 'x.pdf' }] }, { id: 'a', content_text: 't' }],
    });
    expect(() => assertValidJsonFeed(bad)).toThrow(
      /version is[\s\S]*neither content_html[\s\S]*date_published[\s\S]*url is not[\s\S]*mime_type[\s\S]*repeats a/,
    );
  });
});
