// The member portal over loopback HTTP without a browser: registering (found, refused, several feeds
// to choose from), pause and resume, removal with its confirmation, domain proof, key replacement; and
// one member can neither see nor change another member's feeds through the portal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomainVerifier } from '../../shared/adapters/domain-proof-checker.ts';
import { createHttpFetcher } from '../../shared/adapters/http-fetcher.ts';
import { parseCidrList } from '../../shared/net/addresses.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { ADMIN_TOKEN, rss, startTestHub, type TestHub } from '../helpers/hub.ts';
import { PortalClient, visibleText } from '../helpers/portal-client.ts';

describe('member portal', () => {
  let hub: TestHub;
  let server: FeedServer;
  const wellKnown: { body?: string } = {};
  const keys: Record<string, string> = {};
  const feed = (title: string) => (_req: unknown, res: import('node:http').ServerResponse) =>
    void res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(rss(title, [{ guid: `${title}-1`, title: `${title} paper`, link: `https://x.example/${encodeURIComponent(title)}` }]));

  beforeAll(async () => {
    server = await startFeedServer({
      '/ilo.xml': feed('ILO news'),
      '/unodc.xml': feed('UNODC news: 5 < 6 & "more"'),
      '/a.xml': feed('Feed A'),
      '/b.xml': feed('Feed B'),
      '/page.html': (_req, res) =>
        void res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<html><head><link rel="alternate" type="application/rss+xml" title="A" href="/a.xml"><link rel="alternate" type="application/rss+xml" title="B" href="/b.xml"></head></html>'),
      '/gone.xml': (_req, res) => void res.writeHead(404).end('no'),
      '/.well-known/icat-hub-verification.txt': (_req, res) => void (wellKnown.body ? res.writeHead(200, { 'content-type': 'text/plain' }).end(wellKnown.body) : res.writeHead(404).end()),
    });
    const fetcher = createHttpFetcher({ allowPrivateNetworks: parseCidrList('127.0.0.1/32') });
    hub = await startTestHub({ PUBLIC_RATE_LIMIT: '0' }, { domainVerifier: createDomainVerifier({ fetcher, scheme: 'http', port: server.port, dnsServers: ['127.0.0.1:1'] }) });
    for (const [id, name] of [['ilo', 'International Labour Organization'], ['unodc', 'United Nations Office on Drugs and Crime']] as const) {
      keys[id] = (await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id, name, acronym: id.toUpperCase(), email: `feeds@${id}.example` } })).json.api_key;
    }
  });
  afterAll(async () => {
    await hub?.close();
    await server?.close();
  });

  async function signedIn(member: string): Promise<PortalClient> {
    const c = new PortalClient(hub.url);
    await c.visit();
    expect((await c.post('/portal/sign-in', { key: keys[member]! })).status).toBe(303);
    return c;
  }

  it('registers a feed and shows what was found, with warnings, pending on an unverified host', async () => {
    const c = await signedIn('ilo');
    const res = await c.post('/portal/feeds', { url: server.url('/ilo.xml'), title: '', language: 'en', categories: 'Research, Guidance' });
    expect(res.status).toBe(201);
    const text = visibleText(res.text);
    expect(text).toContain('Feed registered, waiting for approval');
    expect(text).toContain('rss 2.0');
    expect(text).toContain('ILO news');
    expect(text).toContain('The feed is not served over https.');
    const [stored] = (await hub.api('GET', '/api/feeds', { token: keys.ilo })).json.items;
    expect(stored).toMatchObject({ url: server.url('/ilo.xml'), status: 'pending' });
    const page = visibleText((await c.get('/portal')).text);
    expect(page).toContain('ILO news');
    expect(page).toContain('Waiting for approval');
    expect(page).toContain('Last 30 days: not checked yet.');
  });

  it('shows the reason a feed is refused, with the form again, and offers a choice when a page has several feeds', async () => {
    const c = await signedIn('ilo');
    const gone = await c.post('/portal/feeds', { url: server.url('/gone.xml') });
    expect(gone.status).toBe(422);
    const why = visibleText(gone.text);
    expect(why).toContain('Nothing was found at this address (HTTP status 404). Check the address');
    // Said once, and not as if the feed had been there before.
    expect(why.match(/404/g)).toHaveLength(1);
    expect(why).not.toContain('no longer at this address');
    expect(gone.text).toContain(`value="${server.url('/gone.xml')}"`);
    const several = await c.post('/portal/feeds', { url: server.url('/page.html'), categories: 'Research' });
    expect(several.status).toBe(422);
    expect(visibleText(several.text)).toContain('This web page offers several feeds');
    expect(several.text).toContain(`type="radio" name="url" id="candidate-0" value="${server.url('/a.xml')}"`);
    expect(several.text).toContain(`value="${server.url('/b.xml')}"`);
    expect(several.text).toContain('<input type="hidden" name="categories" value="Research">');
    const chosen = await c.post('/portal/feeds', { url: server.url('/b.xml'), categories: 'Research' });
    expect(chosen.status).toBe(201);
    const dup = await c.post('/portal/feeds', { url: server.url('/b.xml') });
    expect(dup.status).toBe(409);
    expect(visibleText(dup.text)).toContain('already registered for your organisation');
  });

  it('keeps each member to its own feeds', async () => {
    const u = await signedIn('unodc');
    expect((await u.post('/portal/feeds', { url: server.url('/unodc.xml') })).status).toBe(201);
    const unodcFeed = (await hub.api('GET', '/api/feeds', { token: keys.unodc })).json.items[0];
    const ilo = await signedIn('ilo');
    const page = (await ilo.get('/portal')).text;
    expect(page).not.toContain(unodcFeed.id);
    expect(page).not.toContain('/unodc.xml');
    expect((await ilo.post(`/portal/feeds/${unodcFeed.id}/pause`)).status).toBe(403);
    expect((await ilo.get(`/portal/feeds/${unodcFeed.id}/remove`)).status).toBe(403);
    const removal = await ilo.post(`/portal/feeds/${unodcFeed.id}/remove`);
    expect(removal.status).toBe(403);
    expect(visibleText(removal.text)).toContain('This belongs to another organisation.');
    const after = await hub.api('GET', `/api/feeds/${unodcFeed.id}`, { token: keys.unodc });
    expect(after.json).toMatchObject({ status: 'pending' });
    // The feed's title came from the feed: escaped on the owner's page, never markup.
    const own = (await u.get('/portal')).text;
    expect(own).toContain('<h3>UNODC news: 5 &lt; 6 &amp; &quot;more&quot;</h3>');
    expect(own).not.toContain('5 < 6');
  });

  it('pauses and resumes a feed, and removes one only after the confirmation page', async () => {
    const c = await signedIn('ilo');
    const id = (await hub.api('GET', '/api/feeds', { token: keys.ilo })).json.items.find((f: { url: string }) => f.url.endsWith('/ilo.xml')).id;
    const paused = await c.post(`/portal/feeds/${id}/pause`);
    expect(paused.status).toBe(303);
    expect(paused.location).toBe(`/portal?notice=paused#feed-${id}`);
    expect((await hub.api('GET', `/api/feeds/${id}`, { token: keys.ilo })).json.status).toBe('paused');
    expect(visibleText((await c.get('/portal?notice=paused')).text)).toContain('The feed is paused');
    await c.post(`/portal/feeds/${id}/resume`);
    expect((await hub.api('GET', `/api/feeds/${id}`, { token: keys.ilo })).json.status).toBe('pending');
    const confirm = await c.get(`/portal/feeds/${id}/remove`);
    expect(visibleText(confirm.text)).toContain('Remove this feed?');
    expect((await hub.api('GET', `/api/feeds/${id}`, { token: keys.ilo })).status).toBe(200);
    expect((await c.post(`/portal/feeds/${id}/remove`)).location).toBe('/portal?notice=removed#feeds');
    expect((await hub.api('GET', `/api/feeds/${id}`, { token: keys.ilo })).status).toBe(404);
  });

  it('verifies a domain with the well-known file and releases the pending feeds on it', async () => {
    const c = await signedIn('unodc');
    expect((await c.post('/portal/domains', { domain: '127.0.0.1' })).location).toBe('/portal?notice=domainRequested#domains');
    const page = (await c.get('/portal')).text;
    const token = /icat-hub-verification=[\w-]+/.exec(page)?.[0];
    expect(token).toBeDefined();
    expect(visibleText(page)).toContain('_icat-hub-verification.127.0.0.1');
    const early = await c.post('/portal/domains/127.0.0.1/verify');
    expect(early.status).toBe(422);
    expect(visibleText(early.text)).toContain('The token was not found yet.');
    wellKnown.body = `${token}\n`;
    const done = await c.post('/portal/domains/127.0.0.1/verify');
    expect(done.location).toBe('/portal?notice=domainVerified&n=1#domains');
    expect(visibleText((await c.get(done.location!)).text)).toContain('Feeds released from waiting: 1.');
    const feeds = (await hub.api('GET', '/api/feeds', { token: keys.unodc })).json.items;
    expect(feeds[0].status).toBe('ok');
  });

  it('replaces the key the session signed in with, shows the new one once, and keeps the session', async () => {
    const c = await signedIn('ilo');
    const me = (await hub.api('GET', '/api/members/me', { token: keys.ilo })).json;
    const res = await c.post(`/portal/keys/${me.keys[0].id}/replace`);
    expect(res.status).toBe(201);
    const key = /ihk_[\w-]+/.exec(res.text)?.[0];
    expect(key).toBeDefined();
    expect(res.setCookies.some((s) => s.startsWith('icat_session='))).toBe(true);
    expect((await hub.api('GET', '/api/members/me', { token: keys.ilo })).status).toBe(401);
    expect((await hub.api('GET', '/api/members/me', { token: key! })).status).toBe(200);
    keys.ilo = key!;
    const page = (await c.get('/portal')).text;
    expect(visibleText(page)).toContain('used for this session');
    expect(page).not.toContain(key!);
  });
});
