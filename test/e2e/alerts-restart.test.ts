// Alerts waiting for the mail server are not lost when the local hub stops: the next start on the
// same data folder mails them, once, and not to a reader who subscribed in between.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { ADMIN_TOKEN, rss, startTestHub, type TestHub } from '../helpers/hub.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

const env = (dataDir: string, smtp: TestSmtpServer) => ({ DATA_DIR: dataDir, SMTP_URL: smtp.url, ALERTS_BATCH_WINDOW: '0', ALERTS_RETRY_BASE: '1', ALERTS_TICK: '1' });

async function confirm(hub: TestHub, smtp: TestSmtpServer, email: string): Promise<void> {
  expect((await hub.api('POST', '/api/subscriptions', { body: { email, frequency: 'instant' } })).status).toBe(202);
  const [mail] = await smtp.waitFor(() => smtp.to(email).length > 0, 5000, `the confirmation to ${email}`);
  void mail;
  const link = /https?:\/\/\S+\/subscriptions\/confirm\?token=[\w.-]+/.exec(smtp.to(email)[0]!.text)![0];
  const url = new URL(link);
  expect((await fetch(`${hub.url}${url.pathname}${url.search}`)).status).toBe(200);
}

describe('alerts across a restart of the local hub', () => {
  let smtp: TestSmtpServer;
  let feeds: FeedServer;
  let hub: TestHub | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'icat-hub-restart-'));
  const doc = { body: rss('UNODC', [{ guid: 'a', title: 'First paper', link: 'https://unodc.example/a' }]) };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    feeds = await startFeedServer({ '/feed.xml': (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(doc.body) });
  });

  afterAll(async () => {
    await hub?.close();
    await feeds?.close();
    await smtp?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('mails the alert that waited, once, after the hub comes back', async () => {
    hub = await startTestHub(env(dataDir, smtp));
    const key = (await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id: 'unodc', name: 'UNODC', email: 'feeds@unodc.example', domains: ['127.0.0.1'] } })).json.api_key;
    expect((await hub.api('POST', '/api/feeds', { token: key, body: { url: feeds.url('/feed.xml') } })).status).toBe(201);
    await confirm(hub, smtp, 'early@example.org');

    await smtp.stop();
    const polled = await hub.poll();
    expect(polled.new_publications).toBe(1);
    await hub.stop();

    await smtp.start();
    hub = await startTestHub(env(dataDir, smtp));
    await confirm(hub, smtp, 'late@example.org');
    await smtp.waitFor(() => smtp.to('early@example.org').length === 2, 10_000, 'the alert that waited');
    expect(smtp.to('early@example.org')[1]!.subject).toContain('First paper');
    // A second restart does not mail it again, and the reader who came later never gets it.
    await hub.stop();
    hub = await startTestHub(env(dataDir, smtp));
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.to('early@example.org')).toHaveLength(2);
    expect(smtp.to('late@example.org').map((m) => m.subject)).toEqual([expect.stringMatching(/Confirm/)]);
  });
});
