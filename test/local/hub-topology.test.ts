// `npm start` with HUB_TOPOLOGY=lambda: the local hub serves through the Lambda handlers. Driven end
// to end over its socket: subscribe and confirm by mail, register a member's feed, "poll now" (queued,
// 202, as in AWS), the poll-worker polls from the poll queue, the alerts-worker mails the alert; the
// stop drains the mappings and abandons nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendBody, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { ADMIN_TOKEN, rss, startTestHub, type TestHub } from '../helpers/hub.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

const READER = 'reader@example.org';
let hub: TestHub;
let smtp: TestSmtpServer;
let feeds: FeedServer;

beforeAll(async () => {
  smtp = await startSmtpServer();
  feeds = await startFeedServer({ '/news.xml': sendBody(rss('Test org news', [{ guid: 't-1', title: 'Guidance on survivor support', link: 'https://example.org/guidance', date: 'Mon, 02 Nov 2026 09:00:00 GMT' }])) });
  hub = await startTestHub({ SMTP_URL: smtp.url, MAIL_FROM: 'ICAT publication alerts <alerts@hub.example>', ALERTS_BATCH_WINDOW: '0', ALERTS_TICK: '1' }, { topology: 'lambda' });
});

afterAll(async () => {
  await hub?.close();
  await feeds?.close();
  await smtp?.stop();
});

describe('local hub in the Lambda topology', () => {
  it('runs the handlers behind its socket, end to end', async () => {
    expect(hub.topology?.mappings.length).toBe(2);
    expect((await hub.api('POST', '/api/subscriptions', { body: { email: READER, frequency: 'instant' } })).status).toBe(202);
    const [confirmation] = await smtp.waitFor((m) => m.length >= 1, 10_000, 'the confirmation mail');
    const link = new URL(/https?:\/\/\S+\/subscriptions\/confirm\?token=[\w.-]+/.exec(confirmation!.text)![0]);
    const confirmed = await fetch(`${hub.url}${link.pathname}${link.search}`);
    expect(await confirmed.text()).toContain('Your alerts are confirmed');

    const member = await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id: 'testorg', name: 'Test org', email: 'feeds@testorg.example', domains: ['127.0.0.1'] } });
    expect(member.status).toBe(201);
    expect((await hub.api('POST', '/api/feeds', { token: member.json.api_key, body: { url: feeds.url('/news.xml') } })).status).toBe(201);
    const poll = await hub.api('POST', '/api/poll', { token: ADMIN_TOKEN });
    expect(poll.status).toBe(202);
    expect(poll.json).toMatchObject({ queued: 1 });

    const mails = await smtp.waitFor((m) => m.some((x) => x.subject.includes('Guidance on survivor support')), 20_000, 'the alert');
    expect(mails.filter((m) => m.subject.includes('Guidance on survivor support')).map((m) => m.to)).toEqual([[READER]]);
    const page = await fetch(`${hub.url}/api/publications`);
    expect(await page.text()).toContain('Guidance on survivor support');
    expect(hub.topology!.mappings.map((m) => m.stats.failed + m.stats.errors)).toEqual([0, 0]);
    expect(await hub.stop()).toEqual({ abandoned: 0 });
  });

  it('without SMTP_URL, the functions write mail to the outbox folder, which the admin lists', async () => {
    const local = await startTestHub({}, { topology: 'lambda' });
    try {
      expect((await local.api('POST', '/api/subscriptions', { body: { email: 'new.reader@example.org', frequency: 'daily' } })).status).toBe(202);
      const outbox = await local.api('GET', '/api/outbox', { token: ADMIN_TOKEN });
      expect(outbox.status).toBe(200);
      expect(outbox.json.items).toEqual([expect.objectContaining({ file: expect.stringMatching(/\.eml$/), subject: '[ICAT] Confirm your publication alerts', to: 'n***@e***.org' })]);
    } finally {
      await local.close();
    }
  });
});
