// The feeds function, invoked with API Gateway HTTP API (payload 2.0) events against dynalite: it
// serves the merged feeds with validators, reads no secret, and issues only the DynamoDB operations
// its read-only grant allows (a proxy in front of dynalite records every operation it sends).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMembers } from '../../shared/app/members.ts';
import { samplePublication } from '../helpers/publications.ts';
import { startLambdaTestEnv, type LambdaTestEnv } from './harness.ts';
import { call, httpEvent, startDynamoRecorder, type HttpHandler, type RecordingProxy } from './http-events.ts';

let t: LambdaTestEnv;
let dynamo: RecordingProxy;
let handler: HttpHandler;

beforeAll(async () => {
  t = await startLambdaTestEnv();
  dynamo = await startDynamoRecorder(t.env.DYNAMODB_ENDPOINT!);
  await seedMembers(t.store, '2026-01-01T00:00:00.000Z');
  const now = new Date();
  await t.store.createPublications([0, 1, 2].map((i) => ({ ...samplePublication(i, now), members: ['unodc'] })), now.toISOString());
  // The module reads its environment at import, as Lambda's init does; the function reaches the table through the recorder.
  Object.assign(process.env, t.env, { DYNAMODB_ENDPOINT: dynamo.endpoint });
  ({ handler } = await import('../../functions/feeds.ts'));
});

afterAll(async () => {
  await dynamo?.close();
  await t?.stop();
});

describe('feeds function', () => {
  it('serves the merged feeds with validators, and 304 on a conditional request, without reading any secret', async () => {
    const first = await call(handler, httpEvent('GET', '/feeds/all.atom'));
    expect(first.statusCode).toBe(200);
    expect(first.headers).toMatchObject({ 'content-type': expect.stringContaining('application/atom+xml'), 'cache-control': expect.stringMatching(/max-age=\d+/) });
    expect(first.body).toContain('<feed');
    expect(first.body).toContain('https://hub.example.org/feeds/all.atom');
    expect(first.body?.match(/<entry[ >]/g)).toHaveLength(3);
    const again = await call(handler, httpEvent('GET', '/feeds/all.atom', { headers: { 'if-none-match': String(first.headers!.etag) } }));
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const member = await call(handler, httpEvent('GET', '/feeds/members/unodc.json'));
    expect(member.statusCode).toBe(200);
    expect(member.json.items).toHaveLength(3);
    const filtered = await call(handler, httpEvent('GET', '/feeds/all.rss', { query: 'member=iom' }));
    expect(filtered.statusCode).toBe(200);
    expect(filtered.body).not.toContain('<item>');
    expect(t.secrets.requests).toEqual([]);
  });

  it('answers what is not a feed with 404, and other methods with 405', async () => {
    expect((await call(handler, httpEvent('GET', '/feeds/nope.rss'))).statusCode).toBe(404);
    expect((await call(handler, httpEvent('GET', '/feeds/members/nobody.rss'))).statusCode).toBe(404);
    expect((await call(handler, httpEvent('GET', '/api/members'))).statusCode).toBe(404);
    expect((await call(handler, httpEvent('POST', '/feeds/all.rss'))).statusCode).toBe(405);
  });

  it('only reads the table, as its grant allows (infra/http-functions.ts)', () => {
    expect(dynamo.operations.length).toBeGreaterThan(0);
    expect([...new Set(dynamo.operations)].sort()).toEqual(expect.arrayContaining(['Query']));
    for (const op of dynamo.operations) expect(['GetItem', 'BatchGetItem', 'Query']).toContain(op);
  });
});
