// A feed's last 30 days of checks as a small inline SVG: one bar per UTC day, its height the day's
// checks, the part that failed in red on top of the part that worked in green; a grey tick for a day
// without checks. The image carries a summary as its name, and the numbers are there as a table
// too (in a closed <details>), so nothing depends on seeing colour.
import { HISTORY_DAYS } from '../../core/health.ts';
import type { CheckDay } from '../../model.ts';
import { formatDay } from '../../i18n/format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { View } from './portal-parts.ts';
import '../../i18n/portal.ts';

// The stylesheet's --ok-mark, --bad-mark and --off-mark: 3:1 or more against white (WCAG 1.4.11).
const OK = '#1f7a3d';
const BAD = '#c62828';
const NONE = '#6b7684';
const BAR = 5;
const GAP = 2;
const HEIGHT = 40;

export function lastDays(now: Date, count = HISTORY_DAYS): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: count }, (_, i) => new Date(today - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

export function historyChart(v: View, history: CheckDay[] | undefined, now: Date): SafeHtml {
  const { t } = v;
  const days = lastDays(now);
  const byDay = new Map((history ?? []).map((d) => [d.day, d]));
  const seen = days.map((day) => byDay.get(day)).filter((d): d is CheckDay => !!d && d.checks > 0);
  const max = Math.max(1, ...seen.map((d) => d.checks));
  const bars = days.map((day, i) => {
    const x = i * (BAR + GAP);
    const d = byDay.get(day);
    if (!d || d.checks === 0) return html`<rect x="${x}" y="${HEIGHT - 2}" width="${BAR}" height="2" fill="${NONE}"></rect>`;
    const errors = Math.min(d.errors, d.checks);
    const total = Math.max(3, Math.round((d.checks / max) * HEIGHT));
    const bad = errors === 0 ? 0 : Math.max(2, Math.round((errors / d.checks) * total));
    const good = total - bad;
    return html`<g><title>${t('portal.chart.day', { day: formatDay(day, v.lang) ?? day, checks: d.checks, errors })}</title>${
      good > 0 ? html`<rect x="${x}" y="${HEIGHT - good}" width="${BAR}" height="${good}" fill="${OK}"></rect>` : ''
    }${bad > 0 ? html`<rect x="${x}" y="${HEIGHT - total}" width="${BAR}" height="${bad}" fill="${BAD}"></rect>` : ''}</g>`;
  });
  const checks = seen.reduce((n, d) => n + d.checks, 0);
  const errors = seen.reduce((n, d) => n + Math.min(d.errors, d.checks), 0);
  const errorDays = seen.filter((d) => d.errors > 0).length;
  const summary = seen.length === 0 ? t('portal.chart.empty') : t('portal.chart.summary', { days: seen.length, checks, errors, errorDays });
  const width = days.length * (BAR + GAP) - GAP;
  // Nothing to draw yet: the words say so, without an empty picture.
  if (seen.length === 0) return html`<p class="history muted">${summary}</p>`;
  return html`<figure class="history">
<svg class="history-chart" width="${width * 1.5}" height="${HEIGHT * 1.5}" viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-label="${summary}" focusable="false">${bars}</svg>
<figcaption>${summary} <span class="chart-key"><span class="key-ok">${t('portal.chart.keyOk')}</span> <span class="key-bad">${t('portal.chart.keyBad')}</span></span></figcaption>
${dayTable(v, seen)}
</figure>`;
}

function dayTable(v: View, seen: CheckDay[]): SafeHtml {
  const { t } = v;
  const rows = [...seen].reverse().map(
    (d) => html`<tr><th scope="row">${formatDay(d.day, v.lang) ?? d.day}</th><td>${d.checks}</td><td>${Math.min(d.errors, d.checks)}</td><td>${d.newItems}</td><td>${d.lastStatusCode ?? '–'}</td></tr>`,
  );
  return html`<details class="history-table"><summary>${t('portal.chart.table')}</summary>
<div class="table-scroll"><table>
<thead><tr><th scope="col">${t('portal.chart.col.day')}</th><th scope="col">${t('portal.chart.col.checks')}</th><th scope="col">${t('portal.chart.col.errors')}</th><th scope="col">${t('portal.chart.col.new')}</th><th scope="col">${t('portal.chart.col.status')}</th></tr></thead>
<tbody>${rows}</tbody>
</table></div></details>`;
}
