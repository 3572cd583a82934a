// The secretariat's pages over loopback HTTP without a browser: members (created with a key shown
// once), approving a pending feed, "poll now" with and without script, progress, the mail page and
// the local outbox; and no way in for a member's session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { ADMIN_TOKEN, rss, startTestHub, type TestHub } from '../helpers/hub.ts';
import { PortalClient, visibleText } from '../helpers/portal-client.ts';

describe('secretariat pages', () => {
  let hub: TestHub;
  let server: FeedServer;
  let admin: PortalClient;
  let key: string;
  const flaky = { down: false };

  beforeAll(async () => {
    server = await startFeedServer({
      '/feed.xml': (_req, res) =>
        void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('IOM news', [{ guid: '1', title: 'Migration report', link: 'https://iom.example/1', date: 'Mon, 02 Nov 2026 09:00:00 GMT' }])),
      '/flaky.xml': (_req, res) =>
        void (flaky.down ? res.writeHead(500).end('down') : res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('IOM events', [{ guid: 'e1', title: 'Event', link: 'https://iom.example/e1' }]))),
    });
    // No SMTP_URL: mail goes to the outbox folder, which the mail page lists. The poll pages' summary and
    // progress are the in-process topology's (in the Lambda topology the page queues the feeds, as in AWS).
    hub = await startTestHub({ PUBLIC_RATE_LIMIT: '0' }, { topology: 'in-process' });
    admin = new PortalClient(hub.url);
    await admin.visit('/admin');
    expect((await admin.post('/admin/sign-in', { token: ADMIN_TOKEN })).location).toBe('/admin');
  });
  afterAll(async () => {
    await hub?.close();
    await server?.close();
  });

  it('creates a member and shows its key once; the key works, and the form says what is wrong', async () => {
    const list = await admin.get('/admin/members');
    expect(list.text).toContain('<option value="iom">');
    const bad = await admin.post('/admin/members', { id: 'iom', name: 'International Organization for Migration', email: 'not-an-address' });
    expect(bad.status).toBe(422);
    expect(visibleText(bad.text)).toContain('email: a valid contact address');
    expect(bad.text).toContain('value="International Organization for Migration"');
    const created = await admin.post('/admin/members', { id: 'iom', name: 'International Organization for Migration', acronym: 'IOM', email: 'feeds@iom.example', domains: 'iom.example, migration.example' });
    expect(created.status).toBe(201);
    key = /ihk_[\w-]+/.exec(created.text)![0];
    const me = await hub.api('GET', '/api/members/me', { token: key });
    expect(me.json).toMatchObject({ id: 'iom', email: 'feeds@iom.example' });
    expect(me.json.domains.map((d: { domain: string }) => d.domain)).toEqual(['iom.example', 'migration.example']);
    const again = await admin.post('/admin/members', { id: 'iom', name: 'IOM again', email: 'x@iom.example' });
    expect(again.status).toBe(409);
    const members = visibleText((await admin.get('/admin/members')).text);
    expect(members).toContain('feeds@iom.example');
    expect(members).not.toContain(key);
  });

  it('lists a pending feed and approves it', async () => {
    const reg = await hub.api('POST', '/api/feeds', { token: key, body: { url: server.url('/feed.xml') } });
    expect(reg.json.feed.status).toBe('pending');
    const page = await admin.get('/admin/feeds');
    expect(visibleText(page.text)).toContain('Waiting for approval (1)');
    expect(visibleText(page.text)).toContain('127.0.0.1 is not verified');
    const approved = await admin.post(`/admin/feeds/${reg.json.feed.id}/approve`);
    expect(approved.location).toBe('/admin/feeds?notice=approved');
    expect(visibleText((await admin.get(approved.location!)).text)).toContain('Waiting for approval (0)');
    expect((await hub.api('GET', `/api/feeds/${reg.json.feed.id}`, { token: key })).json.status).toBe('ok');
  });

  it('polls every feed: without script the post answers with the summary', async () => {
    const res = await admin.post('/admin/poll');
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    expect(text).toMatch(/Feeds checked 1 New publications 1/);
    expect(text).toContain(server.url('/feed.xml'));
    const overview = visibleText((await admin.get('/admin')).text);
    expect(overview).toContain('Last poll, finished');
  });

  it('polls every feed: with script, 202 at once, then progress until done', async () => {
    expect((await hub.api('POST', '/api/feeds', { token: key, body: { url: server.url('/flaky.xml') } })).status).toBe(201);
    flaky.down = true;
    const started = await admin.post('/admin/poll', {}, { headers: { accept: 'application/json' } });
    expect(started.status).toBe(202);
    expect(JSON.parse(started.text)).toMatchObject({ running: true });
    let status: { running: boolean; done: number; total: number; summary: { feeds_polled: number; errors: number } | null } = JSON.parse(started.text);
    for (let i = 0; i < 200 && status.running; i += 1) {
      await new Promise((r) => setTimeout(r, 25));
      status = JSON.parse((await admin.get('/admin/poll/status')).text);
    }
    expect(status.running).toBe(false);
    expect(status.done).toBe(status.total);
    expect(status.total).toBe(2);
    expect(status.summary).toMatchObject({ feeds_polled: 2, errors: 1 });
    const result = visibleText((await admin.get('/admin/poll')).text);
    expect(result).toMatch(/Feeds checked 2 .* Errors 1/);
    expect(result).toContain(`${server.url('/flaky.xml')} Error`);
  });

  it('shows the mail service, the dead letters and the local outbox', async () => {
    await hub.api('POST', '/api/subscriptions', { body: { email: 'reader@example.org', frequency: 'daily' } });
    const page = visibleText((await admin.get('/admin/mail')).text);
    expect(page).toContain('Sent through outbox');
    expect(page).toContain('None: every alert went out.');
    expect(page).toContain('r***@e***.org');
    expect(page).not.toContain('reader@example.org');
    const redrive = await admin.post('/admin/mail/redrive');
    expect(redrive.location).toBe('/admin/mail?notice=redriven&n=0');
  });

  it('lets no member session in', async () => {
    const m = new PortalClient(hub.url);
    await m.visit();
    await m.post('/portal/sign-in', { key });
    expect(visibleText((await m.get('/admin/members')).text)).toContain('Admin token');
    expect((await m.post('/admin/members', { id: 'evil', name: 'Evil', email: 'e@evil.example' })).status).toBe(401);
    expect((await m.get('/admin/poll/status')).status).toBe(401);
    expect((await hub.api('GET', '/api/members/evil', { token: ADMIN_TOKEN })).status).toBe(404);
    const anonymous = new PortalClient(hub.url);
    expect((await anonymous.get('/admin/poll/status')).status).toBe(401);
  });
});
