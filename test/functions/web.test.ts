// The web pages function, invoked with API Gateway HTTP API events against dynalite, fauxqs, the
// Secrets Manager stand-in and an SES v2 stand-in on loopback: public pages and their assets answer
// without any secret; the secretariat's pages read the admin token first (its sign-in compares with
// it); a sign-in link goes out through SES; "poll every feed now" queues the feeds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMembers } from '../../shared/app/members.ts';
import { decodePollMessage } from '../../lambda/poll-queue.ts';
import { parseMail } from '../helpers/smtp.ts';
import { ADMIN_TOKEN, ADMIN_TOKEN_ARN, drain, feed, startLambdaTestEnv, type LambdaTestEnv } from './harness.ts';
import { call, httpEvent, startSesStandIn, type HttpHandler, type SesStandIn } from './http-events.ts';

let t: LambdaTestEnv;
let ses: SesStandIn;
let handler: HttpHandler;

beforeAll(async () => {
  t = await startLambdaTestEnv();
  ses = await startSesStandIn();
  await seedMembers(t.store, '2026-01-01T00:00:00.000Z');
  const ilo = (await t.store.getMember('ilo'))!;
  await t.store.saveMember({ ...ilo, email: 'feeds@ilo.example', active: true });
  for (const name of ['TOKEN_SECRET', 'SMTP_URL', 'ALERTS_QUEUE_URL', 'ALERTS_DLQ_URL']) delete process.env[name];
  Object.assign(process.env, t.env, { SES_ENDPOINT: ses.endpoint, MAIL_FROM: 'ICAT hub <hub@hub.example.org>' });
  ({ handler } = await import('../../functions/web.ts'));
});

afterAll(async () => {
  await ses?.close();
  await t?.stop();
});

const CSRF = 'c'.repeat(32);
/** A form post from a browser that has the CSRF cookie (and, optionally, a session). */
const form = (path: string, fields: Record<string, string>, cookies: string[] = []) =>
  httpEvent('POST', path, {
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: 'https://hub.example.org' },
    cookies: [`icat_csrf=${CSRF}`, ...cookies],
    body: new URLSearchParams({ csrf: CSRF, ...fields }).toString(),
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

  it('answers a path no page has with the HTML 404 page to a browser and JSON to an API client, as the local hub does', async () => {
    const page = await call(handler, httpEvent('GET', '/no-such-page', { headers: { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8', 'accept-language': 'fr' } }));
    expect(page.statusCode).toBe(404);
    expect(page.headers!['content-type']).toContain('text/html');
    expect(page.body).toContain('<html lang="fr"');
    const api = await call(handler, httpEvent('GET', '/no-such-page', { headers: { accept: 'application/json' } }));
    expect(api.statusCode).toBe(404);
    expect(api.json).toMatchObject({ error: { code: 'not_found' } });
  });

  it('mails a sign-in link through SES to the member\'s contact address', async () => {
    const res = await call(handler, form('/portal/sign-in/link', { email: 'Feeds@ILO.example' }));
    expect(res.statusCode).toBe(202);
    expect(ses.sent).toHaveLength(1);
    const [mail] = ses.sent;
    expect(mail!.to).toEqual(['feeds@ilo.example']);
    const parsed = parseMail(mail!.raw);
    expect(parsed.subject).toContain('sign-in link');
    expect(parsed.headers.get('from')).toBe('ICAT hub <hub@hub.example.org>');
    const link = /https:\/\/hub\.example\.org\/portal\/sign-in\/link\?token=[\w.-]+/.exec(parsed.text)?.[0];
    expect(link).toBeDefined();
    // The link opens the confirmation page of this very function.
    const token = new URL(link!).searchParams.get('token')!;
    const confirm = await call(handler, httpEvent('GET', '/portal/sign-in/link', { query: `token=${encodeURIComponent(token)}`, headers: { accept: 'text/html' } }));
    expect(confirm.statusCode).toBe(200);
  });

  it('queues every feed for the poll workers when the secretariat asks to poll now', async () => {
    await t.store.createFeed(feed('w-1', 'https://www.unodc.org/w1.xml', { nextPollAt: '2999-01-01T00:00:00.000Z' }));
    await t.store.createFeed(feed('w-2', 'https://www.iom.int/w2.xml'));
    const signIn = await call(handler, form('/admin/sign-in', { token: ADMIN_TOKEN }));
    expect(signIn.statusCode).toBe(303);
    const session = signIn.cookies!.filter((c) => c.startsWith('icat_session=')).map((c) => c.split(';')[0]!);
    expect(session).toHaveLength(1);
    const res = await call(handler, form('/admin/poll', {}, session));
    expect(res.statusCode).toBeLessThan(400);
    const queued = (await drain(t.sqs, t.pollQueueUrl)).map((m) => decodePollMessage(m.Body!));
    expect(queued.sort((a, b) => a.feedId.localeCompare(b.feedId))).toEqual([{ feedId: 'w-1', force: true }, { feedId: 'w-2', force: true }]);
  });
});
