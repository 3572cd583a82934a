// Registration end to end over loopback: what the hub finds in a feed, defaults, ownership, every
// reason for a refusal, autodiscovery on web pages, OPML export, directory and import, and the limits
// (feeds per member, registrations per hour, public requests per address) with 429 and Retry-After.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOpml } from '../../shared/core/opml-document.ts';
import { createHttpApp } from '../../shared/routes/http-app.ts';
import { createNodeServer } from '../../shared/http/node-adapter.ts';
import { sendBody, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { assertWellFormedXml } from '../helpers/feed-validators.ts';
import { ADMIN_TOKEN, rss, startTestHub, type TestHub } from '../helpers/hub.ts';

const DATED = [
  { guid: 'r-1', title: 'Report one', link: 'https://www.example.org/r-1', date: 'Mon, 02 Nov 2026 09:00:00 GMT' },
  { guid: 'r-2', title: 'Report two', link: 'https://www.example.org/r-2', date: 'Tue, 03 Nov 2026 09:00:00 GMT' },
];
const page = (links: string) => `<!doctype html><html><head><title>News</title>${links}</head><body><p>Hello</p></body></html>`;
const alt = (href: string, type = 'application/rss+xml', title = '') => `<link rel="alternate" type="${type}" href="${href}"${title ? ` title="${title}"` : ''}>`;
const html = (body: string) => sendBody(body, { 'content-type': 'text/html; charset=utf-8' });

let hub: TestHub;
let server: FeedServer;
let tls: https.Server;
let tlsPort: number;
const tlsDir = mkdtempSync(join(tmpdir(), 'registration-tls-'));
const keys: Record<string, string> = {};

async function member(id: string): Promise<string> {
  const res = await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id, name: id.toUpperCase(), email: `feeds@${id}.example` } });
  expect(res.status).toBe(201);
  return (keys[id] = res.json.api_key);
}

const register = (who: string, body: Record<string, unknown>) => hub.api('POST', '/api/feeds', { token: keys[who], body });

