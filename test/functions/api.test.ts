// The API function, invoked with API Gateway HTTP API (payload 2.0) events, against dynalite, fauxqs
// and the Secrets Manager stand-in; plus the event <-> request mapping on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMembers } from '../../shared/app/members.ts';
import { decodePollMessage } from '../../lambda/poll-queue.ts';
import { fromApiGatewayEvent, toApiGatewayResult } from '../../shared/http/apigw-adapter.ts';
import { ADMIN_TOKEN, ADMIN_TOKEN_ARN, drain, feed, startLambdaTestEnv, type LambdaTestEnv } from './harness.ts';
import { call as invoke, httpEvent, type HttpHandler } from './http-events.ts';

let t: LambdaTestEnv;
let handler: HttpHandler;
const call = (event: Parameters<HttpHandler>[0]) => invoke(handler, event);

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

beforeAll(async () => {
  t = await startLambdaTestEnv();
  await seedMembers(t.store, '2026-01-01T00:00:00.000Z');
  Object.assign(process.env, t.env);
  ({ handler } = await import('../../functions/api.ts'));
});

afterAll(async () => {
  await t?.stop();
});

describe('api function', () => {
  it('answers public requests (health, member list, feed directory, status) without reading any secret', async () => {
    expect((await call(httpEvent('GET', '/healthz'))).json).toMatchObject({ status: 'ok' });
    const members = await call(httpEvent('GET', '/api/members'));
    expect(members.statusCode).toBe(200);
    expect(members.json.items.map((m: { id: string }) => m.id)).toContain('unodc');
    const directory = await call(httpEvent('GET', '/feeds/directory.opml'));
    expect(directory.statusCode).toBe(200);
    expect(directory.headers!['content-type']).toContain('text/x-opml');
    expect((await call(httpEvent('GET', '/feeds/sources.opml'))).headers!['content-type']).toContain('text/x-opml');
    expect((await call(httpEvent('GET', '/api/status'))).json).toMatchObject({ members: expect.any(Array) });
    // The merged feeds are another function's (functions/feeds.ts).
    expect((await call(httpEvent('GET', '/feeds/all.atom'))).statusCode).toBe(404);
    expect(t.secrets.requests).toEqual([]);
  });

  it('authenticates the admin with the token from Secrets Manager, read once and kept', async () => {
    const created = await call(httpEvent('POST', '/api/members', { headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ id: 'iom', name: 'IOM', email: 'feeds@example.org' }), base64: true }));
    expect(created.statusCode).toBe(201);
    expect(created.json.api_key).toMatch(/^ihk_/);
    const member = await call(httpEvent('GET', '/api/members/iom', { headers: { authorization: `Bearer ${created.json.api_key}` } }));
    expect(member.json).toMatchObject({ id: 'iom', email: 'feeds@example.org' });
    expect((await call(httpEvent('POST', '/api/members', { headers: { authorization: 'Bearer not-the-admin-token-at-all' }, body: '{}' }))).statusCode).toBe(401);
    expect((await call(httpEvent('GET', '/api/feeds', { headers: admin }))).statusCode).toBe(200);
    expect(t.secrets.requests).toEqual([ADMIN_TOKEN_ARN]);
  });

  it('queues every feed on "poll now" and answers at once', async () => {
    await t.store.createFeed(feed('p-1', 'https://www.unodc.org/a.xml', { nextPollAt: '2999-01-01T00:00:00.000Z' }));
    await t.store.createFeed(feed('p-2', 'https://www.iom.int/b.xml'));
    await t.store.createFeed(feed('p-paused', 'https://www.ilo.org/c.xml', { status: 'paused' }));
    expect((await call(httpEvent('POST', '/api/poll'))).statusCode).toBe(401);
    const res = await call(httpEvent('POST', '/api/poll', { headers: admin }));
    expect(res.statusCode).toBe(202);
    expect(res.json).toMatchObject({ queued: 2, failed: [] });
    const queued = (await drain(t.sqs, t.pollQueueUrl)).map((m) => decodePollMessage(m.Body!));
    expect(queued.sort((a, b) => a.feedId.localeCompare(b.feedId))).toEqual([{ feedId: 'p-1', force: true }, { feedId: 'p-2', force: true }]);
  });

  it('answers a body over 1 MiB with 413 and an unknown method with 405', async () => {
    expect((await call(httpEvent('POST', '/api/members', { headers: admin, body: 'x'.repeat(1024 * 1024 + 1), base64: true }))).statusCode).toBe(413);
    expect((await call(httpEvent('PUT', '/healthz'))).statusCode).toBe(405);
  });
});

describe('API Gateway v2 mapping', () => {
  it('reads method, raw path, query, headers, cookies, base64 body and source address', () => {
    const req = fromApiGatewayEvent(httpEvent('post', '/api/feeds', { query: 'a=1&b=%C3%A9', headers: { 'Content-Type': 'application/json' }, cookies: ['s=1', 't=2'], body: '{"url":"é"}', base64: true }));
    expect(req).toMatchObject({ method: 'POST', path: '/api/feeds', body: '{"url":"é"}', sourceIp: '130.176.1.1' });
    expect(req.query.get('b')).toBe('é');
    expect(req.headers).toMatchObject({ 'content-type': 'application/json', cookie: 's=1; t=2' });
  });

  it('writes text as is, bytes as base64, Set-Cookie as cookies, and no body on 304', () => {
    expect(toApiGatewayResult({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'hé' })).toMatchObject({ statusCode: 200, body: 'hé', isBase64Encoded: false, headers: { 'content-type': 'text/plain' } });
    const bytes = toApiGatewayResult({ status: 200, headers: { 'set-cookie': 'a=1; Secure' }, body: Buffer.from([0xff, 0x00]) });
    expect(bytes).toMatchObject({ body: '/wA=', isBase64Encoded: true, cookies: ['a=1; Secure'] });
    expect(bytes.headers).not.toHaveProperty('set-cookie');
    expect(toApiGatewayResult({ status: 304, headers: { etag: '"x"' }, body: 'ignored' })).toMatchObject({ statusCode: 304, body: '' });
  });
});
