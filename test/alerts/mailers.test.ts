// The three mailers: SMTP against a real SMTP server on loopback, the outbox on disk, and SES v2 against
// a stand-in on loopback that speaks its REST protocol (AWS itself cannot be reached here, so the SES
// adapter is checked for the request it sends and for how it reads SES's errors).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxMailer } from '../../shared/adapters/mail/outbox-mailer.ts';
import { SesMailer } from '../../shared/adapters/mail/ses-mailer.ts';
import { SmtpMailer, classifySmtpError } from '../../shared/adapters/mail/smtp-mailer.ts';
import { MailError, type MailMessage } from '../../shared/ports/mailer.ts';
import { parseMail, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

const message = (over: Partial<MailMessage> = {}): MailMessage => ({
  from: 'ICAT publication alerts <alerts@hub.example>',
  to: 'reader@example.org',
  subject: '[ICAT] UNODC: Rapport – édition 2026',
  text: 'Plain text\nsecond line',
  html: '<!doctype html><p>HTML &amp; more</p>',
  messageId: '<alert.0123456789abcdef.0123456789abcdef01234567@hub.example>',
  date: new Date('2026-11-02T09:14:03Z'),
  headers: { 'List-Unsubscribe': '<https://hub.example/unsubscribe?token=u.x>, <mailto:alerts@hub.example?subject=unsubscribe>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'List-Id': 'ICAT publication alerts <alerts.hub.example>' },
  ...over,
});

async function failure(p: Promise<unknown>): Promise<MailError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(MailError);
    return err as MailError;
  }
  throw new Error('expected a MailError');
}

describe('SMTP mailer', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp?.stop();
  });

  it('sends the message as built, envelope from the From address', async () => {
    const mailer = new SmtpMailer(smtp.url);
    await mailer.send(message());
    mailer.close();
    const got = smtp.mails.at(-1)!;
    expect(got.from).toBe('alerts@hub.example');
    expect(got.to).toEqual(['reader@example.org']);
    expect(got.subject).toBe('[ICAT] UNODC: Rapport – édition 2026');
    expect(got.headers.get('message-id')).toBe(message().messageId);
    expect(got.headers.get('list-id')).toBe('ICAT publication alerts <alerts.hub.example>');
    expect(got.text).toBe('Plain text\nsecond line');
    expect(got.html).toBe('<!doctype html><p>HTML &amp; more</p>');
  });

  it('reads a 5xx to RCPT as a bounce and a 4xx as a deferral', async () => {
    const mailer = new SmtpMailer(smtp.url);
    smtp.refuse.set('gone@example.org', 550);
    smtp.refuse.set('full@example.org', 452);
    const bounced = await failure(mailer.send(message({ to: 'gone@example.org' })));
    expect(bounced.failure).toBe('bounced');
    expect(new MailError('bounced', '550 <gone@example.org>: no such user').message).toBe('550 <[address]>: no such user');
    expect(bounced.message).not.toContain('@');
    const deferred = await failure(mailer.send(message({ to: 'full@example.org' })));
    expect(deferred).toMatchObject({ failure: 'deferred', responseCode: 452 });
    mailer.close();
  });

  it('reads a server that does not answer as unavailable', async () => {
    const down = await startSmtpServer();
    const url = down.url;
    await down.stop();
    const mailer = new SmtpMailer(url, { timeoutMs: 2000 });
    const err = await failure(mailer.send(message()));
    expect(err.failure).toBe('unavailable');
    expect(err.code).toBe('mail_unavailable');
    mailer.close();
  });

  it('classifies replies at every stage', () => {
    expect(classifySmtpError({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }).failure).toBe('unavailable');
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 421, command: 'RCPT TO' }).failure).toBe('unavailable');
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 553, command: 'MAIL FROM' }).failure).toBe('rejected');
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 554, command: 'DATA' }).failure).toBe('rejected');
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 451, command: 'DATA' }).failure).toBe('deferred');
    expect(classifySmtpError({ code: 'ETIMEDOUT', command: 'CONN' }).failure).toBe('unavailable');
  });
});

