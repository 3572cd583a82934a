// The alerts API function, invoked with API Gateway HTTP API events against dynalite, fauxqs, the
// Secrets Manager stand-in (admin token, signing key) and an SES v2 stand-in: subscriptions are
// confirmed by a mail sent through SES, link pages answer as pages, and the admin's views need the
// admin token, read from Secrets Manager only by requests that carry a bearer token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMembers } from '../../shared/app/members.ts';
import { parseMail } from '../helpers/smtp.ts';
import { ADMIN_TOKEN, ADMIN_TOKEN_ARN, SIGNING_KEY_ARN, startLambdaTestEnv, type LambdaTestEnv } from './harness.ts';
import { call, httpEvent, startSesStandIn, type HttpHandler, type SesStandIn } from './http-events.ts';

let t: LambdaTestEnv;
let ses: SesStandIn;
let handler: HttpHandler;

beforeAll(async () => {
  t = await startLambdaTestEnv();
  ses = await startSesStandIn();
  await seedMembers(t.store, '2026-01-01T00:00:00.000Z');
  // As the stack configures it: the signing key from Secrets Manager, mail through SES.
  for (const name of ['TOKEN_SECRET', 'SMTP_URL', 'ALERTS_QUEUE_URL', 'ALERTS_DLQ_URL']) delete process.env[name];
  Object.assign(process.env, t.env, { SES_ENDPOINT: ses.endpoint, MAIL_FROM: 'ICAT publication alerts <alerts@hub.example.org>' });
  ({ handler } = await import('../../functions/alerts-api.ts'));
});

afterAll(async () => {
  await ses?.close();
  await t?.stop();
});

describe('alerts API function', () => {
  it('takes a subscription and mails its confirmation link through SES, signed with the key from Secrets Manager', async () => {
    const body = JSON.stringify({ email: 'reader@example.org', members: ['unodc'], keywords: ['forced labour'], frequency: 'daily' });
    const res = await call(handler, httpEvent('POST', '/api/subscriptions', { headers: { 'content-type': 'application/json' }, body }));
    expect(res.statusCode).toBe(202);
    expect(res.json).toMatchObject({ status: 'pending' });
    expect(ses.sent).toHaveLength(1);
    expect(ses.sent[0]!.to).toEqual(['reader@example.org']);
    const mail = parseMail(ses.sent[0]!.raw.replace(/\r?\n/g, '\r\n'));
    expect(mail.subject).toBe('[ICAT] Confirm your publication alerts');
    expect(mail.text).toMatch(/https:\/\/hub\.example\.org\/subscriptions\/confirm\?token=\S+/);
    expect(t.secrets.requests).toEqual([SIGNING_KEY_ARN]);
  });

  it('answers a link with a bad token with a page, not JSON', async () => {
    const res = await call(handler, httpEvent('GET', '/unsubscribe', { query: 'token=not-a-token' }));
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.headers!['content-type']).toContain('text/html');
  });

  it('shows the admin the mail service and queue only with the admin token', async () => {
    expect((await call(handler, httpEvent('GET', '/api/alerts/status'))).statusCode).toBe(401);
    expect(t.secrets.requests).not.toContain(ADMIN_TOKEN_ARN);
    const res = await call(handler, httpEvent('GET', '/api/alerts/status', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }));
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ transport: 'ses', mail_service: { state: 'ok' } });
    expect(t.secrets.requests).toContain(ADMIN_TOKEN_ARN);
  });
});
