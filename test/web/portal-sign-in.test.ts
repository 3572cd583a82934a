// Sign-in links: single use (recorded in the table, so across processes and restarts), 15 minutes
// (with `now` injected), then the whole round trip on the hub: the form, the mail received by a loopback SMTP
// server, the confirmation page, the session; and the same answer for an address that is no member's.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoStore } from '../../shared/adapters/dynamo/index.ts';
import { ValidationError } from '../../shared/errors.ts';
import { startTestDynamo, type DynamoTestContext } from '../helpers/dynamo.ts';
import { SIGN_IN_LINK_SECONDS, SignInLinks } from '../../shared/web/sign-in-links.ts';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.ts';
import { PortalClient, visibleText } from '../helpers/portal-client.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).code;
  }
}

describe('sign-in links', () => {
  const secret = randomBytes(32);
  let now = new Date('2026-11-02T09:00:00Z');
  let dynamo: DynamoTestContext;
  let links: SignInLinks;
  let store: ReturnType<typeof createDynamoStore>;
  beforeAll(async () => {
    dynamo = await startTestDynamo();
    store = createDynamoStore(dynamo.client, dynamo.tableName);
    links = new SignInLinks(async () => secret, () => now, (n, e) => store.useOnce(n, e));
  });
  afterAll(async () => {
    await dynamo?.teardown();
  });

  it('works once', async () => {
    const token = await links.create('ilo');
    expect(await links.redeem(token)).toBe('ilo');
    expect(await code(links.redeem(token))).toBe('used_link');
  });

  it('expires after 15 minutes', async () => {
    const token = await links.create('ilo');
    now = new Date(now.getTime() + SIGN_IN_LINK_SECONDS * 1000);
    expect(await code(links.redeem(token))).toBe('expired_link');
    const fresh = await links.create('ilo');
    now = new Date(now.getTime() + (SIGN_IN_LINK_SECONDS - 1) * 1000);
    expect(await links.redeem(fresh)).toBe('ilo');
  });

  it('refuses a link changed in any part', async () => {
    const token = await links.create('ilo');
    const [, expiry, nonce, signature] = token.split('.');
    expect(await code(links.redeem(`unodc.${expiry}.${nonce}.${signature}`))).toBe('invalid_link');
    expect(await code(links.redeem(`ilo.${(parseInt(expiry!, 36) + 3600).toString(36)}.${nonce}.${signature}`))).toBe('invalid_link');
    expect(await code(links.redeem(token.slice(0, -2)))).toBe('invalid_link');
    expect(await code(links.redeem(undefined))).toBe('invalid_link');
    expect(await links.redeem(token)).toBe('ilo');
  });

  it('works once across processes: another instance with the same secret and table sees the use', async () => {
    const token = await links.create('ilo');
    const other = new SignInLinks(async () => secret, () => now, (n, e) => store.useOnce(n, e));
    expect(await other.redeem(token)).toBe('ilo');
    expect(await code(links.redeem(token))).toBe('used_link');
    const stranger = new SignInLinks(async () => randomBytes(32), () => now, (n, e) => store.useOnce(n, e));
    expect(await code(stranger.redeem(await links.create('ilo')))).toBe('invalid_link');
  });
});

describe('signing in by mail on the hub', () => {
  let hub: TestHub;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    hub = await startTestHub({ PUBLIC_RATE_LIMIT: '0', SMTP_URL: smtp.url });
    await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id: 'iom', name: 'International Organization for Migration', acronym: 'IOM', email: 'Feeds@IOM.example' } });
  });
  afterAll(async () => {
    await hub?.close();
    await smtp?.stop();
  });

  const linkIn = (text: string) => /https?:\/\/\S+\/portal\/sign-in\/link\?token=[\w.-]+/.exec(text)?.[0];

  it('mails a single-use link to the contact address, and says the same for an unknown address', async () => {
    const c = new PortalClient(hub.url);
    await c.visit();
    const known = await c.post('/portal/sign-in/link', { email: 'feeds@iom.example' });
    const unknown = await c.post('/portal/sign-in/link', { email: 'someone@elsewhere.example' });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(known.status);
    expect(visibleText(unknown.text)).toBe(visibleText(known.text));
    const [mail] = await smtp.waitFor((m) => m.length >= 1, 10_000, 'the sign-in mail');
    expect(mail!.to).toEqual(['feeds@iom.example']);
    expect(mail!.subject).toContain('sign-in link');
    const link = linkIn(mail!.text);
    expect(link).toBeDefined();
    expect(mail!.html).toContain(`href="${link!.replace(/&/g, '&amp;')}"`);
    // The mail is accepted before the page answers, so nothing more can still be on its way.
    expect(smtp.mails).toHaveLength(1);

    // A scanner opening the link signs nobody in; the button does.
    const path = link!.slice(link!.indexOf('/portal/'));
    const page = await c.get(path);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.setCookies.some((s) => s.startsWith('icat_session='))).toBe(false);
    const token = new URL(link!).searchParams.get('token')!;
    const used = await c.post('/portal/sign-in/link/use', { token });
    expect(used.status).toBe(303);
    expect(visibleText((await c.get('/portal')).text)).toContain('Signed in for International Organization for Migration (IOM)');

    const again = new PortalClient(hub.url);
    await again.visit();
    const second = await again.post('/portal/sign-in/link/use', { token });
    expect(second.status).toBe(422);
    expect(visibleText(second.text)).toContain('already been used');
    expect(second.setCookies.some((s) => s.startsWith('icat_session='))).toBe(false);
  });

  it('refuses a malformed address with the form again, and sends nothing', async () => {
    const c = new PortalClient(hub.url);
    await c.visit();
    const before = smtp.mails.length;
    const res = await c.post('/portal/sign-in/link', { email: 'not an address' });
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('Give a valid e-mail address');
    expect(res.text).toContain('aria-invalid="true"');
    expect(smtp.mails.length).toBe(before);
  });

  it('sends at most three links to one member in 15 minutes', async () => {
    const c = new PortalClient(hub.url);
    await c.visit();
    const before = smtp.mails.length;
    for (let i = 0; i < 5; i += 1) expect((await c.post('/portal/sign-in/link', { email: 'feeds@iom.example' })).status).toBe(202);
    // Mails are accepted before the page answers; the first test used one of the three.
    expect(smtp.mails.length - before).toBe(2);
  });
});
