// The public pages over HTTP on a real local hub (dynalite, loopback feed server, loopback SMTP):
// security headers, the list after polling and after a later poll, filters on the page and on the
// merged feeds, language choice, assets, the subscribe form's CSRF protection and its whole flow.
import { parseSetCookie } from 'cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, sendBody, type FeedServer } from '../helpers/feed-server.ts';
import { assertValidJsonFeed, assertWellFormedXml, parseWithFeedparser } from '../helpers/feed-validators.ts';
import { ADMIN_TOKEN, rss, startTestHub, type TestHub } from '../helpers/hub.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

describe('public pages over HTTP', () => {
  let hub: TestHub;
  let feeds: FeedServer;
  let smtp: TestSmtpServer;
  const docs: Record<string, string> = {};
  const get = (path: string, headers: Record<string, string> = {}) => fetch(hub.url + path, { headers, redirect: 'manual' });
  const page = async (path: string, headers: Record<string, string> = {}) => {
    const res = await get(path, headers);
    return { res, text: await res.text() };
  };
  // POST /api/poll, waited for until every feed has been polled (hub.poll rejects when the API refused it).
  const poll = async () => expect((await hub.poll()).errors).toBe(0);

  beforeAll(async () => {
    smtp = await startSmtpServer();
    docs['/unodc.xml'] = rss('UNODC news', [
      { guid: 'u-1', title: 'Global Report on Trafficking in Persons 2026', link: 'https://www.unodc.org/glotip-2026', date: 'Mon, 02 Nov 2026 09:00:00 GMT', category: 'Research', pdf: 'https://www.unodc.org/glotip-2026.pdf', description: 'Trends & patterns in 141 countries.' },
      { guid: 'u-2', title: 'Toolkit for prosecutors & judges: "R < 5"', link: 'https://www.unodc.org/toolkit', date: 'Tue, 03 Nov 2026 09:00:00 GMT', category: 'Guidance' },
    ]);
    docs['/iom.xml'] = rss('IOM news', [{ guid: 'i-1', title: 'Forced labour in supply chains: a field guide', link: 'https://www.iom.int/field-guide', date: 'Wed, 04 Nov 2026 08:00:00 GMT', category: 'Guidance' }]);
    feeds = await startFeedServer();
    for (const path of Object.keys(docs)) feeds.route(path, (req, res) => sendBody(docs[path]!)(req, res));
    hub = await startTestHub({ SMTP_URL: smtp.url, MAIL_FROM: 'ICAT alerts <alerts@hub.example>', ALERTS_BATCH_WINDOW: '0', PUBLIC_RATE_LIMIT: '0' });
    for (const id of ['unodc', 'iom']) {
      const member = await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id, name: id.toUpperCase(), email: `feeds@${id}.example`, domains: ['127.0.0.1'] } });
      expect(member.status).toBe(201);
      expect((await hub.api('POST', '/api/feeds', { token: member.json.api_key, body: { url: feeds.url(`/${id}.xml`) } })).status).toBe(201);
    }
    await poll();
  });

  afterAll(async () => {
    await hub?.close();
    await feeds?.close();
    await smtp?.stop();
  });

  it('serves the latest publications newest first, with the security headers and feed links of the view', async () => {
    const { res, text } = await page('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const titles = [...text.matchAll(/<h2 lang="en"><a href="([^"]+)">([^<]+)<\/a><\/h2>/g)].map((m) => m[2]);
    expect(titles).toEqual(['Forced labour in supply chains: a field guide', 'Toolkit for prosecutors &amp; judges: &quot;R &lt; 5&quot;', 'Global Report on Trafficking in Persons 2026']);
    expect(text).toContain('<div class="summary" lang="en">Trends &amp; patterns in 141 countries.</div>');
    expect(text).toContain('<a href="https://www.unodc.org/glotip-2026.pdf" type="application/pdf">PDF: glotip-2026.pdf</a> (12 kB)');
    expect(text).toContain('<time datetime="2026-11-02">2 November 2026</time>');
    expect(text).toContain('<link rel="alternate" type="application/atom+xml" title="ICAT member publications (Atom)" href="/feeds/all.atom">');
    expect(text).toContain('Showing 1–3 of 3 publications');
  });

  it('filters by member, free text and category, and offers exactly that view as feeds', async () => {
    const iom = await page('/?member=iom');
    expect(iom.text).toContain('Forced labour in supply chains');
    expect(iom.text).not.toContain('Global Report');
    expect(iom.text).toContain('<option value="iom" selected>IOM</option>');
    expect(iom.text).toContain('href="/feeds/all.rss?member=iom"');
    const text = await page('/?q=traffick+report');
    expect(text.text).toContain('Showing 1–1 of 1 publications');
    expect(text.text).toContain('Global Report');
    const cat = await page('/?category=guidance');
    expect(cat.text).toContain('Showing 1–2 of 2 publications');
  });

  it('answers a filter it cannot use with a 400 page naming the field', async () => {
    const { res, text } = await page('/?from=2026-02-30&member=nobody');
    expect(res.status).toBe(400);
    expect(text).toContain('<div class="error-summary" role="alert">');
    expect(text).toContain('<a href="#f-from">From (date): give a date as year-month-day, for example 2026-11-02.</a>');
    expect(text).toContain('Member: there is no such member.');
    expect(text).toContain('aria-invalid="true" aria-describedby="f-from-error"');
    // Nothing was looked up: the page claims neither an empty hub nor an empty selection.
    expect(text).not.toContain('No publications');
    expect(text).not.toContain('class="entries"');
    expect(text).toContain('<p><a href="/">Clear filters</a></p>');
    const invalidDay = await page('/?from=2026-02-31');
    expect(invalidDay.res.status).toBe(400);
    expect(invalidDay.text).not.toContain('No publications yet');
  });

  it('serves filtered merged feeds, well-formed, with the filters in their own address', async () => {
    const res = await get('/feeds/all.rss?member=iom&category=Guidance');
    expect(res.status).toBe(200);
    const body = await res.text();
    assertWellFormedXml(body);
    const parsed = await parseWithFeedparser(body);
    expect(parsed.entries.map((e) => e.title)).toEqual(['Forced labour in supply chains: a field guide']);
    expect(parsed.feed.title).toBe('ICAT member publications: IOM · Guidance');
    expect(body).toContain('/feeds/all.rss?member=iom&amp;category=Guidance');
    const json = assertValidJsonFeed(await (await get('/feeds/all.json?q=toolkit')).text());
    expect(json.items.map((i) => i.title)).toEqual(['Toolkit for prosecutors & judges: "R < 5"']);
    const atom = await (await get('/feeds/all.atom?from=2026-11-03&to=2026-11-03')).text();
    assertWellFormedXml(atom);
    expect([...atom.matchAll(/<entry[\s>]/g)]).toHaveLength(1);

    const again = await get('/feeds/all.rss?category=Guidance&member=iom', { 'if-none-match': res.headers.get('etag')! });
    expect(again.status).toBe(304);
    const bad = await get('/feeds/all.rss?from=yesterday');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: unknown }).error).toMatchObject({ code: 'invalid_filter', details: { problems: [{ field: 'from', code: 'invalid_date' }] } });
    expect((await get('/feeds/all.atom?member=nobody')).status).toBe(404);
  });

  it('shows publications stored by a later poll at once, on the page and in filtered feeds', async () => {
    await get('/feeds/all.rss?member=unodc');
    docs['/unodc.xml'] = rss('UNODC news', [{ guid: 'u-3', title: 'Handbook on victim identification', link: 'https://www.unodc.org/handbook', date: 'Thu, 05 Nov 2026 09:00:00 GMT' }]);
    await poll();
    expect((await page('/')).text).toContain('Handbook on victim identification');
    expect(await (await get('/feeds/all.rss?member=unodc')).text()).toContain('Handbook on victim identification');
  });

  it('speaks the language the browser asks for, or the one chosen with the switch', async () => {
    const fr = await page('/', { 'accept-language': 'fr-CH, fr;q=0.9, en;q=0.5' });
    expect(fr.text).toContain('<html lang="fr" dir="ltr">');
    expect(fr.text).toContain('<h1>Dernières publications</h1>');
    expect(fr.text).toContain('2 novembre 2026');
    const es = await page('/directory', { 'accept-language': 'es' });
    expect(es.text).toContain('<h1>Directorio de canales</h1>');
    expect(es.text).toContain('<span class="status status-ok">Funciona</span>');

    const sw = await get('/language?lang=es&back=%2Fdirectory%3Fx%3D1');
    expect(sw.status).toBe(303);
    expect(sw.headers.get('location')).toBe('/directory?x=1');
    expect(parseSetCookie(sw.headers.get('set-cookie')!)).toEqual({ name: 'lang', value: 'es', path: '/', httpOnly: true, sameSite: 'lax', maxAge: 31536000 });
    const chosen = await page('/', { cookie: 'lang=es', 'accept-language': 'fr' });
    expect(chosen.text).toContain('<h1>Últimas publicaciones</h1>');
    // Somewhere else entirely is never a place to come back to.
    for (const back of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      expect((await get(`/language?lang=fr&back=${encodeURIComponent(back)}`)).headers.get('location')).toBe('/');
    }
    expect((await get('/language?lang=fr', { referer: `${hub.url}/?q=x`, host: new URL(hub.url).host })).headers.get('location')).toBe('/?q=x');
  });

  it('serves its assets with long caching when versioned, and revalidation otherwise', async () => {
    const home = (await page('/')).text;
    const css = /href="(\/assets\/site\.css\?v=[\w-]+)"/.exec(home)![1]!;
    const res = await get(css);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await get('/assets/site.css', { 'if-none-match': res.headers.get('etag')! })).status).toBe(304);
    expect((await get('/assets/enhance.js')).headers.get('cache-control')).toBe('public, max-age=300');
    for (const path of ['/assets/nothing.css', '/assets/..%2Fhtml.ts', '/assets/.hidden.js', '/assets/site.css%00.js']) expect((await get(path)).status).toBe(404);
  });

  it('serves its icon at /favicon.ico and links it, so no page logs a missing icon', async () => {
    const ico = await get('/favicon.ico');
    expect(ico.status).toBe(200);
    expect(ico.headers.get('content-type')).toBe('image/x-icon');
    const bytes = Buffer.from(await ico.arrayBuffer());
    // An ICO header (reserved 0, type 1, one image) around a PNG.
    expect([...bytes.subarray(0, 6)]).toEqual([0, 0, 1, 0, 1, 0]);
    expect(bytes.subarray(22, 26).toString('latin1')).toBe('\x89PNG');
    expect((await get('/favicon.ico', { 'if-none-match': ico.headers.get('etag')! })).status).toBe(304);
    const home = (await page('/')).text;
    expect(home).toContain('<link rel="icon" href="/favicon.ico">');
  });

  it('describes each page for search results, in the page\'s language', async () => {
    const description = (text: string) => /<meta name="description" content="([^"]+)">/.exec(text)?.[1];
    const latest = description((await page('/')).text);
    const directory = description((await page('/directory')).text);
    const subscribe = description((await page('/subscribe')).text);
    expect(latest).toMatch(/^New papers, guidance, research/);
    expect(directory).toMatch(/^Every member organisation with the feeds the hub reads/);
    expect(subscribe).toMatch(/^Get an e-mail when a member publishes/);
    expect(description((await page('/directory', { 'accept-language': 'fr' })).text)).toMatch(/^Chaque organisation membre avec les flux/);
    expect(description((await page('/', { 'accept-language': 'es' })).text)).toMatch(/^Nuevos estudios, orientaciones/);
    expect(description((await page('/no/such/page', { accept: 'text/html' })).text)).toMatch(/^The hub gathers the papers/);
  });

  it('answers a browser lost on the site with a page, and API clients with JSON', async () => {
    const lost = await page('/no/such/page', { accept: 'text/html,application/xhtml+xml', 'accept-language': 'es' });
    expect(lost.res.status).toBe(404);
    expect(lost.res.headers.get('content-security-policy')).toBe(CSP);
    expect(lost.text).toContain('<h1>Página no encontrada</h1>');
    const api = await get('/api/nothing', { accept: 'text/html' });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await get('/no/such/page')).headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  describe('subscribing', () => {
    const form = async () => {
      const res = await get('/subscribe');
      const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
      const token = /name="csrf" value="([^"]+)"/.exec(await res.text())![1]!;
      return { cookie, token };
    };
    const post = (body: string, headers: Record<string, string>) => fetch(`${hub.url}/subscribe`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });

    it('refuses a post without the CSRF pair, with a mismatched token, or marked cross-site', async () => {
      const { cookie, token } = await form();
      expect(cookie).toMatch(/^icat_csrf=[\w-]{32}$/);
      const body = `csrf=${token}&email=a%40example.org&frequency=daily`;
      expect((await post(body, {})).status).toBe(403);
      expect((await post(body.replace(token, 'x'.repeat(32)), { cookie })).status).toBe(403);
      expect((await post(body, { cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      const refused = await post(body, {});
      expect(await refused.text()).toContain('This form has expired');
      expect(smtp.mails).toHaveLength(0);
    });

    it('lists every problem of the form at once, keeping what was typed', async () => {
      const { cookie, token } = await form();
      const res = await post(`csrf=${token}&email=not-an-address&frequency=daily&keywords=a%2C+forced+labour&members=iom`, { cookie });
      expect(res.status).toBe(422);
      const text = await res.text();
      expect(text).toContain('Give a valid e-mail address, like name@example.org.');
      expect(text).toContain('Keywords: at most 20, each 2 to 100 characters with letters or digits.');
      expect(text).toContain('value="not-an-address"');
      expect(text).toContain('value="a, forced labour"');
      expect(text).toContain('<input type="checkbox" id="member-iom" name="members" value="iom" checked>');
      expect(smtp.mails).toHaveLength(0);
    });

    it('subscribes, says to check the mail, and confirms through the mailed link on a page in the reader’s language', async () => {
      const { cookie, token } = await form();
      const res = await post(`csrf=${token}&email=reader%40example.org&frequency=weekly&members=unodc&languages=en&languages=fr&keywords=traffick`, { cookie });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/subscribe?sent=1');
      expect((await page('/subscribe?sent=1')).text).toContain('<h1>Check your mail</h1>');
      const [mail] = await smtp.waitFor((m) => m.length >= 1, 10_000, 'the confirmation mail');
      expect(mail!.to).toEqual(['reader@example.org']);
      const link = /https?:\/\/\S+\/subscriptions\/confirm\?token=[\w.-]+/.exec(mail!.text)![0];
      const u = new URL(link);
      const confirmed = await page(`${u.pathname}${u.search}`, { 'accept-language': 'fr' });
      expect(confirmed.res.status).toBe(200);
      expect(confirmed.res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(confirmed.res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(confirmed.text).toContain('<h1>Vos alertes sont confirmées</h1>');
      expect(confirmed.text).toContain('<li>Fréquence : Hebdomadaire : une fois par semaine, le lundi à 07:00 UTC</li>');
      expect(confirmed.text).toContain('<li>Langues : en, fr</li>');
      expect(confirmed.text).toMatch(/<link rel="stylesheet" href="\/assets\/site\.css\?v=/);
      expect(confirmed.text).not.toContain('reader@example.org');
    });

    it('keeps the language of a page opened with ?lang=fr for the form it posts, and mails in French', async () => {
      const res = await get('/subscribe?lang=fr');
      const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
      expect(cookies).toContain('lang=fr');
      const token = /name="csrf" value="([^"]+)"/.exec(await res.text())![1]!;
      const before = smtp.mails.length;
      const posted = await post(`csrf=${token}&email=lecteur%40example.org&frequency=daily&members=unodc`, { cookie: cookies.join('; ') });
      expect(posted.status).toBe(303);
      const mails = await smtp.waitFor((m) => m.length > before, 10_000, 'the confirmation mail');
      const mail = mails.find((m) => m.to.includes('lecteur@example.org'))!;
      expect(mail.subject).toMatch(/^\[ICAT\] Confirmez/);
    });
  });
});
