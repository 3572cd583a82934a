// An idle cycle over 1,000 unchanged feeds (every answer a 304) against 1,000 bare conditional GETs at
// the same concurrency, counting every write the cycle makes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDynamoStore } from '../shared/adapters/dynamo/index.ts';
import { createHttpFetcher } from '../shared/adapters/http-fetcher.ts';
import { inProcessLease } from '../shared/adapters/poll-leases.ts';
import type { HubContext } from '../shared/app/context.ts';
import { runLimited } from '../shared/app/limiter.ts';
import { runPollCycle } from '../shared/app/poll-cycle.ts';
import { silentLogger } from '../shared/log.ts';
import type { Feed } from '../shared/model.ts';
import { parseCidrList } from '../shared/net/addresses.ts';
import { startScratchTable as startTestDynamo } from '../local/scratch-table.ts';
import { interleave, time, type Result } from './stats.ts';

const FEEDS = 1000;
const CONCURRENCY = 8;
const body = (path: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.org/</link><description>d</description><item><title>x</title><link>https://example.org${path}</link></item></channel></rss>`;

export async function benchIdleCycle(): Promise<Result[]> {
  const server = http.createServer((req, res) => {
    if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { etag: '"v1"' }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(body(req.url ?? '/'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const dynamo = await startTestDynamo();
  let writes = 0;
  dynamo.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (/Put|Update|Delete|BatchWrite/.test(String(context.commandName))) writes += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countWrites' },
  );
  let clock = new Date('2026-11-20T00:00:00Z');
  const store = createDynamoStore(dynamo.client, dynamo.tableName);
  // A hundred host names (two requests at most at once per host), all on this machine.
  const lookup = ((_host: string, options: unknown, cb: (...a: unknown[]) => void) => {
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    if (all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
    else cb(null, '127.0.0.1', 4);
  }) as never;
  const ctx: HubContext = {
    store,
    fetcher: createHttpFetcher({ allowPrivateNetworks: parseCidrList('127.0.0.1/32'), lookup }),
    notifier: { announce: async (p) => ({ announced: p.map((x) => x.id), failed: [] }) },
    lease: inProcessLease(),
    log: silentLogger,
    now: () => clock,
    pollIntervalSeconds: 900,
    pollConcurrency: CONCURRENCY,
  };
  const feeds: Feed[] = Array.from({ length: FEEDS }, (_, i) => ({
    id: `f${i}`,
    memberId: `m${i % 30}`,
    url: `http://feeds-${i % 100}.bench.test:${port}/feed/${i}.xml`,
    status: 'ok',
    createdAt: clock.toISOString(),
    consecutiveErrors: 0,
    nextPollAt: clock.toISOString(),
    itemsSeen: 0,
  }));
  // The baseline sends the same requests (same URLs, same name resolution, keep-alive) with nothing
  // around them: no guard, no headers beyond the conditional one, no parsing, no state.
  const agent = new http.Agent({ keepAlive: true });
  const bareGet = (url: string) =>
    new Promise<void>((resolve, reject) => {
      http.get(url, { agent, lookup, headers: { 'if-none-match': '"v1"' } }, (res) => res.resume().on('end', resolve)).on('error', reject);
    });
  try {
    await runLimited(feeds, { concurrency: 8 }, (f) => store.createFeed(f));
    // First the feeds' first poll (200), then their first 304 (recorded); from then on, idle.
    for (let i = 0; i < 2; i += 1) {
      clock = new Date(clock.getTime() + 900_000);
      await runPollCycle(ctx);
    }
    let cycleWrites = 0;
    let polled = 0;
    const { baseline, subject } = await interleave(
      7,
      1,
      () => time(() => runLimited(feeds, { concurrency: CONCURRENCY }, (f) => bareGet(f.url))),
      async () => {
        clock = new Date(clock.getTime() + 900_000);
        writes = 0;
        const ms = await time(async () => {
          const summary = await runPollCycle(ctx);
          polled = summary.notModified;
        });
        cycleWrites = Math.max(cycleWrites, writes);
        return ms;
      },
    );
    const ratio = subject / baseline;
    return [
      {
        name: `idle cycle, ${FEEDS} feeds all 304 (concurrency ${CONCURRENCY})`,
        value: Math.round(subject),
        unit: 'ms',
        baseline: Math.round(baseline),
        ratio,
        target: '<= 1.5',
        ok: ratio <= 1.5 && cycleWrites === 0 && polled === FEEDS,
        note: `${polled} feeds answered 304; ${cycleWrites} writes (0 publication writes) in the slowest cycle`,
      },
    ];
  } finally {
    agent.destroy();
    server.close();
    await dynamo.teardown();
  }
}
