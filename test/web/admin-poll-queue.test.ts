// Where feeds are polled by workers (AWS), "poll every feed now" queues them and says so, instead of
// running a whole cycle inside the request.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/log.ts';
import { translator } from '../../shared/i18n/index.ts';
import { pollSummary } from '../../shared/web/pages/admin-poll.ts';
import { PollRunner } from '../../shared/app/poll-runner.ts';
import type { HubContext } from '../../shared/app/context.ts';

const ctx = { log: silentLogger, now: () => new Date('2026-11-22T10:00:00Z') } as unknown as HubContext;

describe('poll now, queued', () => {
  it('reports how many feeds were queued, in the reader\'s language', async () => {
    let calls = 0;
    const runner = new PollRunner(ctx, async (onProgress) => {
      calls += 1;
      onProgress({ done: 0, total: 12 });
      return { queued: 12 };
    });
    const [a, b] = await Promise.all([runner.start(), runner.start()]);
    expect(calls).toBe(1);
    expect(a).toBe(b);
    expect(a).toMatchObject({ queued: 12, total: 12 });
    expect(a.summary).toBeUndefined();
    for (const [lang, words] of [['en', '12 feeds were queued'], ['fr', '12 flux'], ['es', '12 fuentes']] as const) {
      const out = pollSummary({ lang, t: translator(lang), csrf: 'x', path: '/admin' }, a).value;
      expect(out).toContain(words);
      expect(out).toContain('role="status"');
    }
  });
});
