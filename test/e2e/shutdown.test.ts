// A SIGTERM to the hub's whole process group (what a service manager or a container runtime sends)
// while a poll is in progress: the hub stops taking work, lets the poll finish, mails what is left,
// and stops its embedded database last. Real processes: the hub is started the way an operator does
// (`node bin/icat-hub.js serve`, `npm start`), its feed is served on loopback and held open until
// the signal has been sent.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { ADMIN_TOKEN, rss, startTestHub } from '../helpers/hub.ts';
import { PortalClient } from '../helpers/portal-client.ts';
import { createLogger } from '../../shared/log.ts';

const ROOT = resolve(import.meta.dirname, '../..');

interface HubProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves with the exit code once the process has exited and its output is closed. */
  exited: Promise<number | null>;
}

async function spawnHub(command: string, args: string[], env: Record<string, string>): Promise<HubProcess> {
  // detached: the hub leads a process group of its own, which the test signals as a whole.
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    const check = () => {
      const m = /running at (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) done(m[1]!);
    };
    child.stdout!.on('data', check);
    void exited.then(() => fail(new Error(`the hub exited before listening:\n${out}`)));
  });
  return { child, url, output: () => out, exited };
}

async function api(url: string, method: string, path: string, token: string, body?: unknown): Promise<any> {
  const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}

// The hub's own log lines and the functions' (Powertools: "ERROR").
const errorLines = (out: string) => out.split('\n').filter((l) => /"level":"error"/i.test(l) || /\bError\b|ECONNREFUSED/.test(l));
/** The topology `icat-hub serve` runs: the Lambda handlers unless HUB_TOPOLOGY=in-process. */
const lambda = process.env.HUB_TOPOLOGY !== 'in-process';

