// GET /feeds/all.atom from the hub's HTTP stack against node:http serving the same bytes from memory.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDynamoStore } from '../shared/adapters/dynamo/index.ts';
import { inProcessLease } from '../shared/adapters/poll-leases.ts';
import { planIngest } from '../shared/core/dedup.ts';
import { parseFeed } from '../shared/core/parse.ts';
import { createHttpApp } from '../shared/routes/http-app.ts';
import { createNodeServer } from '../shared/http/node-adapter.ts';
import { silentLogger } from '../shared/log.ts';
import { startScratchTable as startTestDynamo } from '../local/scratch-table.ts';
import { publicationFeed } from './fixtures.ts';
import { interleave, time, type Result } from './stats.ts';

const REQUESTS = 4000;
const CONCURRENCY = 16;

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function load(port: number, agent: http.Agent): Promise<void> {
  let sent = 0;
  const one = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/feeds/all.atom', agent }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
        res.resume().on('end', resolve);
      }).on('error', reject);
    });
  const worker = async () => {
    while (sent < REQUESTS) {
      sent += 1;
      await one();
    }
  };
  return Promise.all(Array.from({ length: CONCURRENCY }, worker)).then(() => undefined);
}

export async function benchServeFeed(): Promise<Result[]> {
  const dynamo = await startTestDynamo();
  const store = createDynamoStore(dynamo.client, dynamo.tableName);
  const items = parseFeed({ body: Buffer.from(publicationFeed(50)), url: 'https://www.example.org/feed' }).items;
  await store.createPublications(planIngest({ id: 'f', memberId: 'unodc' }, items, new Map(), '2026-11-20T00:00:00.000Z').create, '2026-11-20T00:00:00.000Z');
  const ctx = {
    store,
    fetcher: { fetch: async () => Promise.reject(new Error('unused')) },
    notifier: { announce: async () => ({ announced: [], failed: [] }) },
    lease: inProcessLease(),
    log: silentLogger,
    now: () => new Date(),
    pollIntervalSeconds: 900,
    pollConcurrency: 1,
  };
  // The per-client limit is off: the load comes from one address on purpose.
  const app = createHttpApp(ctx, { publicUrl: 'http://localhost:8787', adminToken: () => undefined, limits: { publicRateLimit: 0 } });
  const hub = createNodeServer(app.handle);
  const hubPort = await listen(hub);
  // The baseline serves exactly the bytes and headers the hub served.
  const { bytes, headers } = await new Promise<{ bytes: Buffer; headers: Record<string, string> }>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: hubPort, path: '/feeds/all.atom' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string' && !['connection', 'keep-alive', 'date'].includes(k)) h[k] = v;
        resolve({ bytes: Buffer.concat(chunks), headers: h });
      });
    }).on('error', reject);
  });
  const plain = http.createServer((_req, res) => void res.writeHead(200, headers).end(bytes));
  const plainPort = await listen(plain);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const { baseline, subject } = await interleave(5, 1, () => time(() => load(plainPort, agent)), () => time(() => load(hubPort, agent)));
    const ours = (REQUESTS / subject) * 1000;
    const base = (REQUESTS / baseline) * 1000;
    return [{ name: 'GET /feeds/all.atom (50 entries)', value: Math.round(ours), unit: 'requests/s', baseline: Math.round(base), ratio: ours / base, target: '>= 0.5', ok: ours / base >= 0.5, note: `${bytes.length} bytes per response` }];
  } finally {
    agent.destroy();
    hub.close();
    plain.close();
    await dynamo.teardown();
  }
}
