import { describe, expect, it } from 'vitest';
import { runLimited } from '../../shared/app/limiter.ts';

describe('runLimited', () => {
  it('keeps to the global and per-key limits and returns results in order', async () => {
    let running = 0;
    let peak = 0;
    const perKey = new Map<string, number>();
    let peakPerKey = 0;
    const items = Array.from({ length: 20 }, (_, i) => ({ i, host: i % 3 === 0 ? 'a' : `h${i}` }));
    const out = await runLimited(items, { concurrency: 5, keyOf: (x) => x.host, perKey: 2 }, async (x) => {
      running += 1;
      perKey.set(x.host, (perKey.get(x.host) ?? 0) + 1);
      peak = Math.max(peak, running);
      peakPerKey = Math.max(peakPerKey, perKey.get(x.host)!);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      perKey.set(x.host, perKey.get(x.host)! - 1);
      return x.i * 2;
    });
    expect(out).toEqual(items.map((x) => x.i * 2));
    expect(peak).toBeLessThanOrEqual(5);
    expect(peak).toBeGreaterThan(1);
    expect(peakPerKey).toBe(2);
  });

  it('rejects when a task fails', async () => {
    await expect(runLimited([1, 2], { concurrency: 2 }, async (x) => { if (x === 2) throw new Error('boom'); return x; })).rejects.toThrow('boom');
  });
});
