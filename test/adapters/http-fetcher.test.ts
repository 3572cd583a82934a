// The fetcher against real sockets on loopback. Only 127.0.0.1 is on the allow-list; a second
// server on 127.0.0.2 (same port) stands for "an internal address" and must never see a connection.
import { execFileSync } from 'node:child_process';
import type { LookupAddress } from 'node:dns';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo, LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpFetcher, parseHttpDate, type HttpFetcherOptions } from '../../shared/adapters/http-fetcher.ts';
import { FetchError } from '../../shared/errors.ts';
import { classifyAddress, parseCidrList } from '../../shared/net/addresses.ts';
import { createGuardedLookup } from '../../shared/net/guarded-lookup.ts';
import type { FetchedFeed } from '../../shared/ports/fetcher.ts';
import { sendBody, startFeedServer, type FeedServer, type RouteHandler } from '../helpers/feed-server.ts';

const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>Caf\u00e9 news</title></channel></rss>';
const allow = parseCidrList('127.0.0.1/32');
const fetcherWith = (extra: Partial<HttpFetcherOptions> = {}) => createHttpFetcher({ allowPrivateNetworks: allow, ...extra });

/** A resolver that answers from a table, recording each name asked. */
function fakeDns(table: Record<string, string[]>, asked: string[] = []): LookupFunction {
  return (hostname, options, callback) => {
    asked.push(hostname);
    const addresses: LookupAddress[] = (table[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (addresses.length === 0) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
    } else if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(FetchError);
    return err as FetchError;
  }
  throw new Error('expected the fetch to fail');
}

let server: FeedServer;
let internal: FeedServer;

beforeAll(async () => {
  server = await startFeedServer({ '/feed': sendBody(RSS) });
  // Same port as the allowed server: a refused fetch would otherwise have found a listener.
  internal = await startFeedServer({ '/feed': sendBody(RSS) }, { host: '127.0.0.2', port: server.port });
});
afterAll(async () => {
  await server.close();
  await internal.close();
});

describe('successful fetches', () => {
  it('returns the body, headers and final URL, sending the feed Accept headers', async () => {
    server.route('/ok', sendBody(RSS, { etag: '"v1"', 'last-modified': 'Tue, 05 Mar 2024 10:00:00 GMT', 'cache-control': 'public, max-age=900' }));
    const result = (await fetcherWith().fetch(server.url('/ok'))) as FetchedFeed;
    expect(result).toEqual({
      status: 200,
      body: Buffer.from(RSS),
      contentType: 'application/rss+xml; charset=utf-8',
      etag: '"v1"',
      lastModified: 'Tue, 05 Mar 2024 10:00:00 GMT',
      maxAgeSeconds: 900,
      finalUrl: server.url('/ok'),
    });
    const seen = server.requests.at(-1)!;
    expect(seen.headers['user-agent']).toBe('ICAT-Syndication-Hub/0.1 (+https://github.com/icat/syndication-hub)');
    expect(seen.headers.accept).toContain('application/rss+xml');
    expect(seen.headers.accept).toContain('application/atom+xml');
    expect(seen.headers.accept).toContain('application/feed+json');
    expect(seen.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(seen.headers['if-none-match']).toBeUndefined();
  });

  it('sends the conditional headers and reports 304 Not Modified', async () => {
    server.route('/cond', (req, res) => {
      const fresh = req.headers['if-none-match'] === '"v2"' && req.headers['if-modified-since'] === 'Wed, 06 Mar 2024 10:00:00 GMT';
      if (fresh) res.writeHead(304, { etag: '"v2"', 'cache-control': 'max-age=60' }).end();
      else res.writeHead(200, { etag: '"v2"' }).end(RSS);
    });
    const result = await fetcherWith().fetch(server.url('/cond'), { etag: '"v2"', lastModified: 'Wed, 06 Mar 2024 10:00:00 GMT' });
    expect(result).toEqual({ status: 304, finalUrl: server.url('/cond'), etag: '"v2"', maxAgeSeconds: 60 });
    const seen = server.requests.at(-1)!;
    expect(seen.headers['if-none-match']).toBe('"v2"');
    expect(seen.headers['if-modified-since']).toBe('Wed, 06 Mar 2024 10:00:00 GMT');
  });

  it('resolves names through the injected lookup and sends the name as Host', async () => {
    const asked: string[] = [];
    const fetcher = fetcherWith({ lookup: fakeDns({ 'feeds.test': ['127.0.0.1'] }, asked) });
    const result = (await fetcher.fetch(`http://feeds.test:${server.port}/feed`)) as FetchedFeed;
    expect(result.body.toString()).toBe(RSS);
    expect(result.finalUrl).toBe(`http://feeds.test:${server.port}/feed`);
    expect(server.requests.at(-1)!.headers.host).toBe(`feeds.test:${server.port}`);
    expect(asked).toContain('feeds.test');
  });
});

describe('compressed bodies', () => {
  const big = RSS.repeat(200);
  const cases: Array<[string, string, Buffer]> = [
    ['gzip', 'gzip', zlib.gzipSync(big)],
    ['x-gzip', 'x-gzip', zlib.gzipSync(big)],
    ['deflate (zlib-wrapped)', 'deflate', zlib.deflateSync(big)],
    ['deflate (raw, as some servers send it)', 'deflate', zlib.deflateRawSync(big)],
    ['br', 'br', zlib.brotliCompressSync(big)],
    ['two layers, gzip then br', 'gzip, br', zlib.brotliCompressSync(zlib.gzipSync(big))],
  ];
  it.each(cases)('decodes %s', async (_name, encoding, wire) => {
    const path = `/enc-${encodeURIComponent(_name)}`;
    server.route(path, sendBody(wire, { 'content-encoding': encoding }));
    const result = (await fetcherWith().fetch(server.url(path))) as FetchedFeed;
    expect(result.body.toString()).toBe(big);
  });

  it('reports a corrupt gzip body as bad_encoding', async () => {
    const corrupt = zlib.gzipSync(big);
    corrupt.fill(0x55, 20, 60);
    server.route('/corrupt', sendBody(corrupt, { 'content-encoding': 'gzip' }));
    const err = await failure(fetcherWith().fetch(server.url('/corrupt')));
    expect(err.code).toBe('bad_encoding');
    expect(err.cause).toBeDefined();
  });

  it('reports an encoding it did not ask for as bad_encoding', async () => {
    server.route('/zstd', sendBody('whatever', { 'content-encoding': 'zstd' }));
    const err = await failure(fetcherWith().fetch(server.url('/zstd')));
    expect(err.code).toBe('bad_encoding');
    expect(err.message).toContain('zstd');
  });
});

describe('size cap', () => {
  it('refuses a body declared larger than the cap', async () => {
    server.route('/large', sendBody(Buffer.alloc(2048, 0x61)));
    const err = await failure(fetcherWith({ maxBytes: 1024 }).fetch(server.url('/large')));
    expect(err.code).toBe('too_large');
    expect(err.message).toContain('1 KiB');
  });

  it('stops a chunked body without a length at the cap', async () => {
    server.route('/stream', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const err = await failure(fetcherWith({ maxBytes: 100_000 }).fetch(server.url('/stream')));
    expect(err.code).toBe('too_large');
  });

  it('stops a compression bomb once the decompressed bytes pass the cap', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    server.route('/bomb', sendBody(bomb, { 'content-encoding': 'gzip' }));
    const err = await failure(fetcherWith({ maxBytes: 1024 * 1024 }).fetch(server.url('/bomb')));
    expect(err.code).toBe('too_large');
    expect(err.message).toContain('1 MiB');
  });
});

describe('time limits and cancelling', () => {
  it('gives up on a server that never answers', async () => {
    server.route('/silent', () => {});
    const err = await failure(fetcherWith({ timeoutMs: 300 }).fetch(server.url('/silent')));
    expect(err.code).toBe('timeout');
  });

  it('gives up on a body that never ends', async () => {
    server.route('/trickle', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<rss>');
    });
    const err = await failure(fetcherWith({ timeoutMs: 300 }).fetch(server.url('/trickle')));
    expect(err.code).toBe('timeout');
  });

  it('honours an AbortSignal', async () => {
    server.route('/silent', () => {});
    const ctl = new AbortController();
    const pending = fetcherWith().fetch(server.url('/silent'), {}, ctl.signal);
    setTimeout(() => ctl.abort(), 50);
    const err = await failure(pending);
    expect(err.code).toBe('aborted');
  });
});

describe('redirects', () => {
  const redirect =
    (status: number, location: string): RouteHandler =>
    (_req, res) =>
      void res.writeHead(status, { location }).end();

  it('follows a chain and reports where the body came from', async () => {
    server.route('/r1', redirect(302, '/r2'));
    server.route('/r2', redirect(307, server.url('/r3')));
    server.route('/r3', redirect(301, '/feed'));
    const result = (await fetcherWith().fetch(server.url('/r1'))) as FetchedFeed;
    expect(result.body.toString()).toBe(RSS);
    expect(result.finalUrl).toBe(server.url('/feed'));
    expect(result.movedPermanently).toBeUndefined();
  });

  it('marks the feed as moved when every hop was permanent', async () => {
    server.route('/p1', redirect(301, '/p2'));
    server.route('/p2', redirect(308, '/feed'));
    const result = (await fetcherWith().fetch(server.url('/p1'))) as FetchedFeed;
    expect(result.movedPermanently).toBe(true);
    expect(result.finalUrl).toBe(server.url('/feed'));
  });

  it('resolves a relative Location against the current URL', async () => {
    server.route('/dir/sub/old', redirect(303, '../new?x=1'));
    server.route('/dir/new', sendBody(RSS));
    const result = (await fetcherWith().fetch(server.url('/dir/sub/old'))) as FetchedFeed;
    expect(result.finalUrl).toBe(server.url('/dir/new?x=1'));
  });

  it('stops after maxRedirects', async () => {
    server.route('/loop', redirect(302, '/loop'));
    const before = server.requests.length;
    const err = await failure(fetcherWith({ maxRedirects: 3 }).fetch(server.url('/loop')));
    expect(err.code).toBe('too_many_redirects');
    expect(server.requests.length - before).toBe(4);
  });

  it('refuses a redirect to an internal address', async () => {
    server.route('/to-internal', redirect(302, internal.url('/feed')));
    const err = await failure(fetcherWith().fetch(server.url('/to-internal')));
    expect(err.code).toBe('blocked_address');
    expect(internal.connectionCount).toBe(0);
  });

  it('refuses a redirect to a name that resolves to an internal address', async () => {
    server.route('/to-name', redirect(302, `http://evil.test:${internal.port}/feed`));
    const fetcher = fetcherWith({ lookup: fakeDns({ 'evil.test': ['127.0.0.2'] }) });
    const err = await failure(fetcher.fetch(server.url('/to-name')));
    expect(err.code).toBe('blocked_address');
    expect(err.message).toContain('evil.test');
    expect(internal.connectionCount).toBe(0);
  });

  it('refuses a redirect to another scheme', async () => {
    server.route('/to-file', redirect(302, 'file:///etc/passwd'));
    const err = await failure(fetcherWith().fetch(server.url('/to-file')));
    expect(err.code).toBe('unsupported_scheme');
  });
});

describe('HTTP errors', () => {
  const statusRoute = (status: number, headers: Record<string, string> = {}) => {
    const path = `/status-${status}-${Object.keys(headers).length}`;
    server.route(path, (_req, res) => void res.writeHead(status, headers).end('nope'));
    return server.url(path);
  };

  it.each([
    [404, 'http_status', 'The server answered 404 Not Found: the feed is no longer at this address.'],
    [410, 'http_status', 'The server answered 410 Gone: the feed has been removed for good.'],
    [401, 'http_status', 'The server answered 401 Unauthorized: it refused access to the feed.'],
    [403, 'http_status', 'The server answered 403 Forbidden: it refused access to the feed.'],
    [500, 'http_status', 'The server answered 500 Internal Server Error: it had an internal error.'],
    [502, 'http_status', 'The server answered 502 Bad Gateway: it had an internal error.'],
    [400, 'http_status', 'The server answered 400 Bad Request: it would not deliver the feed.'],
  ])('maps %i to %s', async (status, code, message) => {
    const err = await failure(fetcherWith().fetch(statusRoute(status)));
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
    expect(err.message).toBe(message);
    expect(err.retryAfterSeconds).toBeUndefined();
  });

  it('reads Retry-After in seconds on 429', async () => {
    const err = await failure(fetcherWith().fetch(statusRoute(429, { 'retry-after': '120' })));
    expect(err.code).toBe('rate_limited');
    expect(err.status).toBe(429);
    expect(err.retryAfterSeconds).toBe(120);
    expect(err.message).toContain('wait 120 seconds');
  });

  it('reads Retry-After as an HTTP date on 503, relative to when the answer came', async () => {
    const arrived = Date.UTC(2024, 2, 5, 10, 0, 0);
    const fetcher = fetcherWith({ now: () => arrived });
    const err = await failure(fetcher.fetch(statusRoute(503, { 'retry-after': 'Tue, 05 Mar 2024 10:05:30 GMT' })));
    expect(err.code).toBe('unavailable');
    expect(err.status).toBe(503);
    expect(err.retryAfterSeconds).toBe(330);
  });

  it('reads all three HTTP-date forms and refuses impossible dates', () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(expected);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(expected);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(expected);
    expect(parseHttpDate('Sat, 31 Feb 2024 08:49:37 GMT')).toBeUndefined();
    expect(parseHttpDate('soon')).toBeUndefined();
  });
});