describe('outbox mailer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icat-outbox-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes .eml files and lists them newest first, addresses masked', async () => {
    const outbox = new OutboxMailer(join(dir, 'outbox'));
    expect(await outbox.list(10)).toEqual([]);
    await outbox.send(message());
    await outbox.send(message({ to: 'other@example.net', subject: 'Second', messageId: '<b@hub.example>', date: new Date('2026-11-02T10:00:00Z') }));
    const list = await outbox.list(10);
    expect(list).toEqual([
      { file: expect.stringMatching(/^20261102T100000Z-[0-9a-f]{12}\.eml$/), subject: 'Second', to: 'o***@e***.net', date: '2026-11-02T10:00:00.000Z', messageId: '<b@hub.example>' },
      { file: expect.stringMatching(/^20261102T091403Z-[0-9a-f]{12}\.eml$/), subject: '[ICAT] UNODC: Rapport – édition 2026', to: 'r***@e***.org', date: '2026-11-02T09:14:03.000Z', messageId: message().messageId },
    ]);
    const eml = parseMail(readFileSync(join(dir, 'outbox', list[1]!.file), 'utf8').replace(/\r?\n/g, '\r\n'));
    expect(eml.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(eml.text).toBe('Plain text\nsecond line');
  });

  it('keeps one file per Message-ID, and forgets an address on request', async () => {
    const outbox = new OutboxMailer(join(dir, 'outbox'));
    await outbox.send(message({ date: new Date('2026-11-02T11:00:00Z') }));
    expect(await outbox.list(10)).toHaveLength(2);
    expect(await outbox.forget('reader@example.org')).toBe(1);
    expect((await outbox.list(10)).map((e) => e.subject)).toEqual(['Second']);
  });
});

describe('SES v2 mailer (against a stand-in on loopback)', () => {
  const requests: { method: string; path: string; body: Record<string, any> }[] = [];
  let answer: { status: number; body: Record<string, unknown>; type?: string } = { status: 200, body: { MessageId: 'ses-1' } };
  let server: http.Server;
  let client: SESv2Client;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', path: req.url ?? '', body: JSON.parse(body || '{}') });
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (answer.type) headers['x-amzn-errortype'] = answer.type;
        res.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new SESv2Client({ region: 'eu-west-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    client?.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends SendEmail with the raw MIME message and the configuration set', async () => {
    const out = await new SesMailer(client, { configurationSet: 'icat-hub-events' }).send(message());
    expect(out.providerId).toBe('ses-1');
    const req = requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v2/email/outbound-emails');
    expect(req.body).toMatchObject({
      FromEmailAddress: 'alerts@hub.example',
      Destination: { ToAddresses: ['reader@example.org'] },
      ConfigurationSetName: 'icat-hub-events',
      EmailTags: [{ Name: 'kind', Value: 'alert' }],
    });
    const raw = Buffer.from(req.body.Content.Raw.Data, 'base64').toString('utf8');
    const mime = parseMail(raw.replace(/\r?\n/g, '\r\n'));
    expect(mime.subject).toBe('[ICAT] UNODC: Rapport – édition 2026');
    expect(mime.headers.get('list-unsubscribe')).toBe(message().headers['List-Unsubscribe']);
    expect(mime.html).toBe('<!doctype html><p>HTML &amp; more</p>');
  });

  it('reads throttling and a paused account as unavailable, a rejected message as rejected', async () => {
    const mailer = new SesMailer(client);
    answer = { status: 429, type: 'TooManyRequestsException', body: { message: 'Maximum sending rate exceeded.' } };
    expect((await failure(mailer.send(message()))).failure).toBe('unavailable');
    answer = { status: 400, type: 'SendingPausedException', body: { message: 'Sending is paused for this account.' } };
    expect((await failure(mailer.send(message()))).failure).toBe('unavailable');
    answer = { status: 400, type: 'MessageRejected', body: { message: 'Email address is not verified.' } };
    expect((await failure(mailer.send(message()))).failure).toBe('rejected');
    answer = { status: 500, type: 'InternalFailure', body: { message: 'boom' } };
    expect((await failure(mailer.send(message()))).failure).toBe('unavailable');
  });
});
