// The public site in headless Chromium, as a new visitor would use it: a local hub on loopback reads
// feeds from a loopback feed server; the visitor reads and filters the list, follows a feed link,
// subscribes and confirms through the mail a loopback SMTP server receives, reads the directory; the
// same without JavaScript; in French and Spanish. axe-core runs on every page, screenshots are saved,
// and no request leaves loopback.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeViolations, launchBrowser, newVisitor, runAxe, runAxeWithoutScript, screenshot, type Visitor } from '../helpers/browser.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { assertWellFormedXml, parseWithFeedparser } from '../helpers/feed-validators.ts';
import { ADMIN_TOKEN, rss, startTestHub, type TestHub } from '../helpers/hub.ts';
import { seedPublications } from '../helpers/publications.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

describe('the public site in a browser', () => {
  let hub: TestHub;
  let feeds: FeedServer;
  let smtp: TestSmtpServer;
  let browser: Browser;
  const visitors: Visitor[] = [];
  const docs: Record<string, { status: number; body: string }> = {};
  const axeReports: string[] = [];

  const serve = (path: string) => (_req: IncomingMessage, res: ServerResponse) => {
    const doc = docs[path]!;
    res.writeHead(doc.status, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(doc.body);
  };

  async function visitor(options: Parameters<typeof newVisitor>[1] = {}): Promise<Visitor> {
    const v = await newVisitor(browser, { baseURL: hub.url, ...options });
    visitors.push(v);
    return v;
  }

  /** axe on the page as it is now, and a screenshot of it. */
  async function check(page: Page, name: string, options: { script?: boolean } = {}): Promise<void> {
    const violations = options.script === false ? await runAxeWithoutScript(browser, page) : await runAxe(page);
    axeReports.push(`${name}: ${violations.length} violations`);
    expect(violations, `${name}: ${describeViolations(violations)}`).toEqual([]);
    await screenshot(page, name);
  }

  /** A link from a mail, at the hub's real address (PUBLIC_URL is left at its default). */
  const local = (link: string) => {
    const u = new URL(link);
    return `${hub.url}${u.pathname}${u.search}`;
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    docs['/unodc.xml'] = {
      status: 200,
      body: rss('UNODC news', [
        { guid: 'u-1', title: 'Global Report on Trafficking in Persons 2026', link: 'https://www.unodc.org/glotip-2026', date: 'Mon, 02 Nov 2026 09:00:00 GMT', category: 'Research', pdf: 'https://www.unodc.org/documents/glotip-2026.pdf', description: 'Trends and patterns of trafficking detected in 141 countries.' },
        { guid: 'u-2', title: 'Toolkit for prosecutors & judges', link: 'https://www.unodc.org/toolkit', date: 'Tue, 03 Nov 2026 09:00:00 GMT', category: 'Guidance', description: 'Practical <strong>guidance</strong> for criminal justice practitioners.' },
      ]),
    };
    docs['/iom.xml'] = { status: 200, body: rss('IOM news', [{ guid: 'i-1', title: 'Forced labour in supply chains: a field guide', link: 'https://www.iom.int/field-guide', date: 'Wed, 04 Nov 2026 08:00:00 GMT', category: 'Guidance' }]) };
    docs['/iom-events.xml'] = { status: 200, body: rss('IOM events', [{ guid: 'e-1', title: 'Webinar: protecting migrant workers', link: 'https://www.iom.int/webinar', date: 'Thu, 05 Nov 2026 08:00:00 GMT', category: 'Event' }]) };
    feeds = await startFeedServer(Object.fromEntries(Object.keys(docs).map((p) => [p, serve(p)])));
    hub = await startTestHub({ SMTP_URL: smtp.url, MAIL_FROM: 'ICAT publication alerts <alerts@hub.example>', ALERTS_BATCH_WINDOW: '0', PUBLIC_RATE_LIMIT: '0' });
    const members = { unodc: ['/unodc.xml'], iom: ['/iom.xml', '/iom-events.xml'] };
    for (const [id, paths] of Object.entries(members)) {
      const member = await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id, name: id.toUpperCase(), email: `feeds@${id}.example`, domains: ['127.0.0.1'] } });
      expect(member.status).toBe(201);
      for (const path of paths) expect((await hub.api('POST', '/api/feeds', { token: member.json.api_key, body: { url: feeds.url(path) } })).status).toBe(201);
    }
    // The events feed breaks after registration: the directory shows it failing.
    docs['/iom-events.xml'] = { status: 500, body: 'down' };
    expect((await hub.api('POST', '/api/poll', { token: ADMIN_TOKEN })).json).toMatchObject({ new_publications: 3, errors: 1 });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const v of visitors) await v.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
    await feeds?.close();
    await smtp?.stop();
    console.info(`[axe] ${axeReports.join('; ')}`);
  });

  it('reads the latest publications and filters them by member and by free text', async () => {
    const { page, problems, offsite } = await visitor();
    await page.goto('/');
    expect(await page.locator('h1').textContent()).toBe('Latest publications');
    expect(await page.locator('.entry h2').allTextContents()).toEqual(['Forced labour in supply chains: a field guide', 'Toolkit for prosecutors & judges', 'Global Report on Trafficking in Persons 2026']);
    expect(await page.locator('.entry .pdfs a').getAttribute('href')).toBe('https://www.unodc.org/documents/glotip-2026.pdf');
    // With script, each feed link gets a copy button (progressive enhancement).
    expect(await page.locator('.feed-links .copy-button').count()).toBe(3);
    await check(page, 'latest');

    await page.selectOption('#f-member', 'unodc');
    await Promise.all([page.waitForURL(/member=unodc/), page.getByRole('button', { name: 'Show publications' }).click()]);
    expect(await page.locator('.entry h2').allTextContents()).toEqual(['Toolkit for prosecutors & judges', 'Global Report on Trafficking in Persons 2026']);

    await page.fill('#f-q', 'traffick');
    await Promise.all([page.waitForURL(/q=traffick/), page.press('#f-q', 'Enter')]);
    expect(await page.locator('.entry h2').allTextContents()).toEqual(['Global Report on Trafficking in Persons 2026']);
    expect(await page.locator('.results-bar p').textContent()).toBe('Showing 1–1 of 1 publications');
    await check(page, 'latest-filtered');
    expect(problems).toEqual([]);
    expect(offsite).toEqual([]);
  });

  it('follows the feed link of a filtered view and gets exactly that selection', async () => {
    const { page, context } = await visitor();
    await page.goto('/?member=iom&category=Guidance');
    const href = await page.getByRole('link', { name: 'RSS', exact: true }).getAttribute('href');
    expect(href).toBe('/feeds/all.rss?member=iom&category=Guidance');
    expect(await page.locator('link[rel="alternate"][type="application/rss+xml"]').getAttribute('href')).toBe(href);
    const res = await context.request.get(new URL(href!, hub.url).href);
    expect(res.headers()['content-type']).toBe('application/rss+xml; charset=utf-8');
    const body = await res.text();
    assertWellFormedXml(body);
    const feed = await parseWithFeedparser(body);
    expect(feed.entries.map((e) => e.title)).toEqual(['Forced labour in supply chains: a field guide']);
  });

  it('subscribes through the form and confirms through the mail received', async () => {
    const { page, problems } = await visitor();
    await page.goto('/');
    await Promise.all([page.waitForURL(/\/subscribe$/), page.getByRole('link', { name: 'E-mail alerts' }).click()]);
    await check(page, 'subscribe');
    await page.getByLabel('Your e-mail address').fill('reader@example.org');
    await page.getByLabel('Weekly: once a week, on Mondays at 07:00 UTC').check();
    await page.getByLabel('UNODC', { exact: true }).check();
    await page.getByLabel('English').check();
    await page.getByLabel('Keywords').fill('traffick, forced labour');
    await Promise.all([page.waitForURL(/sent=1/), page.getByRole('button', { name: 'Subscribe' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Check your mail');
    await check(page, 'subscribe-sent');

    await smtp.waitFor((m) => m.some((x) => x.to.includes('reader@example.org')), 10_000, 'the confirmation mail');
    const [mail] = smtp.to('reader@example.org');
    const link = /https?:\/\/\S+\/subscriptions\/confirm\?token=[\w.-]+/.exec(mail!.text)![0];
    await page.goto(local(link));
    expect(await page.locator('h1').textContent()).toBe('Your alerts are confirmed');
    expect(await page.locator('main li').allTextContents()).toEqual(['How often: Weekly: once a week, on Mondays at 07:00 UTC', 'Members: UNODC', 'Languages: en', 'Keywords: traffick, forced labour']);
    await check(page, 'subscribe-confirmed');

    await page.getByRole('link', { name: 'Change what you receive' }).click();
    expect(await page.locator('h1').textContent()).toBe('Your publication alerts');
    expect(await page.getByLabel('Weekly: once a week, on Mondays at 07:00 UTC').isChecked()).toBe(true);
    await page.getByLabel('Daily: once a day, at 07:00 UTC').check();
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('.notice').textContent()).toBe('Saved. Your choices apply from the next publication.');
    await check(page, 'subscribe-manage');

    await page.getByRole('link', { name: 'Unsubscribe from all alerts' }).click();
    await check(page, 'unsubscribe');
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    expect(await page.locator('h1').textContent()).toBe('You are unsubscribed');
    await check(page, 'unsubscribed');
    expect(problems).toEqual([]);
  });

  it('shows the directory: each feed with its status in words and colour, and the OPML', async () => {
    const { page, context } = await visitor();
    await page.goto('/directory');
    const rows = page.locator('section#member-iom tbody tr');
    expect(await rows.count()).toBe(2);
    const failing = page.locator('section#member-iom .status-error');
    expect(await failing.textContent()).toBe('Failing');
    // Colour as well as words: the failing badge is painted differently from the working one.
    type Styled = { getComputedStyle(el: unknown): { backgroundColor: string; color: string } };
    const colours = async (selector: string) =>
      page.locator(selector).first().evaluate((el) => {
        const style = (globalThis as unknown as Styled).getComputedStyle(el);
        return `${style.backgroundColor} / ${style.color}`;
      });
    expect(await colours('section#member-iom .status-error')).not.toBe(await colours('section#member-unodc .status-ok'));
    expect(await page.locator('section#member-unodc .status-ok').textContent()).toBe('Working');
    for (const name of ['Every member, one feed each (OPML)', 'Members’ own feeds (OPML)']) {
      const opml = await page.getByRole('link', { name }).getAttribute('href');
      expect((await context.request.get(new URL(opml!, hub.url).href)).headers()['content-type']).toBe('text/x-opml; charset=utf-8');
    }
    await check(page, 'directory');
  });

  it('lets a keyboard user skip to the content, with the focus visible', async () => {
    const { page } = await visitor();
    await page.goto('/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to main content');
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('main');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('f-q');
  });

  it('reads, pages, filters and subscribes without JavaScript', async () => {
    await seedPublications(hub.runtime.ctx.store, 45, new Date('2026-10-30T12:00:00Z'));
    hub.http.publicationsChanged();
    const { page, problems } = await visitor({ javaScriptEnabled: false });
    await page.goto('/');
    expect(await page.locator('.results-bar p').textContent()).toBe('Showing 1–20 of 48 publications');
    expect(await page.locator('.copy-button').count()).toBe(0);
    await page.getByRole('link', { name: 'Next page' }).click();
    expect(page.url()).toBe(`${hub.url}/?page=2`);
    expect(await page.locator('.results-bar p').textContent()).toBe('Showing 21–40 of 48 publications');
    await check(page, 'latest-page-2-no-js', { script: false });

    await page.fill('#f-q', 'field guide');
    await page.getByRole('button', { name: 'Show publications' }).click();
    expect(await page.locator('.entry h2').allTextContents()).toEqual(['Forced labour in supply chains: a field guide']);

    await page.goto('/subscribe');
    await page.getByLabel('Your e-mail address').fill('no-script@example.org');
    await page.getByLabel('Instant: as soon as they appear').check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    expect(await page.locator('h1').textContent()).toBe('Check your mail');
    await smtp.waitFor((m) => m.some((x) => x.to.includes('no-script@example.org')), 10_000, 'the confirmation mail');
    const [mail] = smtp.to('no-script@example.org');
    await page.goto(local(/https?:\/\/\S+\/subscriptions\/confirm\?token=[\w.-]+/.exec(mail!.text)![0]));
    expect(await page.locator('h1').textContent()).toBe('Your alerts are confirmed');
    expect(problems).toEqual([]);
  });

  it('shows a form error next to its field, and the summary links to it', async () => {
    const { page } = await visitor({ javaScriptEnabled: false });
    await page.goto('/subscribe');
    await page.getByLabel('Your e-mail address').fill('not an address');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    expect(await page.locator('.error-summary li').allTextContents()).toEqual(['Give a valid e-mail address, like name@example.org.']);
    expect(await page.locator('#email').getAttribute('aria-invalid')).toBe('true');
    await check(page, 'subscribe-error', { script: false });
  });

  it('speaks French and Spanish when the browser asks, and switches language on request', async () => {
    const fr = await visitor({ locale: 'fr-FR' });
    await fr.page.goto('/');
    expect(await fr.page.getAttribute('html', 'lang')).toBe('fr');
    expect(await fr.page.locator('h1').textContent()).toBe('Dernières publications');
    expect(await fr.page.locator('.entry time').first().textContent()).toBe('4 novembre 2026');
    await check(fr.page, 'latest-fr');

    const es = await visitor({ locale: 'es-ES' });
    await es.page.goto('/subscribe');
    expect(await es.page.getAttribute('html', 'lang')).toBe('es');
    expect(await es.page.locator('h1').textContent()).toBe('Alertas por correo electrónico');
    expect(await es.page.locator('legend').first().textContent()).toBe('Frecuencia');
    await check(es.page, 'subscribe-es');
    await es.page.goto('/directory');
    expect(await es.page.locator('section#member-iom .status-error').textContent()).toBe('Con errores');
    await check(es.page, 'directory-es');

    // The switch, from a French page: back on the same page, in English, and it stays so.
    await fr.page.goto('/directory');
    await fr.page.getByRole('link', { name: 'English' }).click();
    expect(fr.page.url()).toBe(`${hub.url}/directory`);
    expect(await fr.page.locator('h1').textContent()).toBe('Feed directory');
    await fr.page.goto('/');
    expect(await fr.page.locator('h1').textContent()).toBe('Latest publications');
  });
});
