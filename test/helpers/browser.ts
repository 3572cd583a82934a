// Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core (never
// a downloaded browser), with the background services that would reach out to the Internet switched
// off, every request outside loopback refused and recorded, CSP reports and script errors collected,
// axe-core run inside the page, and screenshots saved as test artefacts under test-results/screenshots.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A new browser with its own temporary profile (Playwright makes a fresh user-data dir per launch). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface Visitor {
  context: BrowserContext;
  page: Page;
  /** Requests the page tried to send beyond loopback (refused). */
  offsite: string[];
  /** Console errors and uncaught exceptions, CSP refusals included. */
  problems: string[];
  close(): Promise<void>;
}

/** A new visitor: a fresh context (no cookies), one page, loopback only. */
export async function newVisitor(browser: Browser, options: BrowserContextOptions = {}): Promise<Visitor> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const offsite: string[] = [];
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !LOOPBACK.has(url.hostname) && !url.hostname.startsWith('127.')) {
      offsite.push(url.href);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, offsite, problems, close: () => context.close() };
}

let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page (WCAG 2.0-2.2 A/AA rules and axe's best practices). The script is
 * evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern,
 * so the policy under test stays as strict as it is served.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}

/**
 * axe for a page shown with JavaScript disabled (where nothing can be evaluated in it): the same
 * document, as the browser has it, served again at the same address to a page that runs scripts,
 * with the same stylesheet from the hub.
 */
export async function runAxeWithoutScript(browser: Browser, page: Page): Promise<AxeViolation[]> {
  const markup = await page.content();
  const url = page.url();
  const context = await browser.newContext({ viewport: page.viewportSize() ?? undefined });
  try {
    await context.route('**/*', (route) => {
      const target = route.request().url();
      if (target === url) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: markup });
      const host = new URL(target).hostname;
      return host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort('blockedbyclient');
    });
    const copy = await context.newPage();
    await copy.goto(url);
    return await runAxe(copy);
  } finally {
    await context.close();
  }
}

/** Readable list of violations, for a failing assertion's message. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`).join('\n');
}

/** A full-page screenshot saved as test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
