// A feed that starts failing reaches `dead` and its member hears about it once by e-mail, then once
// more when it recovers. A real SMTP server on loopback receives the notices.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { ADMIN_TOKEN, rss, startTestHub, type TestHub } from '../helpers/hub.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

describe('dead feeds', () => {
  let hub: TestHub;
  let server: FeedServer;
  let smtp: TestSmtpServer;
  let key: string;
  let feedId: string;
  const state = { broken: false };

  beforeAll(async () => {
    server = await startFeedServer({
      '/feed.xml': (_req, res) =>
        void (state.broken
          ? res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>')
          : res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('OSCE', [{ guid: 'o1', title: 'OSCE handbook', link: 'https://osce.example/h' }]))),
    });
    smtp = await startSmtpServer();
    hub = await startTestHub({ SMTP_URL: smtp.url });
    key = (await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id: 'osce', name: 'OSCE', email: 'feeds@osce.example', domains: ['127.0.0.1'] } })).json.api_key;
    feedId = (await hub.api('POST', '/api/feeds', { token: key, body: { url: server.url('/feed.xml') } })).json.feed.id;
    await hub.poll();
  });

  afterAll(async () => {
    await hub?.close();
    await server?.close();
    await smtp?.stop();
  });

  const notices = () => smtp.mails.filter((m) => m.to.includes('feeds@osce.example'));

  it('marks a feed dead after five failures in a row and tells its member once', async () => {
    state.broken = true;
    for (let i = 1; i <= 4; i += 1) {
      await hub.poll();
      const feed = await hub.api('GET', `/api/feeds/${feedId}`, { token: key });
      expect(feed.json).toMatchObject({ status: 'error', consecutive_errors: i });
    }
    expect(notices()).toHaveLength(0);
    await hub.poll();
    const dead = await hub.api('GET', `/api/feeds/${feedId}`, { token: key });
    expect(dead.json).toMatchObject({ status: 'dead', consecutive_errors: 5 });
    expect(dead.json.last_error.message).toMatch(/404/);
    // Polled once a day from now on.
    expect(Date.parse(dead.json.next_poll_at) - Date.now()).toBeGreaterThan(23 * 3600_000);
    const [mail] = await smtp.waitFor((m) => m.some((x) => x.to.includes('feeds@osce.example')), 5000, 'the dead-feed notice');
    expect(mail!.subject).toMatch(/stopped working/);
    expect(mail!.text).toContain(server.url('/feed.xml'));
    expect(mail!.text).toMatch(/404/);
    expect(mail!.text).toMatch(/What to do/);
    // Another failure: no second notice.
    await hub.poll();
    expect(notices()).toHaveLength(1);
  });

  it('tells the member again, once, when the feed recovers', async () => {
    state.broken = false;
    await hub.poll();
    const feed = await hub.api('GET', `/api/feeds/${feedId}`, { token: key });
    expect(feed.json).toMatchObject({ status: 'ok', consecutive_errors: 0, dead_notice_sent_at: null });
    await smtp.waitFor((m) => m.filter((x) => x.to.includes('feeds@osce.example')).length === 2, 5000, 'the recovery notice');
    expect(notices()[1]!.subject).toMatch(/works again/);
    await hub.poll();
    expect(notices()).toHaveLength(2);
    const health = await hub.api('GET', '/api/health/feeds', { token: key });
    const today = health.json.items[0].history.at(-1);
    expect(today.errors).toBe(6);
    expect(today.checks).toBeGreaterThanOrEqual(9);
  });
});
