// Hostile addresses submitted to registration, and served as redirects from a feed the hub may fetch:
// none may be fetched. The hub may reach only 127.0.0.3 (ALLOW_PRIVATE_NETWORKS); decoy servers on
// 127.0.0.1, 127.0.0.2 and [::1], on the same port as the allowed server, must see no connection.
// Names resolve through an injected lookup, never real DNS. As a second line, a tripwire under every
// http(s) agent in this process refuses any connection off loopback, so even a broken guard cannot
// send a packet to a private, link-local or metadata address.
import type { LookupAddress } from 'node:dns';
import { lookup as systemLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net, { isIP, type LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpFetcher } from '../../shared/adapters/http-fetcher.ts';
import { parseCidrList } from '../../shared/net/addresses.ts';
import { sendBody, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { ADMIN_TOKEN, rss, startTestHub, type TestHub } from '../helpers/hub.ts';

// ---- the tripwire --------------------------------------------------------------------------------

/** Loopback, except 127.0.0.4, which stands in for "off the machine" in the tripwire's own test. */
function mayConnect(address: string): boolean {
  const a = address.toLowerCase();
  if (a === '127.0.0.4' || a === '::ffff:127.0.0.4') return false;
  return /^127\./.test(a) || /^::ffff:127\./.test(a) || a === '::1';
}

const tripped: string[] = [];
type CreateConnection = (this: unknown, options: Record<string, unknown>, callback?: unknown) => net.Socket;
const agents = [http.Agent.prototype, https.Agent.prototype] as unknown as { createConnection: CreateConnection }[];
const originals = agents.map((proto) => proto.createConnection);

function tripwireError(address: string): NodeJS.ErrnoException {
  tripped.push(address);
  return Object.assign(new Error(`tripwire: refused a connection to ${address}`), { code: 'ETRIPWIRE' });
}

function installTripwire(): void {
  agents.forEach((proto, i) => {
    const original = originals[i]!;
    proto.createConnection = function (options, callback) {
      const host = String(options.host ?? options.hostname ?? '').replace(/^\[(.*)\]$/, '$1');
      if (isIP(host) && !mayConnect(host)) {
        const socket = new net.Socket();
        const err = tripwireError(host);
        process.nextTick(() => socket.destroy(err));
        return socket;
      }
      const inner = (options.lookup as LookupFunction | undefined) ?? (systemLookup as LookupFunction);
      const lookup: LookupFunction = (hostname, opts, cb) =>
        inner(hostname, opts, (err, address, family) => {
          const list = err ? [] : typeof address === 'string' ? [address] : address.map((a) => a.address);
          const bad = list.find((a) => !mayConnect(a));
          if (bad !== undefined) cb(tripwireError(bad), '', 0);
          else if (typeof address === 'string') cb(err, address, family);
          else cb(err, address);
        });
      return original.call(this, { ...options, lookup }, callback);
    };
  });
}

function removeTripwire(): void {
  agents.forEach((proto, i) => (proto.createConnection = originals[i]!));
}

// ---- names -----------------------------------------------------------------------------------------

/** Answers from the table only (a name not in it does not exist), as a resolver would: any case, root dot or not. */
function fakeDns(table: Record<string, string[]>, asked: string[] = []): LookupFunction {
  return (hostname, options, callback) => {
    asked.push(hostname);
    const addresses: LookupAddress[] = (table[hostname.toLowerCase().replace(/\.$/, '')] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (addresses.length === 0) callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
    else if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

const DNS: Record<string, string[]> = {
  'feeds.test': ['127.0.0.3'],
  localhost: ['127.0.0.1', '::1'],
  'feeds.localhost': ['127.0.0.1'],
  'ten.test': ['10.0.0.1'],
  'metadata.test': ['169.254.169.254'],
  'ec2v6.test': ['fd00:ec2::254'],
  'lan.test': ['192.168.1.1'],
  'mapped.test': ['::ffff:169.254.169.254'],
  'nat64.test': ['64:ff9b::a9fe:a9fe'],
  'cgnat.test': ['100.64.0.1'],
  'linklocal6.test': ['fe80::1'],
  'loop2.test': ['127.0.0.2'],
  'loop6.test': ['::1'],
  // One good address does not make a name safe: every answer is checked.
  'mixed.test': ['127.0.0.3', '10.0.0.1'],
};

// ---- the table -------------------------------------------------------------------------------------

type Code = 'blocked_address' | 'unsupported_scheme' | 'invalid_url';

/** [address with PORT for the decoys' port, code when registered directly, code when reached by a redirect]. */
const HOSTILE: [string, Code, Code][] = [
  ['http://127.0.0.2:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://127.1:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://2130706434:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://0x7f000002:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://0177.0.0.2:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://0x7f.0.0.1:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://127.0.0.2.:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://[::1]:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://[0:0:0:0:0:0:0:1]:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://[::ffff:127.0.0.2]:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://[::ffff:7f00:1]:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://0.0.0.0:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://0:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://[::]:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://localhost:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://LOCALHOST.:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://feeds.localhost:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://loop2.test:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://loop6.test:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://10.0.0.1/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://169.254.169.254/latest/meta-data/', 'blocked_address', 'blocked_address'],
  ['http://[fd00:ec2::254]/latest/meta-data/', 'blocked_address', 'blocked_address'],
  ['http://192.168.1.1/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://[::ffff:169.254.169.254]/latest/meta-data/', 'blocked_address', 'blocked_address'],
  ['http://[::ffff:a9fe:a9fe]/latest/meta-data/', 'blocked_address', 'blocked_address'],
  ['http://[fe80::1]/feed.xml', 'blocked_address', 'blocked_address'],
  ['https://169.254.169.254/latest/meta-data/', 'blocked_address', 'blocked_address'],
  ['http://ten.test/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://metadata.test/latest/meta-data/', 'blocked_address', 'blocked_address'],
  ['http://ec2v6.test/latest/meta-data/', 'blocked_address', 'blocked_address'],
  ['http://lan.test/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://mapped.test/latest/meta-data/', 'blocked_address', 'blocked_address'],
  ['http://nat64.test/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://cgnat.test/feed.xml', 'blocked_address', 'blocked_address'],
  ['http://linklocal6.test/feed.xml', 'blocked_address', 'blocked_address'],
  ['https://metadata.test/latest/meta-data/', 'blocked_address', 'blocked_address'],
  ['http://mixed.test:PORT/feed.xml', 'blocked_address', 'blocked_address'],
  ['file:///etc/passwd', 'unsupported_scheme', 'unsupported_scheme'],
  ['ftp://127.0.0.3:PORT/feed.xml', 'unsupported_scheme', 'unsupported_scheme'],
  ['gopher://127.0.0.2:PORT/_GET%20/feed.xml', 'unsupported_scheme', 'unsupported_scheme'],
  ['data:application/rss+xml,%3Crss%20version%3D%222.0%22%2F%3E', 'unsupported_scheme', 'unsupported_scheme'],
  ['javascript:alert(document.domain)', 'unsupported_scheme', 'unsupported_scheme'],
  ['dict://127.0.0.2:PORT/info', 'unsupported_scheme', 'unsupported_scheme'],
  ['http://[::1', 'invalid_url', 'invalid_url'],
  ['http://exa mple.org/feed.xml', 'invalid_url', 'invalid_url'],
];

const REDIRECTS = [301, 302, 307, 308];

// ---- the hub, the allowed feed server, the decoys --------------------------------------------------

let hub: TestHub;
let feeds: FeedServer;
let decoys: FeedServer[] = [];
let key: string;
const asked: string[] = [];
const FEED = rss('Allowed feed', [{ guid: 'a-1', title: 'An allowed item', link: 'https://www.example.org/a-1', date: 'Mon, 02 Nov 2026 09:00:00 GMT' }]);

/** The allowed server on 127.0.0.3 and decoys on the same port elsewhere on loopback. */
async function startServers(): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const allowed = await startFeedServer({ '/feed.xml': sendBody(FEED) }, { host: '127.0.0.3' });
    const started: FeedServer[] = [];
    try {
      for (const host of ['127.0.0.1', '127.0.0.2', '127.0.0.4', '::1']) started.push(await startFeedServer({ '/feed.xml': sendBody(FEED) }, { host, port: allowed.port }));
      feeds = allowed;
      decoys = started;
      return;
    } catch {
      // The port is taken on one of the decoy addresses: try another.
      await Promise.all([allowed.close(), ...started.map((s) => s.close())]);
    }
  }
  throw new Error('no port free on all of 127.0.0.1-4 and ::1');
}

const withPort = (url: string) => url.replace('PORT', String(feeds.port));

beforeAll(async () => {
  installTripwire();
  hub = await startTestHub({ ALLOW_PRIVATE_NETWORKS: '127.0.0.3/32' });
  await startServers();
  // The same fetcher the hub builds, with names resolved from the table above.
  hub.useFetcher(createHttpFetcher({ allowPrivateNetworks: parseCidrList('127.0.0.3/32'), lookup: fakeDns(DNS, asked), timeoutMs: 5000 }));
  const created = await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id: 'unodc', name: 'UNODC', email: 'feeds@unodc.example' } });
  key = created.json.api_key;
  HOSTILE.forEach(([target], i) => {
    for (const status of REDIRECTS) {
      feeds.route(`/redirect/${i}/${status}`, (_req, res) => void res.writeHead(status, { location: withPort(target) }).end());
    }
  });
  feeds.route('/redirect/to-allowed', (_req, res) => void res.writeHead(302, { location: '/feed.xml' }).end());
});

