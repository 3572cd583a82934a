// The bundles as deployed, not the sources: each is built by infra/bundling.ts into a folder of the
// project (so that the AWS SDK resolves from node_modules as it does from the runtime's copy),
// imported by a fresh `node` and invoked with real events against dynalite, fauxqs and loopback
// feeds. This is what proves that the SDK left out of the bundles, the chunks loaded on first use,
// and the files shipped beside the code (charset tables, web assets) work together.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction, ENTRY_FILE, FUNCTIONS, NODE_OPTIONS, PROJECT_ROOT } from '../../infra/bundling.ts';
import { seedMembers } from '../../shared/app/members.ts';
import { encodePollMessage } from '../../lambda/poll-queue.ts';
import { samplePublication } from '../helpers/publications.ts';
import { sendBody, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { drain, feed, sqsEvent, startLambdaTestEnv, type LambdaTestEnv } from '../functions/harness.ts';
import { httpEvent } from '../functions/http-events.ts';

const run = promisify(execFile);
const root = join(PROJECT_ROOT, 'cdk.out', `bundles-test-${process.pid}`);
let t: LambdaTestEnv;
let server: FeedServer;

/**
 * Imports the bundled function in a fresh node and hands it the events in turn; its answers. With
 * `lambda`, each invocation gets a Lambda context (request ids req-1, req-2, ...) in an execution
 * environment started on demand, and the lines it wrote to stdout come back too.
 */
async function invoke(name: string, events: unknown[], options: { lambda?: boolean } = {}): Promise<any[] & { stdout?: string }> {
  const dir = join(root, name);
  const results = join(dir, 'results.json');
  const context = (i: number) =>
    `{ functionName: ${JSON.stringify(name)}, functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:${name}', memoryLimitInMB: '512', awsRequestId: 'req-' + ${i}, getRemainingTimeInMillis: () => 30000 }`;
  const code = [
    `const { handler } = await import(${JSON.stringify(pathToFileURL(join(dir, ENTRY_FILE)).href)});`,
    'const out = [];',
    `let i = 0; for (const event of ${JSON.stringify(events)}) out.push(await handler(event${options.lambda ? `, ${context(0).replace("'req-' + 0", "'req-' + ++i")}` : ''}));`,
    `(await import('node:fs')).writeFileSync(${JSON.stringify(results)}, JSON.stringify(out));`,
    // Clients keep connections open; the answers are written.
    'process.exit(0);',
  ].join('\n');
  const env = { PATH: process.env.PATH ?? '', NODE_OPTIONS, ...t.env, ...(options.lambda && { AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' }) };
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
  return Object.assign(JSON.parse(readFileSync(results, 'utf8')) as any[], { stdout });
}

beforeAll(async () => {
  t = await startLambdaTestEnv();
  // 日本の報告 (a report of Japan) in Shift_JIS: the decoder's table for it is beside the bundle, not in it.
  const title = Buffer.from([0x93, 0xfa, 0x96, 0x7b, 0x82, 0xcc, 0x95, 0xf1, 0x8d, 0x90]);
  const shiftJis = Buffer.concat([
    Buffer.from('<?xml version="1.0" encoding="Shift_JIS"?><rss version="2.0"><channel><title>IOM Japan</title><link>https://japan.iom.int/</link><item><title>'),
    title,
    Buffer.from('</title><link>https://japan.iom.int/report</link><guid>jp-1</guid><pubDate>Mon, 02 Nov 2026 09:00:00 GMT</pubDate></item></channel></rss>'),
  ]);
  server = await startFeedServer({ '/sjis.xml': sendBody(shiftJis, { 'content-type': 'application/rss+xml; charset=Shift_JIS' }) });
  await seedMembers(t.store, '2026-01-01T00:00:00.000Z');
  const now = new Date();
  await t.store.createPublications([0, 1].map((i) => ({ ...samplePublication(i, now), members: ['unodc'] })), now.toISOString());
  for (const name of ['feeds', 'api', 'web', 'poll-worker']) {
    const spec = FUNCTIONS.find((f) => f.name === name);
    if (spec) await bundleFunction(spec, join(root, name));
  }
}, 180_000);

afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await server?.close();
  await t?.stop();
});

describe('the deployed bundles', () => {
  it('feeds: renders the merged feeds with the SDK from node_modules', async () => {
    const [res] = await invoke('feeds', [httpEvent('GET', '/feeds/all.rss')]);
    expect(res.statusCode).toBe(200);
    expect(res.body.match(/<item>/g)).toHaveLength(2);
  });

  it('feeds: runs through middy and the Powertools middlewares as bundled: one ColdStart metric, for the first invocation', async () => {
    const res = await invoke('feeds', [httpEvent('GET', '/feeds/all.rss'), httpEvent('GET', '/feeds/all.atom')], { lambda: true });
    expect(res.map((r) => r.statusCode)).toEqual([200, 200]);
    const lines = res.stdout!.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const coldStarts = lines.filter((l) => l._aws !== undefined && l.ColdStart !== undefined);
    expect(coldStarts).toEqual([expect.objectContaining({ ColdStart: 1, function_name: 'feeds' })]);
  });

  it('api: loads its routes and the feed parser with the first request', async () => {
    const [members, unknown] = await invoke('api', [httpEvent('GET', '/api/members'), httpEvent('GET', '/api/nothing-here')]);
    expect(members.statusCode).toBe(200);
    expect(JSON.parse(members.body).items.map((m: { id: string }) => m.id)).toContain('iom');
    expect(unknown.statusCode).toBe(404);
  });

  it.runIf(FUNCTIONS.some((f) => f.name === 'web'))('web: serves pages and the stylesheet shipped beside the code', async () => {
    const [home, css, icon] = await invoke('web', [httpEvent('GET', '/'), httpEvent('GET', '/assets/site.css'), httpEvent('GET', '/favicon.ico')]);
    // The icon is shipped beside the code, not in it, and crosses API Gateway as base64.
    expect([icon.statusCode, icon.headers['content-type'], icon.isBase64Encoded]).toEqual([200, 'image/x-icon', true]);
    expect([...Buffer.from(icon.body, 'base64').subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    expect(home.statusCode).toBe(200);
    expect(home.body).toMatch(/<link[^>]+\/assets\/site\.css\?v=[\w-]{10}/);
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.body.length).toBeGreaterThan(100);
  });

  it('poll-worker: loads the feed pipeline with the first batch and decodes Shift_JIS with the table beside the bundle', async () => {
    await t.store.createFeed(feed('f-sjis', server.url('/sjis.xml'), { memberId: 'iom' }));
    await t.sqs.send(new SendMessageCommand({ QueueUrl: t.pollQueueUrl, MessageBody: encodePollMessage({ feedId: 'f-sjis' }) }));
    const [res] = await invoke('poll-worker', [sqsEvent(await drain(t.sqs, t.pollQueueUrl), t.pollQueueArn)]);
    expect(res).toEqual({ batchItemFailures: [] });
    const stored = await t.store.listPublications({ memberId: 'iom', limit: 10 });
    expect(stored.items.map((p) => p.title)).toEqual(['日本の報告']);
  });
});
