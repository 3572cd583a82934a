// The same hostile requests as test/http/hardening.test.ts, through the Lambda functions (API Gateway
// HTTP API payload 2.0 events, dynalite, the Secrets Manager stand-in): malformed percent-encoding,
// a body over the limit, a body not declared JSON, a malformed enclosure URL on the latest page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMembers } from '../../shared/app/members.ts';
import { MAX_BODY_BYTES } from '../../shared/http/types.ts';
import { samplePublication } from '../helpers/publications.ts';
import { ADMIN_TOKEN, startLambdaTestEnv, type LambdaTestEnv } from './harness.ts';
import { call, httpEvent, type HttpHandler } from './http-events.ts';

let t: LambdaTestEnv;
let api: HttpHandler;
let feeds: HttpHandler;
let web: HttpHandler;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const browser = { accept: 'text/html,*/*;q=0.8', 'accept-language': 'es' };

beforeAll(async () => {
  t = await startLambdaTestEnv();
  await seedMembers(t.store, '2026-01-01T00:00:00.000Z');
  const pub = { ...samplePublication(0, new Date('2026-11-20T12:00:00Z')), enclosures: [{ url: 'https://x.org/report%zz.pdf', type: 'application/pdf', length: 1000 }] };
  await t.store.createPublications([pub], '2999-01-01T00:00:00.000Z');
  for (const name of ['TOKEN_SECRET', 'SMTP_URL', 'ALERTS_QUEUE_URL', 'ALERTS_DLQ_URL']) delete process.env[name];
  Object.assign(process.env, t.env);
  ({ handler: api } = await import('../../functions/api.ts'));
  ({ handler: feeds } = await import('../../functions/feeds.ts'));
  ({ handler: web } = await import('../../functions/web.ts'));
});

afterAll(async () => {
  await t?.stop();
});

describe('Lambda functions and hostile requests', () => {
  it('answers malformed percent-encoding 400 (JSON), and with the page to a browser', async () => {
    for (const [fn, path] of [[api, '/api/feeds/%ZZ'], [api, '/api/members/%'], [api, '/api/members/%ED%A0%80'], [feeds, '/feeds/members/%ZZ.atom']] as const) {
      const res = await call(fn, httpEvent('GET', path, { headers: admin }));
      expect([path, res.statusCode, res.json?.error.code]).toEqual([path, 400, 'invalid_path']);
    }
    const page = await call(web, httpEvent('GET', '/directory/%ZZ', { headers: browser }));
    expect([page.statusCode, page.headers!['content-type']]).toEqual([400, 'text/html; charset=utf-8']);
    expect(page.body).toContain('Esta dirección no es válida');
  });

  it('answers a body over the limit 413 with the limit (JSON), and with the page to a browser', async () => {
    const big = 'x'.repeat(MAX_BODY_BYTES + 1);
    const res = await call(api, httpEvent('POST', '/api/members', { headers: { ...admin, 'content-type': 'application/json' }, body: big, base64: true }));
    expect(res.statusCode).toBe(413);
    expect(res.json.error).toMatchObject({ code: 'body_too_large', details: { limit_bytes: MAX_BODY_BYTES } });
    const page = await call(web, httpEvent('POST', '/subscribe', { headers: { ...browser, 'content-type': 'application/x-www-form-urlencoded' }, body: big }));
    expect([page.statusCode, page.headers!['content-type']]).toEqual([413, 'text/html; charset=utf-8']);
  });

  it('answers 415 to a body not declared JSON', async () => {
    const res = await call(api, httpEvent('POST', '/api/members', { headers: { ...admin, 'content-type': 'text/plain' }, body: '{"id":"x","name":"X","email":"feeds@x.example"}' }));
    expect([res.statusCode, res.json.error.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('shows the latest page with a malformed enclosure URL', async () => {
    const res = await call(web, httpEvent('GET', '/', { headers: browser }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('report%zz.pdf');
  });
});