afterAll(async () => {
  removeTripwire();
  await hub?.close();
  await Promise.all([feeds?.close(), ...decoys.map((d) => d.close())]);
});

const register = (url: string) => hub.api('POST', '/api/feeds', { token: key, body: { url } });
const decoyConnections = () => Object.fromEntries(decoys.map((d) => [d.host, d.connectionCount]));

describe('the tripwire', () => {
  it('refuses a connection it does not allow, by name or by address, before connecting', async () => {
    const agent = new http.Agent();
    const attempt = (options: http.RequestOptions) =>
      new Promise<NodeJS.ErrnoException>((resolve, reject) => {
        const req = http.request({ ...options, port: feeds.port, path: '/feed.xml', agent }, () => reject(new Error('connected')));
        req.on('error', resolve).end();
      });
    expect((await attempt({ host: 'trip.test', lookup: fakeDns({ 'trip.test': ['127.0.0.4'] }) })).code).toBe('ETRIPWIRE');
    expect((await attempt({ host: '127.0.0.4' })).code).toBe('ETRIPWIRE');
    agent.destroy();
    expect(decoys.find((d) => d.host === '127.0.0.4')!.connectionCount).toBe(0);
    expect(tripped).toEqual(['127.0.0.4', '127.0.0.4']);
    tripped.length = 0;
  });
});