describe('the address guard', () => {
  it('refuses an IP literal outside the allow-list without connecting', async () => {
    const err = await failure(fetcherWith().fetch(internal.url('/feed')));
    expect(err.code).toBe('blocked_address');
    expect(err.message).toContain('127.0.0.2');
    expect(err.message).toContain('private or internal');
    expect(internal.connectionCount).toBe(0);
  });

  it.each([
    ['decimal', 'http://2130706434', 'http://2130706433'],
    ['hex', 'http://0x7f.0.0.2', 'http://0x7f.0.0.1'],
    ['octal', 'http://017700000002', 'http://017700000001'],
    ['short', 'http://127.2', 'http://127.1'],
  ])('refuses the %s form of a loopback address', async (_form, blocked, loopback) => {
    expect(new URL(loopback).hostname).toBe('127.0.0.1');
    expect(classifyAddress(new URL(loopback).hostname)).toBe('loopback');
    expect(new URL(blocked).hostname).toBe('127.0.0.2');
    const err = await failure(fetcherWith().fetch(`${blocked}:${internal.port}/feed`));
    expect(err.code).toBe('blocked_address');
    expect(internal.connectionCount).toBe(0);
  });

  // Every target here is on loopback, so even a broken guard could only reach the test servers.
  it.each(['http://[::1]:PORT/feed', 'http://[::ffff:127.0.0.2]:PORT/feed', 'http://[::ffff:7f00:2]:PORT/feed', 'http://0.0.0.0:PORT/'])(
    'refuses the literal %s',
    async (url) => {
      const err = await failure(fetcherWith().fetch(url.replace('PORT', String(server.port))));
      expect(err.code).toBe('blocked_address');
      expect(internal.connectionCount).toBe(0);
    },
  );

  it.each([['127.0.0.2'], ['::ffff:127.0.0.2'], ['::1']])('refuses a name resolving to %s in the lookup, before connecting', async (address) => {
    const asked: string[] = [];
    const fetcher = fetcherWith({ lookup: fakeDns({ 'inside.test': [address] }, asked) });
    const err = await failure(fetcher.fetch(`http://inside.test:${server.port}/feed`));
    expect(err.code).toBe('blocked_address');
    expect(err.message).toContain('inside.test');
    expect(err.message).not.toContain(address);
    expect(asked).toEqual(['inside.test']);
    expect(internal.connectionCount).toBe(0);
  });

  it('refuses a name when any of its addresses is internal', async () => {
    const connectionsBefore = server.connectionCount;
    const fetcher = fetcherWith({ lookup: fakeDns({ 'mixed.test': ['127.0.0.1', '127.0.0.2'] }) });
    const err = await failure(fetcher.fetch(`http://mixed.test:${server.port}/feed`));
    expect(err.code).toBe('blocked_address');
    expect(server.connectionCount).toBe(connectionsBefore);
    expect(internal.connectionCount).toBe(0);
  });

  it('checks the answer used for the connection, so a name rebinding to an internal address is refused', async () => {
    let calls = 0;
    const rebinding: LookupFunction = (hostname, options, callback) =>
      fakeDns({ 'rebind.test': [calls++ === 0 ? '127.0.0.1' : '127.0.0.2'] })(hostname, options, callback);
    // Both servers listen on the same port, so only the vetted address decides where a connection goes.
    const url = `http://rebind.test:${server.port}/feed`;
    const first = (await fetcherWith({ lookup: rebinding }).fetch(url)) as FetchedFeed;
    expect(first.body.toString()).toBe(RSS);
    const second = await failure(fetcherWith({ lookup: rebinding }).fetch(url));
    expect(second.code).toBe('blocked_address');
    expect(calls).toBe(2);
    expect(internal.connectionCount).toBe(0);
  });

  it('uses the system resolver by default and refuses localhost when loopback is not allowed', async () => {
    const err = await failure(createHttpFetcher({ allowPrivateNetworks: parseCidrList('') }).fetch(`http://localhost:${server.port}/feed`));
    expect(err.code).toBe('blocked_address');
    const ok = (await createHttpFetcher({ allowPrivateNetworks: parseCidrList('127.0.0.0/8, ::1') }).fetch(
      `http://localhost:${server.port}/feed`,
    )) as FetchedFeed;
    expect(ok.body.toString()).toBe(RSS);
  });

  it.each(['ftp://127.0.0.1/feed.xml', 'file:///etc/passwd', 'gopher://127.0.0.1/'])('refuses %s as an unsupported scheme', async (url) => {
    const err = await failure(fetcherWith().fetch(url));
    expect(err.code).toBe('unsupported_scheme');
  });
});

