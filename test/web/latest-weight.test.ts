// The latest-publications page with 10,000 publications stored (written straight through the store):
// every view stays under 100 KB before images, and pages and filtered feeds are served from the
// in-memory index. Timings are printed for the record, not asserted (the machine is shared and noisy).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { seedPublications } from '../helpers/publications.ts';

const COUNT = 10_000;
const LIMIT = 100 * 1024;

describe(`the latest publications page with ${COUNT.toLocaleString('en')} publications`, () => {
  let hub: TestHub;
  const timings: string[] = [];

  beforeAll(async () => {
    hub = await startTestHub({ PUBLIC_RATE_LIMIT: '0' });
    await seedPublications(hub.runtime.ctx.store, COUNT);
    hub.publicationsChanged();
    const t0 = performance.now();
    // The first view loads the in-memory index.
    expect((await fetch(`${hub.url}/`)).status).toBe(200);
    timings.push(`index load and first view ${(performance.now() - t0).toFixed(0)} ms`);
  }, 180_000);

  afterAll(async () => {
    console.info(`[web timings, ${COUNT} publications] ${timings.join('; ')}`);
    await hub?.close();
  });

  async function measure(path: string): Promise<{ status: number; bytes: number; text: string }> {
    const runs: number[] = [];
    let res!: Response;
    let text = '';
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      res = await fetch(hub.url + path);
      text = await res.text();
      runs.push(performance.now() - t0);
    }
    runs.sort((a, b) => a - b);
    const bytes = Buffer.byteLength(text);
    timings.push(`${path} ${(bytes / 1024).toFixed(1)} KB median ${runs[3]!.toFixed(1)} ms best ${runs[0]!.toFixed(1)} ms`);
    return { status: res.status, bytes, text };
  }

  const views = ['/', '/?page=2', '/?page=500', '/?q=forced+labour', '/?member=unodc&page=3', '/?category=Research&language=fr&from=2026-01-01&to=2026-06-30', '/?lang=fr'];
  for (const view of views) {
    it(`${view} weighs under 100 KB`, async () => {
      const { status, bytes, text } = await measure(view);
      expect(status).toBe(200);
      expect(bytes).toBeLessThan(LIMIT);
      expect(text).toContain('</html>');
    });
  }

  it('pages through all of them, 20 a page', async () => {
    const first = (await measure('/')).text;
    expect(first).toContain('Showing 1–20 of 10,000 publications');
    expect(first.match(/<li class="entry">/g)).toHaveLength(20);
    expect(first).toContain('Page 1 of 500');
    const last = (await measure('/?page=500')).text;
    expect(last).toContain('Showing 9,981–10,000 of 10,000 publications');
    expect(last).not.toContain('rel="next"');
  });

  it('serves filtered feeds from the same index', async () => {
    const res = await fetch(`${hub.url}/feeds/all.json?q=child+protection&limit=100`);
    const doc = (await res.json()) as { items: { title: string }[] };
    expect(doc.items).toHaveLength(100);
    expect(doc.items.every((i) => /child protection/i.test(i.title))).toBe(true);
    await measure('/feeds/all.atom?member=iom&language=en');
  });
});
