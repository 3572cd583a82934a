// The Lambda poll worker's memory (512 MB in the stack) on a full batch of hostile feeds. The handler
// runs in a child process (so that its resident set is its own) against dynalite, fauxqs and feed
// servers on loopback run by this process: eight feeds, 20,000 items or a body at the size cap each,
// on four hosts, so that the worker reads all eight at once (its default concurrency).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePollMessage } from '../../lambda/poll-queue.ts';
import { heapLimitMb } from '../../infra/bundling.ts';
import { MAX_ITEMS_PER_DOCUMENT } from '../../shared/core/parse.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { hostileFeeds, residentMb } from '../helpers/hostile-feeds.ts';
import { drain, feed, sqsEvent, startLambdaTestEnv, type LambdaTestEnv } from '../functions/harness.ts';

const LAMBDA_MB = 512;
const HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];

let t: LambdaTestEnv;
const servers: FeedServer[] = [];
let dir: string;

beforeAll(async () => {
  t = await startLambdaTestEnv();
  const routes = hostileFeeds();
  for (const host of HOSTS) servers.push(await startFeedServer(routes, { host }));
  dir = mkdtempSync(join(tmpdir(), 'icat-worker-mem-'));
}, 60_000);

afterAll(async () => {
  for (const server of servers) await server.close();
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('poll worker memory', () => {
  it(`polls a batch of eight huge feeds within ${LAMBDA_MB} MB`, async () => {
    const ids: string[] = [];
    for (const [k, server] of servers.entries()) {
      for (const path of ['/items.xml', '/cap.xml']) {
        const id = `f-${k}-${path.slice(1, -4)}`;
        await t.store.createFeed(feed(id, server.url(path)));
        await t.sqs.send(new SendMessageCommand({ QueueUrl: t.pollQueueUrl, MessageBody: encodePollMessage({ feedId: id }) }));
        ids.push(id);
      }
    }
    const eventFile = join(dir, 'event.json');
    writeFileSync(eventFile, JSON.stringify(sqsEvent(await drain(t.sqs, t.pollQueueUrl), t.pollQueueArn)));

    // With the heap bound the stack gives the function (infra/bundling.ts).
    const child = spawn(process.execPath, [`--max-old-space-size=${heapLimitMb(LAMBDA_MB)}`, '--import', 'tsx', 'test/helpers/invoke-poll-worker.ts', eventFile], {
      cwd: join(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH, ...t.env, ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', FETCH_TIMEOUT: '30s', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    let peak = 0;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, residentMb(child.pid!, 'VmRSS'));
      } catch {
        // The process has exited.
      }
    }, 25);
    const code = await new Promise((resolve) => child.once('exit', resolve));
    clearInterval(sampler);
    expect(code, out).toBe(0);
    const last = JSON.parse(out.trim().split('\n').at(-1)!) as { result: { batchItemFailures: unknown[] }; peakMb: number };
    peak = Math.max(peak, last.peakMb);
    console.log(`poll worker peak resident: ${peak.toFixed(0)} MB for a batch of ${ids.length} feeds`);

    expect(last.result.batchItemFailures).toEqual([]);
    for (const id of ids) {
      const f = await t.store.getFeed(id);
      expect(f?.status, id).toBe('ok');
      if (id.endsWith('items')) expect(f?.itemsInDocument).toBe(20_000);
    }
    expect((await t.store.listPublications({ limit: MAX_ITEMS_PER_DOCUMENT + 1 })).items.length).toBeGreaterThanOrEqual(MAX_ITEMS_PER_DOCUMENT);
    expect(peak).toBeLessThan(LAMBDA_MB);
  }, 180_000);
});
