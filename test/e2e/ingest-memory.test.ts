// The hub's memory while it polls hostile feeds. The real hub runs as a child process (so that its
// resident set is its own), with a temp data folder, and polls feeds served on loopback (one host,
// so two at once: the hub's limit per host): a body at the size cap, a gzip bomb, 20,000 items, deep
// nesting, an endless stream and a "billion laughs" DTD. The test samples the child's
// VmRSS while it registers and polls them, reads the kernel's own peak (VmHWM) at the end, and
// checks the hub kept answering GET /healthz meanwhile.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ITEMS_PER_DOCUMENT } from '../../shared/core/parse.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { hostileFeeds, residentMb } from '../helpers/hostile-feeds.ts';

const ADMIN = 'memory-test-admin-token-0123456789';
const LIMIT_MB = 400;
const ROOT = join(import.meta.dirname, '../..');
// More hosts read more big feeds at once (HOSTS=127.0.0.1,127.0.0.2 measures that; see docs/ingest-limits.md).
const HOSTS = (process.env.HOSTS ?? '127.0.0.1').split(',');

interface Hub {
  child: ChildProcess;
  url: string;
  dataDir: string;
}

async function startHubProcess(): Promise<Hub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'icat-hub-mem-'));
  // As `npm start` runs it: the same node options (the heap bound) and the same entry point.
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  expect(start[0]).toBe('node');
  const child = spawn(process.execPath, start.slice(1), {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_TOKEN: ADMIN,
      ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
      POLL_INTERVAL: '1d',
      FETCH_TIMEOUT: '30s',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d) => (out += d));
  // The scheduler's first cycle runs a second after start, with no feeds yet; waiting for it keeps
  // it from taking the feeds registered below away from the test's own poll.
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /running at (http:\/\/\S+?)\/?\s/.exec(out);
      // In process: the cycle's own log line; in the Lambda topology: the poll scheduler's.
      if (m && /"poll cycle (done|scheduled)"/.test(out)) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}: ${out}`)));
  });
  if (process.env.HUB_LOG) child.stdout!.on('data', (d) => process.stderr.write(`[hub] ${d}`));
  return { child, url, dataDir };
}

describe('memory while polling hostile feeds', () => {
  let hub: Hub;
  const servers: FeedServer[] = [];
  const api = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(hub.url + path, {
      method,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    const routes = hostileFeeds();
    for (const host of HOSTS) servers.push(await startFeedServer(routes, { host }));
    hub = await startHubProcess();
  }, 60_000);

  afterAll(async () => {
    if (hub?.child.exitCode === null) {
      const exited = new Promise((r) => hub.child.once('exit', r));
      hub.child.kill('SIGTERM');
      const timer = setTimeout(() => hub.child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
    for (const server of servers) await server.close();
  });

  it(`stays under ${LIMIT_MB} MB resident and answers /healthz while it registers and polls them`, async () => {
    const pid = hub.child.pid!;
    const idle = residentMb(pid, 'VmRSS');
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, residentMb(pid, 'VmRSS'))), 25);
    try {
      const member = await api('POST', '/api/members', ADMIN, { id: 'unodc', name: 'UNODC', email: 'feeds@unodc.example', domains: HOSTS });
      expect(member.status).toBe(201);
      const key = member.json.api_key as string;
      // Registration fetches and parses each feed as a poll does: its memory counts as well.
      const refused: Record<string, string> = {};
      for (const server of servers) {
        for (const path of ['/items.xml', '/cap.xml', '/bomb.xml', '/deep.xml', '/endless.xml', '/laughs.xml']) {
          const res = await api('POST', '/api/feeds', key, { url: server.url(path) });
          if (res.status !== 201) refused[path] = res.json.error.code;
        }
      }
      expect(refused).toEqual({ '/bomb.xml': 'too_large', '/endless.xml': 'too_large', '/deep.xml': 'unsupported_format', '/laughs.xml': 'declared_entities' });

      console.log(`hub resident after registering the feeds: peak ${residentMb(pid, 'VmHWM').toFixed(0)} MB`);
      let healthy = 0;
      let polling = true;
      type Day = { checks: number; errors: number };
      const today = async () =>
        new Map(((await api('GET', '/api/health/feeds', ADMIN)).json.items as { url: string; history: Day[] }[]).map((f) => [f.url, f.history.at(-1) ?? { checks: 0, errors: 0 }]));
      const before = await today();
      const poll = api('POST', '/api/poll', ADMIN)
        .then(async (res) => {
          if (res.status === 200) return res;
          // The Lambda topology queues every feed for the poll workers (202): done once each feed has been checked once more.
          expect(res.status).toBe(202);
          for (;;) {
            const now = await today();
            const polled = [...before].filter(([url, day]) => (now.get(url)?.checks ?? 0) > day.checks);
            if (polled.length === before.size) return { status: 200, json: { feeds_polled: polled.length, errors: polled.filter(([url, day]) => now.get(url)!.errors > day.errors).length } };
            await new Promise((r) => setTimeout(r, 50));
          }
        })
        .finally(() => (polling = false));
      while (polling) {
        const res = await fetch(`${hub.url}/healthz`);
        await res.text();
        if (res.status === 200 && polling) healthy++;
        await new Promise((r) => setTimeout(r, 20));
      }
      const summary = (await poll).json;
      peak = Math.max(peak, residentMb(pid, 'VmHWM'));
      console.log(`hub resident: ${idle.toFixed(0)} MB idle, ${peak.toFixed(0)} MB at the peak; /healthz answered ${healthy} times during the poll`);

      expect(summary.feeds_polled).toBe(2 * HOSTS.length);
      expect(summary.errors).toBe(0);
      const feeds = (await api('GET', '/api/health/feeds', ADMIN)).json.items as { url: string; status: string; items_seen: number; items_limited: unknown }[];
      // Both hosts serve the same items: the publications are shared (credited to both feeds).
      const items = feeds.filter((f) => f.url.endsWith('/items.xml'));
      expect(items.map((f) => [f.status, f.items_limited])).toEqual(HOSTS.map(() => ['ok', { items_in_document: 20_000, items_taken: MAX_ITEMS_PER_DOCUMENT }]));
      expect(items.reduce((n, f) => n + f.items_seen, 0)).toBe(MAX_ITEMS_PER_DOCUMENT);
      expect(healthy).toBeGreaterThan(0);
      expect(peak).toBeLessThan(LIMIT_MB);
    } finally {
      clearInterval(sampler);
    }
  }, 180_000);
});
