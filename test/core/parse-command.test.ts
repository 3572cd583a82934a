import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../local/cli/main.ts';
import { runParse, type ParseCommandIo } from '../../local/cli/parse-command.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/feeds/', import.meta.url));

// A real HTTP server on loopback serves fixtures; the injected fetchUrl is a real fetch to it.
let server: Server;
let origin = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/moved') {
      res.writeHead(301, { location: '/feeds/rss2-enclosures.xml' }).end();
      return;
    }
    const name = url.pathname.replace(/^\/feeds\//, '');
    readFile(`${FIXTURES}${name}`).then(
      (body) => res.writeHead(200, { 'content-type': url.searchParams.get('ct') ?? 'application/xml' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

function harness() {
  const out: string[] = [];
  const err: string[] = [];
  const io: ParseCommandIo = {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    readFile: (p) => readFile(p),
    fetchUrl: async (url) => {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return { body: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') ?? undefined, finalUrl: res.url };
    },
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('runParse', () => {
  it('prints the normalised feed of a file as pretty JSON', async () => {
    const h = harness();
    const code = await runParse([`${FIXTURES}rss2-enclosures.xml`, '--base-url', 'https://papers.example.org/feed.xml'], h.io);
    expect(code).toBe(0);
    expect(h.out()).toContain('\n  "format": "rss"');
    const json = JSON.parse(h.out());
    expect(Object.keys(json)).toEqual(['format', 'title', 'link', 'items']);
    expect(json).toMatchObject({ format: 'rss', title: 'Policy Papers', link: 'https://papers.example.org/' });
    const first = json.items[0];
    expect(Object.keys(first)).toEqual(['id', 'guid', 'title', 'link', 'published', 'updated', 'summary', 'text', 'categories', 'enclosures', 'authors', 'language']);
    expect(first).toMatchObject({ guid: 'wp-12', published: '2024-01-15T10:00:00.000Z', updated: null, language: 'en-GB' });
    expect(first.enclosures[1]).toEqual({ url: 'https://papers.example.org/files/wp12-annex.pdf', type: 'application/pdf', length: null });
    expect(h.err()).toBe('');
  });

  it('prints null for a feed without a title (placeholders are for the pages)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parse-untitled-'));
    try {
      const file = join(dir, 'untitled.xml');
      await writeFile(file, '<rss version="2.0"><channel><link>https://x.example/</link><item><title>One</title><guid>1</guid></item></channel></rss>');
      const h = harness();
      expect(await runParse([file], h.io)).toBe(0);
      expect(JSON.parse(h.out()).title).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('without --base-url a file has no base beyond its own xml:base; warnings go to stderr', async () => {
    const h = harness();
    expect(await runParse([`${FIXTURES}rss2-enclosures.xml`], h.io)).toBe(0);
    // The relative enclosure "/files/wp12-annex.pdf" has nothing to resolve against.
    expect(JSON.parse(h.out()).items[0].enclosures.map((e: { url: string }) => e.url)).toEqual([
      'https://papers.example.org/files/wp12.pdf',
      'https://papers.example.org/files/wp12-slides.pdf',
    ]);
    const based = harness();
    expect(await runParse([`${FIXTURES}channel-base.rss`], based.io)).toBe(0);
    expect(JSON.parse(based.out()).items[0].link).toBe('https://chan.example.org/root/channel/items/one.html');
    expect(based.err()).toBe('warning: No item has a date; the hub dates such items when it first sees them.\n');
  });

  it('shows unparseable dates raw, and only then', async () => {
    const h = harness();
    expect(await runParse([`${FIXTURES}odd-dates.xml`], h.io)).toBe(0);
    const items: Record<string, unknown>[] = JSON.parse(h.out()).items;
    const feb31 = items.find((i) => i.title === 'February 31');
    expect(feb31).toMatchObject({ published: null, published_raw: 'Sat, 31 Feb 2024 10:00:00 GMT' });
    const est = items.find((i) => i.title === 'EST');
    expect(est).toMatchObject({ published: '2024-03-04T14:15:30.000Z' });
    expect(est).not.toHaveProperty('published_raw');
    expect(est).not.toHaveProperty('updated_raw');
  });

  it('fetches a URL, using its Content-Type charset and its final address as the base', async () => {
    const h = harness();
    const code = await runParse([`${origin}/feeds/charset-override.xml?ct=${encodeURIComponent('text/xml; charset=windows-1251')}`], h.io);
    expect(code).toBe(0);
    expect(JSON.parse(h.out()).items[0].title).toBe('Новости «кафе» № 5');

    const moved = harness();
    expect(await runParse([`${origin}/moved`], moved.io)).toBe(0);
    const annex = JSON.parse(moved.out()).items[0].enclosures[1];
    expect(annex.url).toBe(`${origin}/files/wp12-annex.pdf`);
  });

  it('exits 2 with a one-line reason for a file that is not a feed', async () => {
    for (const [name, pattern] of [
      ['html-page.html', /^error: This address returns a web page \(HTML\), not a feed/],
      ['bare-ampersand.xml', /^error: The feed is not well-formed XML.*line 4/],
    ] as const) {
      const h = harness();
      expect(await runParse([`${FIXTURES}${name}`], h.io)).toBe(2);
      expect(h.out()).toBe('');
      expect(h.err()).toMatch(pattern);
      expect(h.err().trimEnd().split('\n')).toHaveLength(1);
      expect(h.err()).not.toMatch(/\bat .*\.ts:\d+/);
    }
  });

  it('exits 1 when the source cannot be read', async () => {
    const missing = harness();
    expect(await runParse([`${FIXTURES}no-such-file.xml`], missing.io)).toBe(1);
    expect(missing.err()).toMatch(/^error: could not read .*no-such-file\.xml: .*ENOENT/);
    const notFound = harness();
    expect(await runParse([`${origin}/feeds/no-such-feed.xml`], notFound.io)).toBe(1);
    expect(notFound.err()).toMatch(/HTTP 404/);
  });

  it('prints usage for --help and rejects wrong usage with 64', async () => {
    const help = harness();
    expect(await runParse(['--help'], help.io)).toBe(0);
    expect(help.out()).toMatch(/^Usage: parse <file\|url> \[--base-url URL\] \[--help\]/);
    for (const argv of [[], ['a.xml', 'b.xml'], ['a.xml', '--nope'], ['a.xml', '--base-url'], ['a.xml', '--base-url', 'ftp://x.example/']]) {
      const h = harness();
      expect(await runParse(argv, h.io)).toBe(64);
      expect(h.err()).toMatch(/^error: /);
    }
  });

  it('accepts --base-url=URL, which also scopes the ids', async () => {
    const a = harness();
    const b = harness();
    await runParse([`${FIXTURES}missing-guids.xml`, '--base-url=https://one.example.org/feed'], a.io);
    await runParse([`${FIXTURES}missing-guids.xml`, '--base-url=https://two.example.org/feed'], b.io);
    const idsA = JSON.parse(a.out()).items.map((i: { id: string }) => i.id);
    const idsB = JSON.parse(b.out()).items.map((i: { id: string }) => i.id);
    // The linked item is identified by its link (global); the others by content scoped to the feed.
    expect(idsA[0]).toBe(idsB[0]);
    expect(idsA[1]).not.toBe(idsB[1]);
  });
});

describe('icat-hub exit codes', () => {
  it('answers every wrong usage with 64, whatever the command, and --help with 0', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      for (const argv of [[], ['frobnicate'], ['poll', '--bogus'], ['poll', 'extra'], ['serve', '--bogus'], ['serve', 'extra'], ['parse']]) {
        err.mockClear();
        expect([argv, await main(argv)]).toEqual([argv, 64]);
        expect(String(err.mock.calls[0]?.[0])).toMatch(/^error: /);
      }
      for (const argv of [['--help'], ['help'], ['serve', '--help'], ['poll', '--help'], ['parse', '--help']]) expect([argv, await main(argv)]).toEqual([argv, 0]);
      expect(out.mock.calls.map((c) => String(c[0])).join('')).toContain('64 wrong usage');
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });
});