// Cloud metadata and private addresses are checked on the guard itself, with no socket at all:
// a fetch through a broken guard would send packets off loopback.
describe('the guarded lookup', () => {
  type Answer = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[] };
  const ask = (lookup: LookupFunction, host: string, all: boolean) =>
    new Promise<Answer>((resolve) => lookup(host, all ? { all: true } : {}, (err, address) => resolve({ err, address })));

  it.each(['169.254.169.254', '10.0.0.1', '192.168.1.1', '100.100.100.200', 'fd00:ec2::254', 'fe80::1', '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe'])(
    'refuses a name resolving to %s',
    async (address) => {
      const guard = createGuardedLookup(allow, fakeDns({ 'meta.test': [address] }));
      for (const all of [true, false]) {
        const { err, address: answered } = await ask(guard, 'meta.test', all);
        expect(err).toBeInstanceOf(FetchError);
        expect((err as FetchError).code).toBe('blocked_address');
        expect(answered).not.toContain(address);
      }
    },
  );

  it('refuses when one of several addresses is internal, and answers in the shape asked for otherwise', async () => {
    const dns = fakeDns({ mixed: ['93.184.215.14', '10.0.0.1'], good: ['93.184.215.14', '127.0.0.1', '2606:4700::1'] });
    const guard = createGuardedLookup(allow, dns);
    expect((await ask(guard, 'mixed', true)).err).toBeInstanceOf(FetchError);
    expect(await ask(guard, 'good', true)).toEqual({
      err: null,
      address: [
        { address: '93.184.215.14', family: 4 },
        { address: '127.0.0.1', family: 4 },
        { address: '2606:4700::1', family: 6 },
      ],
    });
    expect(await ask(guard, 'good', false)).toEqual({ err: null, address: '93.184.215.14' });
  });

  it('copes with a resolver that ignores `all`, and passes resolver errors through', async () => {
    const single: LookupFunction = (_host, _options, callback) => callback(null, '10.0.0.1', 4);
    expect((await ask(createGuardedLookup(allow, single), 'x', true)).err).toBeInstanceOf(FetchError);
    const { err } = await ask(createGuardedLookup(allow, fakeDns({})), 'missing.test', true);
    expect(err?.code).toBe('ENOTFOUND');
  });
});

