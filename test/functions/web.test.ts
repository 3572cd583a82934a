// The web pages function, invoked with API Gateway HTTP API events against dynalite and the Secrets
// Manager stand-in: public pages and their assets answer without any secret; the secretariat's
// pages read the admin token first (its sign-in compares with it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMembers } from '../../shared/app/members.ts';
import { ADMIN_TOKEN_ARN, startLambdaTestEnv, type LambdaTestEnv } from './harness.ts';
import { call, httpEvent, type HttpHandler } from './http-events.ts';

let t: LambdaTestEnv;
let handler: HttpHandler;

beforeAll(async () => {
  t = await startLambdaTestEnv();
  await seedMembers(t.store, '2026-01-01T00:00:00.000Z');
  for (const name of ['TOKEN_SECRET', 'SMTP_URL', 'ALERTS_QUEUE_URL', 'ALERTS_DLQ_URL']) delete process.env[name];
  Object.assign(process.env, t.env);
  ({ handler } = await import('../../functions/web.ts'));
});

afterAll(async () => {
  await t?.stop();
});

describe('web pages function', () => {
  it('serves the public pages and their stylesheet without reading a secret', async () => {
    for (const path of ['/', '/directory', '/subscribe']) {
      const res = await call(handler, httpEvent('GET', path));
      expect(res.statusCode, path).toBe(200);
      expect(res.headers!['content-type'], path).toContain('text/html');
    }
    const css = await call(handler, httpEvent('GET', '/assets/site.css'));
    expect(css.statusCode).toBe(200);
    expect(css.headers!['content-type']).toContain('text/css');
    expect(t.secrets.requests).toEqual([]);
  });

  it('shows the portal\'s and the secretariat\'s sign-in pages, with the admin token read first', async () => {
    for (const path of ['/portal', '/admin']) {
      const res = await call(handler, httpEvent('GET', path));
      expect(res.statusCode, path).toBe(200);
      expect(res.headers!['content-type'], path).toContain('text/html');
    }
    expect(t.secrets.requests).toContain(ADMIN_TOKEN_ARN);
  });

  it('answers a path no page has with 404', async () => {
    expect((await call(handler, httpEvent('GET', '/no-such-page'))).statusCode).toBe(404);
  });
});