describe('registration refuses hostile addresses', () => {
  it('registers the allowed server by address, by name and through a redirect (the set-up can fetch)', async () => {
    for (const url of [feeds.url('/feed.xml'), `http://feeds.test:${feeds.port}/feed.xml`, feeds.url('/redirect/to-allowed')]) {
      const res = await register(url);
      expect(res.status, url).toBe(201);
    }
    expect(asked).toContain('feeds.test');
  });

  it.each(HOSTILE)('refuses %s submitted directly', async (target, code) => {
    const res = await register(withPort(target));
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe(code);
    expect(decoyConnections()).toEqual({ '127.0.0.1': 0, '127.0.0.2': 0, '127.0.0.4': 0, '::1': 0 });
  });

  it.each(HOSTILE.flatMap(([target, , code], i) => REDIRECTS.map((status) => [status, target, code, i] as const)))(
    'refuses a %i redirect to %s',
    async (status, _target, code, i) => {
      const before = feeds.requests.length;
      const res = await register(feeds.url(`/redirect/${i}/${status}`));
      expect(res.status).toBe(422);
      expect(res.json.error.code).toBe(code);
      // The allowed server answered the redirect and nothing else.
      expect(feeds.requests.slice(before).map((r) => r.path)).toEqual([`/redirect/${i}/${status}`]);
      expect(decoyConnections()).toEqual({ '127.0.0.1': 0, '127.0.0.2': 0, '127.0.0.4': 0, '::1': 0 });
    },
  );

  it('refused every off-loopback address in the guard: the tripwire never fired', () => {
    expect(tripped).toEqual([]);
  });

  it('stored none of them, and the refusals did not use up the hourly registrations', async () => {
    const list = await hub.api('GET', '/api/feeds', { token: key });
    expect(list.json.items).toHaveLength(3);
    const one = await register(`http://feeds.test:${feeds.port}/feed.xml?again`);
    expect(one.status).toBe(201);
  });
});