describe('network failures', () => {
  it('reports a name that does not resolve as dns_error', async () => {
    const err = await failure(fetcherWith({ lookup: fakeDns({}) }).fetch('http://nowhere.test/feed'));
    expect(err.code).toBe('dns_error');
    expect(err.message).toContain('nowhere.test');
    expect(err.cause).toBeDefined();
  });

  it('reports a closed port as connection_refused', async () => {
    const gone = await startFeedServer();
    const url = gone.url('/feed');
    await gone.close();
    const err = await failure(fetcherWith().fetch(url));
    expect(err.code).toBe('connection_refused');
  });

  it('reports a connection cut mid-body as connection_reset', async () => {
    server.route('/cut', (_req, res) => {
      res.writeHead(200, { 'content-length': '10000' });
      res.write('<rss>', () => res.socket?.destroy());
    });
    const err = await failure(fetcherWith().fetch(server.url('/cut')));
    expect(err.code).toBe('connection_reset');
  });

  it('reports an untrusted certificate as tls_error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fetcher-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      const tls = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) =>
        res.end(RSS),
      );
      await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
      const { port } = tls.address() as AddressInfo;
      const fetcher = fetcherWith({ lookup: fakeDns({ 'secure.test': ['127.0.0.1'] }) });
      const err = await failure(fetcher.fetch(`https://secure.test:${port}/feed`));
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
      expect(err.code).toBe('tls_error');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
