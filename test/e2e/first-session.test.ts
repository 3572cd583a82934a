// The README's quick start and first session, as a newcomer runs them: `icat-hub serve` as a real
// process (banner first, one origin), then member, feed on this machine, approval, poll, merged feed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendBody, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
// The feed the README serves from the checkout.
const FIXTURE = readFileSync(join(ROOT, 'test/fixtures/feeds/rss2-enclosures.xml'));

let feeds: FeedServer;
let child: ChildProcess;
let stdout = '';
const dataDir = mkdtempSync(join(tmpdir(), 'first-session-'));

/** Resolves once stdout holds every one of `texts`; rejects if the process ends first. */
function waitFor(...texts: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const check = () => {
      if (texts.every((t) => stdout.includes(t))) {
        child.stdout!.off('data', check);
        child.off('exit', ended);
        resolvePromise();
      }
    };
    const ended = (code: number | null) => reject(new Error(`icat-hub serve ended (${code}) before printing ${JSON.stringify(texts)}:\n${stdout}`));
    child.stdout!.on('data', check);
    child.once('exit', ended);
    check();
  });
}

beforeAll(async () => {
  feeds = await startFeedServer({ '/rss2-enclosures.xml': sendBody(FIXTURE, { 'content-type': 'application/rss+xml' }) });
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATA_DIR: dataDir, ALLOW_PRIVATE_NETWORKS: '127.0.0.1/32', LOG_LEVEL: 'info' };
  for (const k of ['ADMIN_TOKEN', 'PUBLIC_URL', 'SMTP_URL', 'HOST']) delete env[k];
  child = spawn(process.execPath, ['--import', 'tsx', 'local/cli/run.ts', 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.resume();
  await waitFor('Press Ctrl-C to stop.', 'seeded ICAT member list');
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await feeds?.close();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('icat-hub serve, as the README shows it', () => {
  it('prints the banner before any log line, with PUBLIC_URL as the one origin', () => {
    const lines = stdout.split('\n');
    const banner = lines.findIndex((l) => l.startsWith('ICAT Syndication Hub'));
    expect(banner).toBeGreaterThanOrEqual(0);
    expect(lines.slice(0, banner).filter((l) => l.trim() !== '')).toEqual([]);
    const end = lines.indexOf('Press Ctrl-C to stop.');
    const origin = /^ICAT Syndication Hub running at (http:\/\/localhost:\d+)\/$/.exec(lines[banner]!)?.[1];
    expect(origin).toBeDefined();
    const text = lines.slice(banner, end).join('\n');
    expect(text).not.toContain('127.0.0.1');
    for (const url of text.match(/https?:\/\/[^\s)]+/g) ?? []) expect(url.startsWith(origin!)).toBe(true);
    expect(lines.findIndex((l) => l.includes('seeded ICAT member list'))).toBeGreaterThan(end);
  });

  it('ends the first session with the feed on this machine in the merged feed', async () => {
    const origin = /running at (http:\/\/localhost:\d+)\//.exec(stdout)![1]!;
    const admin = /admin token\s+(iha_\S+)/.exec(stdout)![1]!;
    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(origin + path, {
        method,
        headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, text, json: text.startsWith('{') ? JSON.parse(text) : undefined };
    };
    const created = await call('POST', '/api/members', admin, { id: 'unodc', name: 'UNODC', email: 'feeds@example.org', domains: ['unodc.org'] });
    expect(created.status).toBe(201);
    const key = created.json.api_key as string;

    const feedUrl = feeds.url('/rss2-enclosures.xml');
    const byName = await call('POST', '/api/feeds', key, { url: feedUrl.replace('127.0.0.1', 'localhost') });
    expect([byName.status, byName.json.error.code]).toEqual([422, 'blocked_address']);
    expect(byName.json.error.message).toContain(`use ${feedUrl}`);

    const registered = await call('POST', '/api/feeds', key, { url: feedUrl });
    expect(registered.status).toBe(201);
    expect(registered.json.feed.status).toBe('pending');
    expect((await call('POST', `/api/feeds/${registered.json.feed.id}/approve`, admin)).status).toBe(200);

    const feedId = registered.json.feed.id as string;
    type Day = { checks: number; new_items: number };
    const history = async () => (await call('GET', `/api/feeds/${feedId}`, key)).json.history as Day[];
    const sum = (days: Day[], field: keyof Day) => days.reduce((n, d) => n + d[field], 0);
    const checksBefore = sum(await history(), 'checks');
    const polled = await call('POST', '/api/poll', admin);
    if (polled.status === 202) {
      // The Lambda topology (the default): the feed is queued for the poll worker, as in AWS; the feed's health shows when it has been polled.
      expect(polled.json.queued).toBe(1);
      while (sum(await history(), 'checks') === checksBefore) await new Promise((r) => setTimeout(r, 50));
      expect(sum(await history(), 'new_items')).toBeGreaterThan(0);
    } else {
      expect(polled.status).toBe(200);
      expect(polled.json.new_publications).toBeGreaterThan(0);
    }
    const merged = await call('GET', '/feeds/all.atom');
    expect(merged.status).toBe(200);
    expect(merged.text).toContain('Working Paper 12: Trade & Climate');
  });
});
