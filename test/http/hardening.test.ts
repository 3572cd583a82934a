// What a hostile or careless client sends, over real sockets to a real local hub (node:http,
// dynalite): malformed percent-encoding, bodies and headers over the limits, bodies not declared JSON,
// and a member's malformed enclosure URL. Each gets an answer (JSON for the API and feeds, the site's
// HTML page for a browser asking for a page), never a 500 or a reset connection.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeServer } from '../../shared/http/node-adapter.ts';
import { MAX_BODY_BYTES } from '../../shared/http/types.ts';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.ts';
import { samplePublication } from '../helpers/publications.ts';

let hub: TestHub;
const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'accept-language': 'fr' };

/** One request over a fresh socket; the body is streamed in chunks (no Content-Length) when `chunked`. */
function raw(base: string, method: string, path: string, options: { headers?: Record<string, string>; body?: Buffer; chunked?: boolean } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers: { connection: 'close', ...options.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body && options.chunked) {
      const body = options.body;
      let at = 0;
      const pump = () => {
        while (at < body.length) {
          const more = req.write(body.subarray(at, (at += 64 * 1024)));
          if (!more) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    } else req.end(options.body);
  });
}

beforeAll(async () => {
  hub = await startTestHub({ PUBLIC_RATE_LIMIT: '0' });
});

afterAll(async () => {
  await hub?.close();
});

describe('malformed percent-encoding in the path', () => {
  it('answers 400 with the JSON error on API and feed routes', async () => {
    for (const path of ['/api/feeds/%ZZ', '/api/members/%', '/api/members/%ED%A0%80', '/feeds/members/%ZZ.atom']) {
      const res = await raw(hub.url, 'GET', path, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect([path, res.status, res.headers['content-type']]).toEqual([path, 400, 'application/json; charset=utf-8']);
      expect(JSON.parse(res.text).error.code).toBe('invalid_path');
    }
  });

  it('answers 400 with the site\'s page, in the reader\'s language, to a browser asking for a page', async () => {
    const res = await raw(hub.url, 'GET', '/directory/%ZZ', { headers: browser });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('Cette adresse n’est pas valide');
    // The API stays JSON even for a browser.
    const api = await raw(hub.url, 'GET', '/api/members/%', { headers: browser });
    expect([api.status, api.headers['content-type']]).toEqual([400, 'application/json; charset=utf-8']);
  });

  it('reads `//` at the start of a path as a path, not as a host', async () => {
    // Read as a URL, this would be host "hub.invalid" and path /api/members: the member list.
    const res = await raw(hub.url, 'GET', '//hub.invalid/api/members');
    expect(res.status).toBe(404);
  });
});

describe('a member\'s malformed enclosure URL', () => {
  it('shows the latest-publications page, with the file name as sent', async () => {
    const pub = { ...samplePublication(0, new Date('2026-11-20T12:00:00Z')), enclosures: [{ url: 'https://x.org/report%zz.pdf', type: 'application/pdf', length: 1000 }] };
    await hub.runtime.ctx.store.createPublications([pub], '2999-01-01T00:00:00.000Z');
    hub.publicationsChanged();
    const res = await raw(hub.url, 'GET', '/', { headers: browser });
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="https://x.org/report%zz.pdf"');
    expect(res.text).toContain('report%zz.pdf');
  });
});

describe('bodies over the limit', () => {
  const big = Buffer.alloc(10 * 1024 * 1024, 0x20);
  it('answers a 10 MB JSON body 413 with the limit, with or without Content-Length, on a connection still open to read it', async () => {
    for (const chunked of [false, true]) {
      const res = await raw(hub.url, 'POST', '/api/members', { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: big, chunked });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.text).error).toMatchObject({ code: 'body_too_large', details: { limit_bytes: MAX_BODY_BYTES } });
    }
    // fetch (undici) too: it reads the answer rather than failing on a reset.
    const res = await fetch(`${hub.url}/api/members`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: big });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { details: { limit_bytes: number } } }).error.details.limit_bytes).toBe(MAX_BODY_BYTES);
  });

  it('answers a browser\'s oversized form post with the page', async () => {
    const res = await raw(hub.url, 'POST', '/subscribe', { headers: { ...browser, 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.alloc(2 * 1024 * 1024, 0x61), chunked: true });
    expect([res.status, res.headers['content-type']]).toEqual([413, 'text/html; charset=utf-8']);
    expect(res.text).toContain('L’envoi est trop volumineux');
  });
});

describe('a request line or headers over the limit', () => {
  it('answers a 100 KB URL 431 with the JSON error and the limit', async () => {
    const res = await raw(hub.url, 'GET', `/api/publications?q=${'a'.repeat(100 * 1024)}`);
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.text).error).toMatchObject({ code: 'headers_too_large', details: { limit_bytes: 16 * 1024 } });
  });

  it('answers a 100 KB page address 431 with the page, though the Accept header is beyond what was read', async () => {
    const res = await raw(hub.url, 'GET', `/directory?x=${'a'.repeat(100 * 1024)}`, { headers: browser });
    expect([res.status, res.headers['content-type']]).toEqual([431, 'text/html; charset=utf-8']);
  });

  it('answers a 100 KB header 431 with the page to a browser asking for a page', async () => {
    const res = await raw(hub.url, 'GET', '/directory', { headers: { ...browser, cookie: `x=${'b'.repeat(100 * 1024)}` } });
    expect([res.status, res.headers['content-type']]).toEqual([431, 'text/html; charset=utf-8']);
    expect(res.text).toContain('Cette adresse est trop longue');
    const api = await raw(hub.url, 'GET', '/api/members', { headers: { ...browser, 'x-big': 'b'.repeat(100 * 1024) } });
    expect([api.status, api.headers['content-type']]).toEqual([431, 'application/json; charset=utf-8']);
  });
});

describe('bodies not declared JSON', () => {
  it('answers 415 to text/plain and form bodies on JSON endpoints', async () => {
    const body = Buffer.from(JSON.stringify({ id: 'plain', name: 'Plain', email: 'feeds@plain.example' }));
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', '']) {
      const res = await raw(hub.url, 'POST', '/api/members', { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(type && { 'content-type': type }) }, body });
      expect([type, res.status, JSON.parse(res.text).error.code]).toEqual([type, 415, 'unsupported_media_type']);
    }
    const subscription = await raw(hub.url, 'POST', '/api/subscriptions', { headers: { 'content-type': 'text/plain' }, body: Buffer.from('{"email":"a@example.org"}') });
    expect(subscription.status).toBe(415);
    expect((await raw(hub.url, 'GET', '/api/members/plain', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(404);
    const json = await raw(hub.url, 'POST', '/api/members', { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json; charset=utf-8' }, body });
    expect(json.status).toBe(201);
  });
});

describe('several cookies on one response', () => {
  it('sends each as its own Set-Cookie header', async () => {
    const server = createNodeServer(async () => ({ status: 200, headers: { 'content-type': 'text/plain', 'set-cookie': 'a=1' }, cookies: ['b=2', 'c=3'], body: 'ok' }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
      expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2', 'c=3']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