async function raw(base: string, method: string, path: string, options: { token?: string; body?: string; type?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.type) headers['content-type'] = options.type;
  const res = await fetch(base + path, { method, headers, body: options.body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

beforeAll(async () => {
  server = await startFeedServer({
    '/rss.xml': sendBody(rss('Plain RSS', DATED)),
    '/cond.xml': sendBody(rss('Conditional RSS', DATED), { etag: '"v1"', 'last-modified': 'Mon, 02 Nov 2026 10:00:00 GMT' }),
    '/undated.xml': sendBody(rss('Undated', [{ guid: 'u-1', title: 'No date one', link: 'https://www.example.org/u-1' }, { title: 'No date, no guid', link: 'https://www.example.org/u-2' }])),
    '/discovered.xml': sendBody(rss('Discovered feed', DATED)),
    '/page-one.html': html(page(alt('discovered.xml', 'application/rss+xml', 'News feed'))),
    '/page-several.html': html(page(alt('/rss.xml', 'application/rss+xml', 'RSS') + alt('/atom.xml', 'application/atom+xml', 'Atom'))),
    '/page-none.html': html(page('<link rel="stylesheet" href="/s.css">')),
    '/page-dead.html': html(page(alt('/missing.xml'))),
    '/text.txt': sendBody('just some words', { 'content-type': 'text/plain' }),
    '/malformed.xml': sendBody('<rss version="2.0"><channel><title>A & B</title></channel></rss>'),
    '/empty.xml': sendBody(''),
    '/error.xml': (_req, res) => void res.writeHead(500).end('oops'),
    '/slow.xml': () => undefined,
    '/big.xml': sendBody(rss('Big', [{ guid: 'b', title: 'x'.repeat(100_000) }])),
  });
  server.route('/page-internal.html', html(page(alt(`http://127.0.0.2:${server.port}/rss.xml`))));
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) server.route(`/limit-${n}.xml`, sendBody(rss(`Limit ${n}`, DATED)));

  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', join(tlsDir, 'key.pem'), '-out', join(tlsDir, 'cert.pem')], { stdio: 'ignore' });
  tls = https.createServer({ key: readFileSync(join(tlsDir, 'key.pem')), cert: readFileSync(join(tlsDir, 'cert.pem')) }, (_req, res) => res.end(rss('TLS', DATED)));
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  tlsPort = (tls.address() as AddressInfo).port;

  // The hub's own fetcher, with a short time limit and a small size cap so those refusals are quick.
  hub = await startTestHub({ FETCH_TIMEOUT: '2s', MAX_FEED_BYTES: String(64 * 1024) });
  for (const id of ['unodc', 'iom', 'unhcr', 'ilo', 'osce', 'unicef']) await member(id);
  // The secretariat vouches for 127.0.0.1 as IOM's, so IOM's feeds there need no approval.
  expect((await hub.api('POST', '/api/members/iom/domains', { token: ADMIN_TOKEN, body: { domain: '127.0.0.1' } })).status).toBe(200);
});

afterAll(async () => {
  await hub?.close();
  await server?.close();
  tls?.closeAllConnections();
  await new Promise((resolve) => tls?.close(resolve));
  rmSync(tlsDir, { recursive: true, force: true });
});

describe('registering a feed', () => {
  it('answers 201 with what it found, and the warnings a member can act on', async () => {
    const res = await register('unodc', { url: server.url('/rss.xml') });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/feeds/${res.json.feed.id}`);
    expect(res.json.found).toEqual({
      format: 'rss',
      version: 'rss 2.0',
      title: 'Plain RSS',
      itemCount: 2,
      newestItem: '2026-11-03T09:00:00.000Z',
      warnings: [
        'The feed is not served over https.',
        'The server does not support conditional requests (no ETag or Last-Modified), so every poll downloads the whole feed.',
      ],
    });
  });

  it('says when items have no date or guid, and not about conditional requests when the server supports them', async () => {
    const undated = await register('unodc', { url: server.url('/undated.xml') });
    expect(undated.status).toBe(201);
    expect(undated.json.found.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^All items have no date/), expect.stringMatching(/^Some items \(1 of 2\) have no guid/)]),
    );
    expect(undated.json.found.newestItem).toBeNull();
    const cond = await register('unodc', { url: server.url('/cond.xml') });
    expect(cond.json.found.warnings).toEqual(['The feed is not served over https.']);
  });

  it('holds a feed off the member\'s verified domains as pending, with the reason, and accepts one on them', async () => {
    const pending = await hub.api('GET', '/api/feeds', { token: keys.unodc });
    expect(pending.json.items.every((f: { status: string }) => f.status === 'pending')).toBe(true);
    const read = await hub.api('GET', `/api/feeds/${pending.json.items[0].id}`, { token: keys.unodc });
    expect(read.json.pending_reason).toMatch(/127\.0\.0\.1 is not one of your verified domains/);
    const ok = await register('iom', { url: server.url('/rss.xml'), title: 'IOM research', defaults: { language: 'FR-ch', categories: ['Research', ' Guidance ', 'Research'] } });
    expect(ok.status).toBe(201);
    expect(ok.json.feed).toMatchObject({ status: 'ok', pending_reason: null, title: 'IOM research', defaults: { language: 'fr-CH', categories: ['Research', 'Guidance'] } });
  });

  it('refuses wrong defaults and a second registration of the same feed', async () => {
    const url = server.url('/rss.xml?defaults');
    for (const defaults of [{ language: 'not a language' }, { categories: Array.from({ length: 21 }, (_, i) => `c${i}`) }, { categories: ['x'.repeat(101)] }, { categories: [''] }, 'en']) {
      const res = await register('iom', { url, defaults });
      expect(res.status).toBe(422);
      expect(res.json.error.code).toBe('invalid_defaults');
    }
    const again = await register('iom', { url: server.url('/rss.xml') });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('feed_exists');
  });

  it.each([
    ['plain text', '/text.txt', 'not_a_feed'],
    ['a web page without feeds', '/page-none.html', 'not_a_feed_html'],
    ['404', '/missing.xml', 'http_status'],
    ['500', '/error.xml', 'http_status'],
    ['a server that never answers', '/slow.xml', 'timeout'],
    ['a feed over the size cap', '/big.xml', 'too_large'],
    ['malformed XML', '/malformed.xml', 'malformed_xml'],
    ['an empty body', '/empty.xml', 'empty'],
  ])('refuses %s with 422 and the reason', async (_what, path, code) => {
    const res = await register('unhcr', { url: server.url(path) });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe(code);
    expect(res.json.error.message.length).toBeGreaterThan(10);
  });

  it('says which status the server answered', async () => {
    const res = await register('unhcr', { url: server.url('/missing.xml') });
    expect(res.json.error.message).toBe("The server answered 404: there is no feed at this address. Check the URL (copy it from the site's feed link).");
    expect(res.json.error.details).toMatchObject({ status: 404, reason: 'fetch' });
  });

  it('refuses an untrusted certificate, an internal address and another scheme', async () => {
    const tlsRes = await register('unhcr', { url: `https://127.0.0.1:${tlsPort}/feed.xml` });
    expect([tlsRes.status, tlsRes.json.error.code]).toEqual([422, 'tls_error']);
    const internal = await register('unhcr', { url: server.url('/rss.xml').replace('127.0.0.1', '127.0.0.2') });
    expect([internal.status, internal.json.error.code]).toEqual([422, 'blocked_address']);
    const ftp = await register('unhcr', { url: 'ftp://127.0.0.1/feed.xml' });
    expect([ftp.status, ftp.json.error.code]).toEqual([422, 'unsupported_scheme']);
    expect((await hub.api('GET', '/api/feeds', { token: keys.unhcr })).json.items).toEqual([]);
  });

  it('refuses localhost and ::1, naming the address ALLOW_PRIVATE_NETWORKS allows instead', async () => {
    const feed = server.url('/rss.xml');
    for (const host of ['localhost', '[::1]']) {
      const res = await register('unhcr', { url: feed.replace('127.0.0.1', host) });
      expect([res.status, res.json.error.code]).toEqual([422, 'blocked_address']);
      expect(res.json.error.message).toContain(`ALLOW_PRIVATE_NETWORKS`);
      expect(res.json.error.message).toContain(`use ${feed}`);
      expect(res.json.error.details.instead).toBe(feed);
    }
  });
});

describe('autodiscovery', () => {
  it('registers the one feed a web page offers, and says where it was found', async () => {
    const res = await register('iom', { url: server.url('/page-one.html') });
    expect(res.status).toBe(201);
    expect(res.json.feed.url).toBe(server.url('/discovered.xml'));
    expect(res.json.found).toMatchObject({ title: 'Discovered feed', itemCount: 2, discoveredFrom: server.url('/page-one.html') });
    const again = await register('iom', { url: server.url('/page-one.html') });
    expect([again.status, again.json.error.code]).toEqual([409, 'feed_exists']);
  });

  it('lists the candidates when a page offers several feeds', async () => {
    const res = await register('iom', { url: server.url('/page-several.html') });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('several_feeds_found');
    expect(res.json.error.details.candidates).toEqual([
      { url: server.url('/rss.xml'), title: 'RSS', type: 'application/rss+xml' },
      { url: server.url('/atom.xml'), title: 'Atom', type: 'application/atom+xml' },
    ]);
  });

  it('fetches a discovered feed through the same guard, and reports why it failed', async () => {
    const dead = await register('iom', { url: server.url('/page-dead.html') });
    expect([dead.status, dead.json.error.code]).toEqual([422, 'http_status']);
    expect(dead.json.error.details.discovered_url).toBe(server.url('/missing.xml'));
    const internal = await register('iom', { url: server.url('/page-internal.html') });
    expect([internal.status, internal.json.error.code]).toEqual([422, 'blocked_address']);
  });
});

describe('OPML', () => {
  it('exports a member\'s own feeds, and every member\'s for the admin', async () => {
    const own = await raw(hub.url, 'GET', '/api/feeds.opml', { token: keys.iom });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    assertWellFormedXml(own.text);
    const urls = readOpml(own.text).map((o) => o.xmlUrl);
    expect(urls.sort()).toEqual([server.url('/discovered.xml'), server.url('/rss.xml')]);
    const all = await raw(hub.url, 'GET', '/api/feeds.opml', { token: ADMIN_TOKEN });
    assertWellFormedXml(all.text);
    expect(readOpml(all.text)).toHaveLength(5);
    expect(all.text).toMatch(/<outline text="[^"]*IOM[^"]*" title="[^"]*IOM[^"]*">/);
    expect((await raw(hub.url, 'GET', '/api/feeds.opml')).status).toBe(401);
  });

  it('publishes the directory as the hub\'s feed of each member, and the members\' active source feeds apart', async () => {
    const first = await raw(hub.url, 'GET', '/feeds/directory.opml');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    expect(first.headers.get('cache-control')).toMatch(/^public/);
    assertWellFormedXml(first.text);
    // UNODC's feeds are pending: UNODC is in neither file.
    expect(readOpml(first.text).map((o) => o.xmlUrl)).toEqual([`${hub.publicUrl}/feeds/members/iom.rss`]);
    const sources = await raw(hub.url, 'GET', '/feeds/sources.opml');
    expect([sources.status, sources.headers.get('content-type')]).toEqual([200, 'text/x-opml; charset=utf-8']);
    assertWellFormedXml(sources.text);
    expect(readOpml(sources.text).map((o) => o.xmlUrl)).toEqual([server.url('/discovered.xml'), server.url('/rss.xml')]);
    const again = await raw(hub.url, 'GET', '/feeds/directory.opml', { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
    // A paused feed leaves the source list; the member's feed on the hub stays.
    const iomFeeds = (await hub.api('GET', '/api/feeds', { token: keys.iom })).json.items as { id: string; url: string }[];
    const paused = iomFeeds.find((f) => f.url === server.url('/rss.xml'))!;
    expect((await hub.api('PATCH', `/api/feeds/${paused.id}`, { token: keys.iom, body: { paused: true } })).status).toBe(200);
    expect(readOpml((await raw(hub.url, 'GET', '/feeds/sources.opml')).text).map((o) => o.xmlUrl)).not.toContain(server.url('/rss.xml'));
    expect(readOpml((await raw(hub.url, 'GET', '/feeds/directory.opml')).text).map((o) => o.xmlUrl)).toEqual([`${hub.publicUrl}/feeds/members/iom.rss`]);
  });

  it('imports an outline, reporting each feed\'s outcome', async () => {
    await register('ilo', { url: server.url('/cond.xml') });
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>ILO feeds</title></head><body>
      <outline text="News" xmlUrl="${server.url('/rss.xml')}"/>
      <outline text="Folder"><outline text="Nested &amp; named" xmlUrl="${server.url('/undated.xml')}"/><outline text="Deeper"><outline text="Gone" xmlUrl="${server.url('/missing.xml')}"/></outline></outline>
      <outline text="Already there" xmlUrl="${server.url('/cond.xml')}"/>
      <outline text="News twice" xmlUrl="${server.url('/rss.xml')}"/>
      <outline text="Old" xmlUrl="ftp://ftp.example.org/feed.xml"/>
      <outline text="Inside" xmlUrl="http://127.0.0.2:${server.port}/rss.xml"/>
      <outline text="A heading only"/>
    </body></opml>`;
    const res = await raw(hub.url, 'POST', '/api/feeds/import', { token: keys.ilo, type: 'text/x-opml', body: opml });
    expect(res.status).toBe(200);
    const results = res.json.results as { url: string; status: string; feed_id?: string; error?: { code: string } }[];
    expect(results.map((r) => [r.url, r.status, r.error?.code])).toEqual([
      [server.url('/rss.xml'), 'pending', undefined],
      [server.url('/undated.xml'), 'pending', undefined],
      [server.url('/missing.xml'), 'failed', 'http_status'],
      [server.url('/cond.xml'), 'exists', undefined],
      ['ftp://ftp.example.org/feed.xml', 'failed', 'unsupported_scheme'],
      [`http://127.0.0.2:${server.port}/rss.xml`, 'failed', 'blocked_address'],
    ]);
    const feeds = (await hub.api('GET', '/api/feeds', { token: keys.ilo })).json.items as { id: string; title: string }[];
    expect(feeds).toHaveLength(3);
    expect(feeds.map((f) => f.id)).toEqual(expect.arrayContaining([results[0]!.feed_id, results[1]!.feed_id, results[3]!.feed_id]));
    expect(feeds.find((f) => f.id === results[1]!.feed_id)!.title).toBe('Nested & named');
  });

  it('refuses an import that is not OPML, too long, or sent as something else', async () => {
    const notOpml = await raw(hub.url, 'POST', '/api/feeds/import', { token: keys.ilo, type: 'application/xml', body: rss('x', []) });
    expect([notOpml.status, notOpml.json.error.code]).toEqual([422, 'invalid_opml']);
    const outlines = Array.from({ length: 101 }, (_, i) => `<outline text="f" xmlUrl="https://e.org/${i}.xml"/>`).join('');
    const long = await raw(hub.url, 'POST', '/api/feeds/import', { token: keys.ilo, type: 'text/x-opml', body: `<opml version="2.0"><body>${outlines}</body></opml>` });
    expect([long.status, long.json.error.code]).toEqual([422, 'too_many_outlines']);
    const asJson = await raw(hub.url, 'POST', '/api/feeds/import', { token: keys.ilo, type: 'application/json', body: '{}' });
    expect([asJson.status, asJson.json.error.code]).toEqual([415, 'unsupported_media_type']);
    const admin = await raw(hub.url, 'POST', '/api/feeds/import', { token: ADMIN_TOKEN, type: 'text/x-opml', body: '<opml/>' });
    expect(admin.status).toBe(403);
  });
});

describe('limits', () => {
  let clock = Date.UTC(2026, 10, 2, 9);
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    // A second HTTP app on the same hub, with small limits and a clock the test moves.
    const ctx = { ...hub.runtime.ctx, now: () => new Date(clock) };
    const app = createHttpApp(ctx, { publicUrl: 'http://hub.test', adminToken: () => ADMIN_TOKEN, limits: { maxFeedsPerMember: 3, registrationsPerHour: 4, publicRateLimit: 5 } });
    const node = createNodeServer(app.handle);
    await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(node.address() as AddressInfo).port}`;
    close = () => new Promise<void>((resolve) => node.close(() => resolve()));
  });
  afterAll(() => close?.());

  const reg = (who: string, path: string) => raw(base, 'POST', '/api/feeds', { token: keys[who], type: 'application/json', body: JSON.stringify({ url: server.url(path) }) });

  it('refuses a feed beyond the per-member limit with 409 feed_limit_reached', async () => {
    for (const n of [1, 2, 3]) expect((await reg('osce', `/limit-${n}.xml`)).status).toBe(201);
    const over = await reg('osce', '/limit-4.xml');
    expect(over.status).toBe(409);
    expect(over.json.error).toMatchObject({ code: 'feed_limit_reached', details: { limit: 3 } });
    // Removing one makes room.
    const one = (await raw(base, 'GET', '/api/feeds', { token: keys.osce })).json.items[0];
    expect((await raw(base, 'DELETE', `/api/feeds/${one.id}`, { token: keys.osce })).status).toBe(204);
    expect((await reg('osce', '/limit-4.xml')).status).toBe(201);
  });

  it('refuses registrations beyond the hourly budget with 429 and Retry-After, and allows them again later', async () => {
    // Four registrations so far this hour; room for another feed, but no registration left.
    const one = (await raw(base, 'GET', '/api/feeds', { token: keys.osce })).json.items[0];
    expect((await raw(base, 'DELETE', `/api/feeds/${one.id}`, { token: keys.osce })).status).toBe(204);
    const over = await reg('osce', '/limit-5.xml');
    expect(over.status).toBe(429);
    expect(over.json.error.code).toBe('rate_limited');
    expect(over.headers.get('retry-after')).toBe('900');
    // Each member has its own budget.
    expect((await reg('unicef', '/limit-5.xml')).status).toBe(201);
    clock += 900_000;
    expect((await reg('osce', '/limit-5.xml')).status).toBe(201);
  });

  it('applies the feed limit to imports, feed by feed', async () => {
    // UNICEF has one feed: two more fit.
    const opml = `<opml version="2.0"><body>${[6, 7, 8].map((n) => `<outline text="${n}" xmlUrl="${server.url(`/limit-${n}.xml`)}"/>`).join('')}</body></opml>`;
    const res = await raw(base, 'POST', '/api/feeds/import', { token: keys.unicef, type: 'text/x-opml', body: opml });
    expect(res.status).toBe(200);
    const statuses = (res.json.results as { status: string; error?: { code: string } }[]).map((r) => r.error?.code ?? r.status);
    expect(statuses.filter((s) => s === 'pending')).toHaveLength(2);
    expect(statuses.filter((s) => s === 'feed_limit_reached')).toHaveLength(1);
  });

  it('limits requests without credentials per address, with 429 and Retry-After', async () => {
    clock += 3600_000;
    for (let i = 0; i < 5; i++) expect((await raw(base, 'GET', '/api/publications')).status).toBe(200);
    const limited = await raw(base, 'GET', '/feeds/directory.opml');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('12');
    expect(limited.json.error.code).toBe('rate_limited');
    // Members and the admin are not held by it; a made-up key is.
    expect((await raw(base, 'GET', '/api/feeds', { token: keys.osce })).status).toBe(200);
    expect((await raw(base, 'GET', '/api/feeds', { token: 'ihk_made_up' })).status).toBe(429);
    // X-Forwarded-For is not trusted by default: another "address" in the header changes nothing.
    expect((await raw(base, 'GET', '/api/publications', { headers: { 'x-forwarded-for': '203.0.113.77' } })).status).toBe(429);
    clock += 12_000;
    expect((await raw(base, 'GET', '/api/publications')).status).toBe(200);
  });
});
