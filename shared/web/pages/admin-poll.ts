// The result of "poll every feed now": counts, then each feed that brought something or failed.
import type { HttpResponse } from '../../http/types.ts';
import type { PollOutcome } from '../../model.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PollRun } from '../../app/poll-runner.ts';
import { adminNav, pollForm } from './admin-nav.ts';
import { errorSummary, pageResponse, when, type View } from './portal-parts.ts';
import '../../i18n/portal.ts';

export function pollSummary(v: View, run: PollRun): SafeHtml {
  const { t } = v;
  if (run.failed) return errorSummary(t('admin.poll.failed'), [t('admin.poll.failedBody')]);
  if (run.queued !== undefined) return html`<p role="status">${t('admin.poll.queued', { n: run.queued })}</p>`;
  const s = run.summary;
  if (!s) return html``;
  const counts = [
    ['polled', s.feedsPolled],
    ['new', s.newPublications],
    ['updated', s.updatedPublications],
    ['notModified', s.notModified],
    ['unchanged', s.unchanged],
    ['pending', s.pending],
    ['errors', s.errors],
    ['announced', s.announced],
  ] as const;
  const notable = s.outcomes.filter((o) => o.result === 'new' || o.result === 'error');
  return html`<dl class="facts poll-summary">${counts.map(([k, n]) => html`<dt>${t(`admin.poll.count.${k}`)}</dt><dd>${n}</dd>`)}</dl>
${notable.length === 0 ? '' : outcomeTable(v, notable)}`;
}

function outcomeTable(v: View, outcomes: PollOutcome[]): SafeHtml {
  const { t } = v;
  const rows = outcomes.map(
    (o) => html`<tr><td>${o.memberId}</td><td class="url">${o.url}</td><td>${t(`admin.poll.result.${o.result}`)}</td><td>${o.newCount}</td><td>${o.error?.message ?? ''}</td></tr>`,
  );
  return html`<div class="table-scroll"><table>
<caption>${t('admin.poll.notable')}</caption>
<thead><tr><th scope="col">${t('admin.col.member')}</th><th scope="col">${t('admin.col.feed')}</th><th scope="col">${t('admin.col.result')}</th><th scope="col">${t('admin.col.new')}</th><th scope="col">${t('admin.col.error')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

export function pollResultPage(v: View, run: PollRun | undefined, running: boolean): HttpResponse {
  const { t } = v;
  const state = running && run
    ? html`<p role="status">${t('admin.poll.runningSince', { done: run.done, total: run.total })} ${when(v, run.startedAt)}</p><p><a href="/admin/poll">${t('admin.poll.refresh')}</a></p>`
    : run?.finishedAt
      ? html`<p>${t('admin.poll.finished')} ${when(v, run.finishedAt)}</p>${pollSummary(v, run)}`
      : html`<p>${t('admin.poll.never')}</p>`;
  const main = html`<h1>${t('admin.poll.title')}</h1>
${adminNav(v, 'overview')}
${state}
<h2>${t('admin.poll.again')}</h2>
${pollForm(v, running)}`;
  return pageResponse(v, { title: t('admin.poll.title'), main, nav: 'admin' });
}
