// The secretariat's pages in headless Chromium: sign in with the admin token, create a member (its key
// shown once), see a dead feed, the mail page with the local outbox, and "poll now" with live progress:
// one feed's answer is held back by the test so the page shows feeds done of total while the cycle
// runs, then the result. The same poll without JavaScript, and a page in Spanish. axe-core runs on
// every page, screenshots are saved, and no request leaves loopback.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeViolations, launchBrowser, newVisitor, runAxe, screenshot, type Visitor } from '../helpers/browser.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { ADMIN_TOKEN, rss, startTestHub, type TestHub } from '../helpers/hub.ts';

describe('the secretariat pages in a browser', () => {
  let hub: TestHub;
  let feeds: FeedServer;
  let browser: Browser;
  let memberKey: string;
  const visitors: Visitor[] = [];
  const axeReports: string[] = [];
  const dying = { down: false };
  // While `held` is set, /slow.xml answers only when the test releases it.
  let held: { promise: Promise<void>; release: () => void } | undefined;

  const feed = (title: string) => (_req: IncomingMessage, res: ServerResponse) =>
    void res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(rss(title, [{ guid: `${title}-1`, title: `${title}: first paper`, link: `https://unhcr.example/${title.length}` }]));

  async function visitor(options: Parameters<typeof newVisitor>[1] = {}): Promise<Visitor> {
    const v = await newVisitor(browser, { baseURL: hub.url, ...options });
    visitors.push(v);
    return v;
  }

  /** axe on the page as it is now, and a screenshot of it. */
  async function check(page: Page, name: string): Promise<void> {
    const violations = await runAxe(page);
    axeReports.push(`${name}: ${violations.length} violations`);
    expect(violations, `${name}: ${describeViolations(violations)}`).toEqual([]);
    await screenshot(page, name);
  }

  async function signIn(page: Page): Promise<void> {
    await page.goto('/admin');
    await page.getByLabel('Admin token', { exact: true }).fill(ADMIN_TOKEN);
    await Promise.all([page.waitForURL(/\/admin$/), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
  }

  beforeAll(async () => {
    feeds = await startFeedServer({
      '/news.xml': feed('UNHCR news'),
      '/slow.xml': async (req, res) => {
        if (held) await held.promise;
        feed('UNHCR stories')(req, res);
      },
      '/dying.xml': (req, res) => (dying.down ? void res.writeHead(500, { 'content-type': 'text/plain' }).end('down') : feed('UNHCR briefings')(req, res)),
    });
    // No SMTP_URL: mail goes to the local outbox, which the mail page lists.
    hub = await startTestHub({ PUBLIC_RATE_LIMIT: '0' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    held?.release();
    for (const v of visitors) await v.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
    await feeds?.close();
    console.info(`[axe] ${axeReports.join('; ')}`);
  });

  it('signs in with the admin token and creates a member, showing its key once', async () => {
    const { page, problems, offsite } = await visitor();
    await page.goto('/admin');
    expect(await page.locator('h1').textContent()).toBe('Secretariat: sign in');
    await check(page, 'admin-sign-in');
    await signIn(page);
    expect(await page.locator('h1').textContent()).toBe('Secretariat');
    expect(await page.locator('.site-nav a[aria-current="page"]').textContent()).toBe('Secretariat');
    await check(page, 'admin-overview');

    await page.getByRole('link', { name: 'Members', exact: true }).click();
    await check(page, 'admin-members');
    await page.getByLabel('Short id', { exact: true }).fill('unhcr');
    await page.getByLabel('Name', { exact: true }).fill('Office of the United Nations High Commissioner for Refugees');
    await page.getByLabel('Acronym (optional)', { exact: true }).fill('UNHCR');
    await page.getByLabel('Contact address', { exact: true }).fill('feeds@unhcr.example');
    await page.getByLabel('Domains you vouch for (optional)', { exact: true }).fill('127.0.0.1');
    await page.getByRole('button', { name: 'Create the member', exact: true }).click();
    expect(await page.locator('h1').textContent()).toBe('UNHCR: account created');
    memberKey = (await page.locator('code.secret').textContent())!;
    expect(memberKey).toMatch(/^ihk_[\w-]{43}$/);
    await check(page, 'admin-member-created');
    await page.getByRole('link', { name: 'Back to the members' }).click();
    const row = page.locator('tbody tr', { hasText: 'unhcr' });
    expect(await row.locator('.status').textContent()).toBe('Active');
    expect(await row.innerText()).toContain('feeds@unhcr.example');
    expect(await page.content()).not.toContain(memberKey);
    expect(problems).toEqual([]);
    expect(offsite).toEqual([]);
  });

  it('shows a feed that stopped working, and the mail page with the local outbox', async () => {
    for (const path of ['/news.xml', '/slow.xml', '/dying.xml']) {
      const res = await hub.api('POST', '/api/feeds', { token: memberKey, body: { url: feeds.url(path) } });
      expect(res.json.feed.status).toBe('ok');
    }
    dying.down = true;
    for (let i = 0; i < 5; i += 1) await hub.api('POST', '/api/poll', { token: ADMIN_TOKEN });
    await hub.api('POST', '/api/subscriptions', { body: { email: 'reader@example.org', frequency: 'weekly' } });

    const { page } = await visitor();
    await signIn(page);
    await page.getByRole('link', { name: 'Feeds to look at' }).click();
    expect(await page.locator('#dead-h').textContent()).toBe('Stopped working (1)');
    const dead = page.locator('section', { has: page.locator('#dead-h') }).locator('tbody tr');
    expect(await dead.locator('.status').textContent()).toBe('Stopped working');
    expect(await dead.innerText()).toContain(feeds.url('/dying.xml'));
    await check(page, 'admin-feeds');

    await page.getByRole('link', { name: 'Mail and outbox' }).click();
    const outbox = page.locator('section', { has: page.locator('#outbox-h') });
    // The member was told its feed stopped working; the reader was asked to confirm.
    const rows = await outbox.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows.some((r) => r.includes('f***@u***.example') && r.includes('has stopped working'))).toBe(true);
    expect(rows.some((r) => r.includes('r***@e***.org'))).toBe(true);
    expect(await page.content()).not.toContain('reader@example.org');
    await check(page, 'admin-mail');
  });

  it('polls every feed now, showing feeds done of total while the cycle runs, then the result', async () => {
    const { page, problems } = await visitor();
    await signIn(page);
    let release!: () => void;
    held = { promise: new Promise<void>((r) => (release = r)), release: () => release() };
    await page.getByRole('button', { name: 'Poll now', exact: true }).click();
    // Two feeds answer at once; the held one keeps the cycle running.
    await page.locator('#poll-text', { hasText: '2 of 3 feeds checked' }).waitFor();
    expect([await page.locator('#poll-bar').getAttribute('value'), await page.locator('#poll-bar').getAttribute('max')]).toEqual(['2', '3']);
    expect(await page.getByRole('button', { name: 'Poll now', exact: true }).isDisabled()).toBe(true);
    expect(page.url()).toBe(`${hub.url}/admin`);
    await check(page, 'admin-poll-progress');
    await Promise.all([page.waitForURL(/\/admin\/poll$/), held.release()]);
    held = undefined;
    const summary = await page.locator('dl.poll-summary').innerText();
    expect(summary).toMatch(/Feeds checked\s+3/);
    expect(summary).toMatch(/Errors\s+1/);
    expect(await page.locator('table', { hasText: 'Feeds with new publications or errors' }).innerText()).toContain(feeds.url('/dying.xml'));
    await check(page, 'admin-poll-result');
    expect(problems).toEqual([]);
  });

  it('polls without JavaScript: the form posts and the page shows the summary', async () => {
    const { page, problems } = await visitor({ javaScriptEnabled: false });
    await signIn(page);
    await page.getByRole('button', { name: 'Poll now', exact: true }).click();
    expect(page.url()).toBe(`${hub.url}/admin/poll`);
    expect(await page.locator('dl.poll-summary').innerText()).toMatch(/Feeds checked\s+3/);
    // axe-core does not finish in a page with script disabled; the same page is checked with script above.
    await screenshot(page, 'admin-poll-result-no-js');
    expect(problems).toEqual([]);
  });

  it('speaks Spanish when the browser asks', async () => {
    const { page } = await visitor({ locale: 'es-ES' });
    await page.goto('/admin');
    expect(await page.locator('h1').textContent()).toBe('Secretaría: iniciar sesión');
    await page.getByLabel('Token de administración', { exact: true }).fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
    expect(await page.getByRole('button', { name: 'Consultar ahora', exact: true }).count()).toBe(1);
    await page.getByRole('link', { name: 'Fuentes que revisar' }).click();
    expect(await page.locator('#dead-h').textContent()).toBe('Dejaron de funcionar (1)');
    await check(page, 'admin-feeds-es');
  });
});