describe('stopping the hub with SIGTERM to its process group during a poll', () => {
  let feeds: FeedServer;
  const items = [{ guid: 'a', title: 'Before the stop', link: 'https://unodc.example/a' }];
  /** While set, a feed request waits for it: the poll is in progress until the test lets it go. */
  let gate: { reached: () => void; reachedP: Promise<void>; release: () => void; releaseP: Promise<void> } | undefined;
  const dirs: string[] = [];

  const newGate = () => {
    let reached!: () => void;
    let release!: () => void;
    const reachedP = new Promise<void>((r) => (reached = r));
    const releaseP = new Promise<void>((r) => (release = r));
    gate = { reached, reachedP, release, releaseP };
    return gate;
  };

  beforeAll(async () => {
    feeds = await startFeedServer({
      '/unodc.xml': async (_req, res) => {
        const g = gate;
        if (g) {
          g.reached();
          await g.releaseP;
        }
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(rss('UNODC', items));
      },
    });
  });

  afterAll(async () => {
    gate?.release();
    await feeds?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** Starts a hub, registers the feed, starts a poll that hangs on the feed; returns when the feed was asked. */
  async function hubPolling(command: string, args: string[], extraEnv: Record<string, string> = {}) {
    const dataDir = mkdtempSync(join(tmpdir(), 'icat-hub-stop-'));
    dirs.push(dataDir);
    gate = undefined;
    items.splice(1);
    const hub = await spawnHub(command, args, { PORT: '0', DATA_DIR: dataDir, ADMIN_TOKEN, ALLOW_PRIVATE_NETWORKS: '127.0.0.1/32', LOG_LEVEL: 'info', POLL_INTERVAL: '1h', ...extraEnv });
    const member = await api(hub.url, 'POST', '/api/members', ADMIN_TOKEN, { id: 'unodc', name: 'UNODC', email: 'feeds@unodc.example', domains: ['127.0.0.1'] });
    const reg = await api(hub.url, 'POST', '/api/feeds', member.api_key, { url: feeds.url('/unodc.xml') });
    expect(reg.feed.status).toBe('ok');
    items.push({ guid: 'b', title: 'Found by the poll in progress', link: 'https://unodc.example/b' });
    const g = newGate();
    // The admin's "poll now": its request is in progress when the signal comes.
    const poll = fetch(`${hub.url}/api/poll`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }).then((r) => r.status, () => 'failed');
    await g.reachedP;
    return { hub, dataDir, gate: g, poll };
  }

  async function storedTitles(dataDir: string): Promise<string[]> {
    const again = await startTestHub({ DATA_DIR: dataDir });
    try {
      return (await again.runtime.ctx.store.listPublications({ limit: 50 })).items.map((p) => p.title).sort();
    } finally {
      await again.stop();
    }
  }

  it('node bin/icat-hub.js serve: finishes the poll, exits 0, logs no error', async () => {
    const { hub, dataDir, gate: g, poll } = await hubPolling(process.execPath, ['bin/icat-hub.js', 'serve']);
    process.kill(-hub.child.pid!, 'SIGTERM');
    // A launcher passing the signal on: a second SIGTERM must not cut the stop short.
    while (!hub.output().includes('SIGTERM received')) await new Promise((r) => setImmediate(r));
    process.kill(-hub.child.pid!, 'SIGTERM');
    g.release();
    expect(await hub.exited).toBe(0);
    // In the Lambda topology "poll now" queues the feed (202) and the poll worker polls it; else the request polls.
    expect(await poll).toBe(lambda ? 202 : 200);
    expect(errorLines(hub.output())).toEqual([]);
    expect(hub.output()).toContain('Stopped cleanly.');
    expect(hub.output()).toMatch(lambda ? /"message":"feed polled".*"new_count":2/ : /"message":"poll cycle done".*"new_count":2/);
    expect(await storedTitles(dataDir)).toEqual(['Before the stop', 'Found by the poll in progress']);
  }, 60_000);

  it('npm start: the whole group (npm, the hub) gets the signal; the poll still finishes', async () => {
    const { hub, dataDir, gate: g } = await hubPolling('npm', ['start', '--silent']);
    process.kill(-hub.child.pid!, 'SIGTERM');
    while (!hub.output().includes('SIGTERM received')) await new Promise((r) => setImmediate(r));
    g.release();
    await hub.exited;
    // npm itself ends by the signal; what counts is the hub's own stop.
    expect(errorLines(hub.output())).toEqual([]);
    expect(hub.output()).toContain('Stopped cleanly.');
    expect(await storedTitles(dataDir)).toEqual(['Before the stop', 'Found by the poll in progress']);
  }, 60_000);

  it('a poll that hangs does not hold the stop beyond SHUTDOWN_GRACE', async () => {
    const { hub, gate: g } = await hubPolling(process.execPath, ['bin/icat-hub.js', 'serve'], { SHUTDOWN_GRACE: '1s', FETCH_TIMEOUT: '1h' });
    process.kill(-hub.child.pid!, 'SIGTERM');
    expect(await hub.exited).toBe(0);
    g.release();
    expect(hub.output()).toMatch(/"level":"warn".*grace period ran out.*"task_count":\d/);
    expect(hub.output()).toContain('unfinished task(s) abandoned');
    expect(errorLines(hub.output())).toEqual([]);
  }, 60_000);
});

describe('stopping the hub in-process while the admin pages poll in the background', () => {
  it('waits for the poll the web page started, and logs no error', async () => {
    let reached!: () => void;
    let release!: () => void;
    const reachedP = new Promise<void>((r) => (reached = r));
    const releaseP = new Promise<void>((r) => (release = r));
    let held = false;
    const server = await startFeedServer({
      '/iom.xml': async (_req, res) => {
        if (held) {
          reached();
          await releaseP;
        }
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('IOM', [{ guid: '1', title: 'Found by the background poll', link: 'https://iom.example/1' }]));
      },
    });
    const lines: string[] = [];
    const dataDir = mkdtempSync(join(tmpdir(), 'icat-hub-stop-web-'));
    const hub = await startTestHub({ DATA_DIR: dataDir }, { log: createLogger({ level: 'info', write: (l) => lines.push(l) }) });
    try {
      const admin = new PortalClient(hub.url);
      await admin.visit('/admin');
      expect((await admin.post('/admin/sign-in', { token: ADMIN_TOKEN })).location).toBe('/admin');
      const member = await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id: 'iom', name: 'IOM', email: 'feeds@iom.example', domains: ['127.0.0.1'] } });
      expect((await hub.api('POST', '/api/feeds', { token: member.json.api_key, body: { url: server.url('/iom.xml') } })).status).toBe(201);
      held = true;
      // With script: 202 at once, the poll runs on after its request.
      expect((await admin.post('/admin/poll', {}, { headers: { accept: 'application/json' } })).status).toBe(202);
      await reachedP;
      const stopped = hub.stop();
      release();
      expect(await stopped).toEqual({ abandoned: 0 });
      expect(lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'error')).toEqual([]);
      const again = await startTestHub({ DATA_DIR: dataDir });
      try {
        expect((await again.runtime.ctx.store.listPublications({ limit: 10 })).items.map((p) => p.title)).toEqual(['Found by the background poll']);
      } finally {
        await again.stop();
      }
    } finally {
      release();
      await hub.stop();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
