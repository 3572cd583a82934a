// The 30-day health chart: one bar per UTC day ending today, failures on top in red, days outside the
// window left out, a summary as the image's name and a table of the numbers.
import { describe, expect, it } from 'vitest';
import type { CheckDay } from '../../shared/model.ts';
import { translator } from '../../shared/i18n/index.ts';
import { historyChart, lastDays } from '../../shared/web/pages/portal-chart.ts';
import type { View } from '../../shared/web/pages/portal-parts.ts';

const view = (lang: 'en' | 'fr' = 'en'): View => ({ lang, t: translator(lang), csrf: 'x'.repeat(32), path: '/portal' });
const NOW = new Date('2026-11-30T15:00:00Z');

describe('health chart', () => {
  it('spans the 30 UTC days ending today', () => {
    const days = lastDays(NOW);
    expect(days).toHaveLength(30);
    expect(days[0]).toBe('2026-11-01');
    expect(days[29]).toBe('2026-11-30');
  });

  it('draws worked and failed checks per day, and says the same in words', () => {
    const history: CheckDay[] = [
      { day: '2026-10-31', checks: 50, errors: 50, newItems: 0 },
      { day: '2026-11-01', checks: 10, errors: 0, newItems: 3, lastStatusCode: 200 },
      { day: '2026-11-29', checks: 10, errors: 5, newItems: 0, lastStatusCode: 503 },
      { day: '2026-11-30', checks: 5, errors: 5, newItems: 0 },
    ];
    const out = historyChart(view(), history, NOW).value;
    const label = 'Last 30 days: days checked 3, checks 25, failed 10 (days with failures 2).';
    expect(out).toContain(`role="img" aria-label="${label}"`);
    // 27 days without checks are grey ticks; October is outside the window.
    expect(out.match(/fill="#6b7684"/g)).toHaveLength(27);
    // 1 Nov: a full-height green bar; 29 Nov: half green, half red; 30 Nov: half height, all red.
    expect(out).toContain('<rect x="0" y="0" width="5" height="40" fill="#1f7a3d">');
    expect(out).toContain('<rect x="196" y="20" width="5" height="20" fill="#1f7a3d"></rect><rect x="196" y="0" width="5" height="20" fill="#c62828">');
    expect(out).toContain('<rect x="203" y="20" width="5" height="20" fill="#c62828">');
    expect(out).not.toMatch(/x="203"[^>]*fill="#1f7a3d"/);
    // The table lists the days with checks, newest first.
    const rows = [...out.matchAll(/<tr><th scope="row">([^<]+)<\/th><td>(\d+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><td>([^<]+)<\/td><\/tr>/g)].map((m) => m.slice(1));
    expect(rows).toEqual([
      ['30 November 2026', '5', '5', '0', '–'],
      ['29 November 2026', '10', '5', '0', '503'],
      ['1 November 2026', '10', '0', '3', '200'],
    ]);
  });

  it('says when a feed has not been checked yet, without an empty picture, in the reader\'s language', () => {
    const out = historyChart(view('fr'), [], NOW).value;
    expect(out).toBe('<p class="history muted">30 derniers jours : pas encore consulté.</p>');
  });
});
