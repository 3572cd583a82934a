// E-mail alerts end to end, over loopback: a real SMTP server (smtp-server) receives what the hub
// sends. Subscribe through the API -> follow the confirmation link from the received mail -> register
// and poll feeds -> exactly the matching alerts arrive, with their list headers -> one POST to the
// List-Unsubscribe URL stops them -> an alert announced while the SMTP server is down arrives once it
// is back, exactly once, and nothing lands in the dead-letter queue.
//
// PUBLIC_URL is left at its default (http://localhost:<the port the hub got>): links from mails are
// followed at the hub's listening address with the same path and query.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { ADMIN_TOKEN, rss, startTestHub, type TestHub } from '../helpers/hub.ts';
import { parseMail, startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../helpers/smtp.ts';

const READER = 'reader@example.org'; // UNODC only, instant
const WATCHER = 'watcher@example.org'; // everything, instant

type Item = Parameters<typeof rss>[1][number];

function serve(docs: Record<string, string>, path: string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const body = docs[path]!;
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(body);
  };
}


/** A string made safe to embed in a RegExp. */
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
describe('e-mail alerts end to end', () => {
  let hub: TestHub;
  let smtp: TestSmtpServer;
  let feeds: FeedServer;
  const docs: Record<string, string> = {};
  const unodcItems: Item[] = [
    { guid: 'u-1', title: 'Global Report on Trafficking in Persons 2026', link: 'https://www.unodc.org/glotip-2026', date: 'Mon, 02 Nov 2026 09:00:00 GMT', category: 'Research', pdf: 'https://www.unodc.org/glotip-2026.pdf', description: 'Trends & "patterns" in 141 countries.' },
    { guid: 'u-2', title: 'Toolkit for prosecutors', link: 'https://www.unodc.org/toolkit', date: 'Tue, 03 Nov 2026 09:00:00 GMT' },
  ];
  const iomItems: Item[] = [{ guid: 'i-1', title: 'Migrant smuggling and trafficking: a field guide', link: 'https://www.iom.int/field-guide', date: 'Wed, 04 Nov 2026 08:00:00 GMT' }];

  /** A link from a mail, at the hub's real address. */
  const local = (link: string) => {
    const u = new URL(link);
    return `${hub.url}${u.pathname}${u.search}`;
  };
  const alertsTo = (address: string) => smtp.to(address).filter((m) => !m.subject.startsWith('[ICAT] Confirm'));
  const subjects = (mails: ReceivedMail[]) => mails.map((m) => m.subject).sort();
  const poll = () => hub.poll();
  const status = async () => (await hub.api('GET', '/api/alerts/status', { token: ADMIN_TOKEN })).json;
  const until = async (check: () => Promise<boolean>, what: string, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const drained = async () => {
    const s = await status();
    return s.queue.visible === 0 && s.queue.in_flight === 0 && s.queue.delayed === 0;
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    docs['/unodc.xml'] = rss('UNODC news', unodcItems);
    docs['/iom.xml'] = rss('IOM news', iomItems);
    feeds = await startFeedServer({ '/unodc.xml': serve(docs, '/unodc.xml'), '/iom.xml': serve(docs, '/iom.xml') });
    hub = await startTestHub({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'ICAT publication alerts <alerts@hub.example>',
      ALERTS_BATCH_WINDOW: '0',
      ALERTS_RETRY_BASE: '1',
      ALERTS_TICK: '1',
    });
  });

  afterAll(async () => {
    await hub?.close();
    await feeds?.close();
    await smtp?.stop();
  });

  it('answers every subscription request alike and mails one confirmation, nothing else', async () => {
    const first = await hub.api('POST', '/api/subscriptions', { body: { email: ' Reader@Example.ORG ', members: ['unodc'], frequency: 'instant' } });
    const watcher = await hub.api('POST', '/api/subscriptions', { body: { email: WATCHER, frequency: 'instant' } });
    // Asked again within the hour: the same answer, and no second mail.
    const again = await hub.api('POST', '/api/subscriptions', { body: { email: READER, members: ['unodc'], frequency: 'instant' } });
    for (const res of [first, watcher, again]) {
      expect(res.status).toBe(202);
      expect(res.text).not.toMatch(/@/);
    }
    expect(again.text).toBe(first.text);
    await smtp.waitFor((m) => m.length >= 2, 5_000, 'two confirmation mails');
    expect(smtp.to(READER)).toHaveLength(1);
    expect(smtp.to(WATCHER)).toHaveLength(1);
    expect(smtp.mails.every((m) => m.subject === '[ICAT] Confirm your publication alerts')).toBe(true);

    const invalid = await hub.api('POST', '/api/subscriptions', { body: { email: 'not an address', frequency: 'instant' } });
    expect(invalid.status).toBe(422);
    const unknownMember = await hub.api('POST', '/api/subscriptions', { body: { email: 'x@example.org', members: ['nobody'], frequency: 'instant' } });
    expect(unknownMember.status).toBe(422);
    expect(smtp.mails).toHaveLength(2);
  });

  it('confirms through the link in the mail', async () => {
    for (const address of [READER, WATCHER]) {
      const mail = smtp.to(address)[0]!;
      const link = /https?:\/\/\S+\/subscriptions\/confirm\?token=[\w.-]+/.exec(mail.text)?.[0];
      expect(link).toBeTruthy();
      expect(mail.html).toContain(link!.replace(/&/g, '&amp;'));
      const page = await fetch(local(link!));
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await page.text();
      expect(html).toContain('Your alerts are confirmed');
      expect(html).not.toContain(address);
      const twice = await fetch(local(link!));
      expect(await twice.text()).toContain('already confirmed');
    }
    const forged = await fetch(`${hub.url}/subscriptions/confirm?token=c.abc.def.zz.nonce.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(forged.status).toBe(400);
  });

  it('mails each matching new publication, and nothing about other members', async () => {
    for (const id of ['unodc', 'iom']) {
      const member = await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id, name: id.toUpperCase(), email: `feeds@${id}.example`, domains: ['127.0.0.1'] } });
      expect(member.status).toBe(201);
      const feed = await hub.api('POST', '/api/feeds', { token: member.json.api_key, body: { url: feeds.url(`/${id}.xml`) } });
      expect(feed.status).toBe(201);
    }
    expect(await poll()).toMatchObject({ new_publications: 3, errors: 0 });
    // The watcher takes everything: once its three alerts are in, the batch has been handled.
    await smtp.waitFor(() => alertsTo(WATCHER).length >= 3, 10_000, 'three alerts to the watcher');
    expect(subjects(alertsTo(WATCHER))).toEqual([
      '[ICAT] IOM: Migrant smuggling and trafficking: a field guide',
      '[ICAT] UNODC: Global Report on Trafficking in Persons 2026',
      '[ICAT] UNODC: Toolkit for prosecutors',
    ]);
    await until(drained, 'the alerts queue to drain');
    expect(subjects(alertsTo(READER))).toEqual(['[ICAT] UNODC: Global Report on Trafficking in Persons 2026', '[ICAT] UNODC: Toolkit for prosecutors']);
  });

  it('builds each alert as multipart text and HTML with list headers and a footer', async () => {
    const mail = alertsTo(READER).find((m) => m.subject.includes('Global Report'))!;
    expect(mail.contentType).toMatch(/^multipart\/alternative/);
    expect(mail.from).toBe('alerts@hub.example');
    expect(mail.headers.get('from')).toBe('ICAT publication alerts <alerts@hub.example>');
    expect(mail.headers.get('message-id')).toMatch(/^<alert\.[0-9a-f]{16}\.[0-9a-f]{24}@hub\.example>$/);
    expect(mail.headers.get('list-unsubscribe')).toMatch(new RegExp(`^<${esc(hub.publicUrl)}/unsubscribe\\?token=u\\.[\\w.-]+>, <mailto:alerts@hub\\.example\\?subject=unsubscribe>$`));
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.headers.get('list-id')).toBe('ICAT publication alerts <alerts.hub.example>');
    expect(mail.text).toContain('https://www.unodc.org/glotip-2026');
    expect(mail.text).toContain('PDF: https://www.unodc.org/glotip-2026.pdf');
    expect(mail.text).toContain('2 November 2026');
    expect(mail.text).toMatch(new RegExp(`Unsubscribe: ${esc(hub.publicUrl)}/unsubscribe\\?token=`));
    expect(mail.html).toContain('<a href="https://www.unodc.org/glotip-2026">Global Report on Trafficking in Persons 2026</a>');
    expect(mail.html).toContain('<p>Trends &amp; &quot;patterns&quot; in 141 countries.</p>');
    expect(mail.text).toContain('Trends & "patterns" in 141 countries.');
    expect(mail.html).toMatch(new RegExp(`<a href="${esc(hub.publicUrl)}/subscriptions/manage\\?token=m\\.[\\w.-]+">Change what you receive</a>`));
    // The same publication to another subscriber has another Message-ID.
    const other = alertsTo(WATCHER).find((m) => m.subject.includes('Global Report'))!;
    expect(other.headers.get('message-id')).not.toBe(mail.headers.get('message-id'));
  });

  it('lets the subscriber change filters from the manage link', async () => {
    const manage = new RegExp(`${esc(hub.publicUrl)}/subscriptions/manage\\?token=[\\w.-]+`).exec(alertsTo(WATCHER)[0]!.text)![0];
    const form = await fetch(local(manage));
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('<legend>How often</legend>');
    expect(html).not.toContain(WATCHER);
    // Still everything, instant: the watcher stays the witness of what the hub sends.
    const saved = await fetch(local(manage), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'frequency=instant&categories=&languages=en&keywords=' });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Saved.');
    const bad = await fetch(local(manage), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'frequency=hourly' });
    expect(bad.status).toBe(422);
  });

  it('unsubscribes with one POST to the List-Unsubscribe URL, after which nothing is sent', async () => {
    const header = alertsTo(READER)[0]!.headers.get('list-unsubscribe')!;
    const url = /<(http[^>]+)>/.exec(header)![1]!;
    const page = await fetch(local(url));
    expect(await page.text()).toContain('<button type="submit">Unsubscribe</button>');
    const res = await fetch(local(url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are unsubscribed');
    const again = await fetch(local(url), { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(again.status).toBe(200);
    const gone = await hub.api('GET', `/api/subscribers/${encodeURIComponent(READER)}`, { token: ADMIN_TOKEN });
    expect(gone.status).toBe(404);

    const before = alertsTo(READER).length;
    unodcItems.push({ guid: 'u-3', title: 'Handbook on victim identification', link: 'https://www.unodc.org/handbook', date: 'Thu, 05 Nov 2026 09:00:00 GMT' });
    docs['/unodc.xml'] = rss('UNODC news', unodcItems);
    expect(await poll()).toMatchObject({ new_publications: 1 });
    await smtp.waitFor(() => alertsTo(WATCHER).some((m) => m.subject.includes('Handbook')), 10_000, 'the handbook alert to the watcher');
    await until(drained, 'the alerts queue to drain');
    expect(alertsTo(READER)).toHaveLength(before);
  });

  it('delivers an alert announced while the SMTP server is down once it is back, exactly once', async () => {
    await smtp.stop();
    unodcItems.push({ guid: 'u-4', title: 'Guidance on non-punishment', link: 'https://www.unodc.org/non-punishment', date: 'Fri, 06 Nov 2026 09:00:00 GMT' });
    docs['/unodc.xml'] = rss('UNODC news', unodcItems);
    expect(await poll()).toMatchObject({ new_publications: 1 });
    await until(async () => (await status()).mail_service.state === 'unavailable', 'the worker to find the mail server down');
    expect((await status()).mail_service.deferred_messages).toBeGreaterThanOrEqual(1);
    // A confirmation cannot wait in a queue: the reader is asked to try again, and may at once.
    const refused = await hub.api('POST', '/api/subscriptions', { body: { email: 'late@example.org', frequency: 'daily' } });
    expect(refused.status).toBe(503);
    expect(refused.json.error.code).toBe('mail_unavailable');

    await smtp.start();
    expect((await hub.api('POST', '/api/subscriptions', { body: { email: 'late@example.org', frequency: 'daily' } })).status).toBe(202);
    expect(smtp.to('late@example.org').map((m) => m.subject)).toEqual(['[ICAT] Confirm your publication alerts']);
    await smtp.waitFor(() => alertsTo(WATCHER).some((m) => m.subject.includes('non-punishment')), 15_000, 'the held-up alert');
    await until(drained, 'the alerts queue to drain');
    expect(alertsTo(WATCHER).filter((m) => m.subject.includes('non-punishment'))).toHaveLength(1);
    const s = await status();
    expect(s.mail_service.state).toBe('ok');
    expect(s.dead_letters).toBe(0);
    const dead = await hub.api('GET', '/api/alerts/dead-letters', { token: ADMIN_TOKEN });
    expect(dead.json).toEqual({ total: 0, items: [] });
  });

  it('exports and deletes a subscriber for the admin only', async () => {
    const path = `/api/subscribers/${encodeURIComponent(WATCHER)}`;
    expect((await hub.api('GET', path)).status).toBe(401);
    const exported = await hub.api('GET', path, { token: ADMIN_TOKEN });
    expect(exported.status).toBe(200);
    expect(exported.json.subscription).toMatchObject({ email: WATCHER, status: 'active', frequency: 'instant', filters: { languages: ['en'] } });
    expect(exported.json.deliveries.filter((d: { state: string }) => d.state === 'sent')).toHaveLength(5);
    expect((await hub.api('DELETE', path, { token: ADMIN_TOKEN })).status).toBe(204);
    expect((await hub.api('GET', path, { token: ADMIN_TOKEN })).status).toBe(404);
    const outbox = await hub.api('GET', '/api/outbox', { token: ADMIN_TOKEN });
    expect(outbox.status).toBe(404);
  });
});

describe('e-mail alerts without a mail server', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ ALERTS_BATCH_WINDOW: '0' });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('writes mails to the outbox folder and lists them for the admin, addresses masked', async () => {
    const res = await hub.api('POST', '/api/subscriptions', { body: { email: 'new.reader@example.org', frequency: 'weekly' } });
    expect(res.status).toBe(202);
    expect((await hub.api('GET', '/api/outbox')).status).toBe(401);
    const outbox = await hub.api('GET', '/api/outbox', { token: ADMIN_TOKEN });
    expect(outbox.status).toBe(200);
    expect(outbox.json.items).toEqual([{ file: expect.stringMatching(/\.eml$/), subject: '[ICAT] Confirm your publication alerts', to: 'n***@e***.org', date: expect.any(String), messageId: expect.stringMatching(/^<confirm\./) }]);
    expect(outbox.text).not.toContain('new.reader@example.org');
    const eml = readFileSync(join(hub.dataDir, 'outbox', outbox.json.items[0].file), 'utf8');
    expect(eml).toMatch(/^To: new\.reader@example\.org\r?$/m);
    expect(parseMail(eml.replace(/\r?\n/g, '\r\n')).text).toMatch(/subscriptions\/confirm\?token=c\./);
    expect(statSync(join(hub.dataDir, 'token-secret')).mode & 0o777).toBe(0o600);
    const status = await hub.api('GET', '/api/alerts/status', { token: ADMIN_TOKEN });
    expect(status.json).toMatchObject({ transport: 'outbox', mail_service: { state: 'ok' }, dead_letters: 0 });
  });

  it('exports and deletes a subscriber with the address in the body, for the admin only', async () => {
    const body = { email: 'New.Reader@example.org' };
    expect((await hub.api('POST', '/api/subscribers/export', { body })).status).toBe(401);
    const exported = await hub.api('POST', '/api/subscribers/export', { token: ADMIN_TOKEN, body });
    expect(exported.status).toBe(200);
    expect(exported.json.subscription).toMatchObject({ email: 'new.reader@example.org', frequency: 'weekly' });
    expect((await hub.api('POST', '/api/subscribers/export', { token: ADMIN_TOKEN, body: {} })).status).toBe(422);
    expect((await hub.api('POST', '/api/subscribers/delete', { token: ADMIN_TOKEN, body })).status).toBe(204);
    expect((await hub.api('POST', '/api/subscribers/export', { token: ADMIN_TOKEN, body })).status).toBe(404);
  });
});
