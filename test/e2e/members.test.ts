// Member self-service over the API: proving a domain (well-known file, DNS TXT), API key rotation and
// revocation, and the health endpoints. Real loopback HTTP and a real DNS server on loopback UDP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomainVerifier } from '../../shared/adapters/domain-proof-checker.ts';
import { createHttpFetcher } from '../../shared/adapters/http-fetcher.ts';
import { parseCidrList } from '../../shared/net/addresses.ts';
import { startTxtServer, type TxtServer } from '../helpers/dns-server.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { ADMIN_TOKEN, rss, startTestHub, type TestHub } from '../helpers/hub.ts';

describe('members manage their keys and domains', () => {
  let hub: TestHub;
  let server: FeedServer;
  let dns: TxtServer;
  let key: string;
  const wellKnown: { body?: string } = {};

  beforeAll(async () => {
    server = await startFeedServer({
      '/feed.xml': (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('F', [{ guid: '1', title: 'One', link: 'https://x.example/1' }])),
      '/.well-known/icat-hub-verification.txt': (_req, res) =>
        void (wellKnown.body ? res.writeHead(200, { 'content-type': 'text/plain' }).end(wellKnown.body) : res.writeHead(404).end()),
    });
    dns = await startTxtServer();
    const fetcher = createHttpFetcher({ allowPrivateNetworks: parseCidrList('127.0.0.1/32') });
    // The proof is read over real HTTP and DNS; only the scheme and ports differ from production
    // (https on 443, the system resolver), since nothing outside this machine can be reached.
    hub = await startTestHub({}, { domainVerifier: createDomainVerifier({ fetcher, scheme: 'http', port: server.port, dnsServers: [dns.address] }) });
    const res = await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id: 'ilo', name: 'International Labour Organization', email: 'feeds@ilo.example' } });
    key = res.json.api_key;
  });

  afterAll(async () => {
    await hub?.close();
    await server?.close();
    await dns?.close();
  });

  it('shows a member its own details, never another member\'s', async () => {
    const me = await hub.api('GET', '/api/members/me', { token: key });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ id: 'ilo', email: 'feeds@ilo.example', domains: [] });
    expect(me.json.keys).toHaveLength(1);
    expect(JSON.stringify(me.json)).not.toMatch(/hash/);
    const other = await hub.api('GET', '/api/members/unodc', { token: key });
    expect(other.status).toBe(403);
    const publicList = await hub.api('GET', '/api/members');
    expect(JSON.stringify(publicList.json)).not.toContain('feeds@ilo.example');
  });

  it('verifies a domain through the well-known file', async () => {
    const asked = await hub.api('POST', '/api/members/me/domains', { token: key, body: { domain: '127.0.0.1' } });
    expect(asked.status).toBe(201);
    expect(asked.json.how.well_known.url).toBe('https://127.0.0.1/.well-known/icat-hub-verification.txt');
    const token = asked.json.token as string;
    const early = await hub.api('POST', '/api/members/me/domains/127.0.0.1/verify', { token: key });
    expect(early.status).toBe(422);
    expect(early.json.error.code).toBe('domain_not_verified');
    wellKnown.body = `${token}\n`;
    const done = await hub.api('POST', '/api/members/me/domains/127.0.0.1/verify', { token: key });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ verified: true, method: 'well-known' });
  });

  it('verifies a domain through a DNS TXT record', async () => {
    const asked = await hub.api('POST', '/api/members/me/domains', { token: key, body: { domain: 'ilo.example' } });
    expect(asked.json.how.dns_txt.name).toBe('_icat-hub-verification.ilo.example');
    wellKnown.body = undefined;
    dns.records.set('_icat-hub-verification.ilo.example', ['v=spf1 -all', asked.json.token]);
    const done = await hub.api('POST', '/api/members/me/domains/ilo.example/verify', { token: key });
    expect(done.json).toMatchObject({ verified: true, method: 'dns' });
    expect(dns.queries).toContain('_icat-hub-verification.ilo.example');
    const bad = await hub.api('POST', '/api/members/me/domains', { token: key, body: { domain: 'http://not a domain' } });
    expect(bad.status).toBe(422);
  });

  it('rotates a key: the old one stops working at once, the new one works', async () => {
    const rotated = await hub.api('POST', '/api/members/me/keys', { token: key });
    expect(rotated.status).toBe(201);
    expect((await hub.api('GET', '/api/members/me', { token: key })).status).toBe(401);
    const fresh = rotated.json.api_key as string;
    const me = await hub.api('GET', '/api/members/me', { token: fresh });
    expect(me.json.keys.map((k: { id: string }) => k.id)).toEqual([rotated.json.id]);
    key = fresh;
  });

  it('lets the admin revoke a key', async () => {
    const second = await hub.api('POST', '/api/members/me/keys', { token: key });
    const revoked = await hub.api('DELETE', `/api/members/ilo/keys/${second.json.id}`, { token: ADMIN_TOKEN });
    expect(revoked.status).toBe(204);
    expect((await hub.api('GET', '/api/members/me', { token: second.json.api_key })).status).toBe(401);
    const notAdmin = await hub.api('DELETE', `/api/members/ilo/keys/${second.json.id}`, { token: second.json.api_key });
    expect(notAdmin.status).toBe(401);
    key = (await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id: 'ilo2', name: 'ILO two', email: 'x@ilo2.example', domains: ['127.0.0.1'] } })).json.api_key;
  });

  it('reports feed health to the member and a public summary to anyone', async () => {
    const reg = await hub.api('POST', '/api/feeds', { token: key, body: { url: server.url('/feed.xml') } });
    expect(reg.status).toBe(201);
    await hub.poll();
    const health = await hub.api('GET', '/api/health/feeds', { token: key });
    expect(health.json.items).toHaveLength(1);
    expect(health.json.items[0]).toMatchObject({ status: 'ok', items_seen: 1, conditional_get: false });
    expect(health.json.items[0].history[0]).toMatchObject({ checks: 1, errors: 0, new_items: 1, last_status_code: 200 });
    const paused = await hub.api('PATCH', `/api/feeds/${reg.json.feed.id}`, { token: key, body: { paused: true, defaults: { language: 'EN-gb', categories: ['Research'] } } });
    expect(paused.json).toMatchObject({ status: 'paused', defaults: { language: 'en-GB', categories: ['Research'] } });
    const badPatch = await hub.api('PATCH', `/api/feeds/${reg.json.feed.id}`, { token: key, body: { url: 'https://elsewhere.example/' } });
    expect(badPatch.status).toBe(422);
    const status = await hub.api('GET', '/api/status');
    expect(status.json.members.find((m: { member_id: string }) => m.member_id === 'ilo2')).toMatchObject({ feeds_ok: 0, feeds_paused: 1 });
    expect(JSON.stringify(status.json)).not.toMatch(/@|token|key/i);
    const resumed = await hub.api('PATCH', `/api/feeds/${reg.json.feed.id}`, { token: key, body: { paused: false } });
    expect(resumed.json.status).toBe('ok');
  });
});
