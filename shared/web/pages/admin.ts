// The secretariat's home: the state of the hub at a glance and "poll every feed now" with live
// progress (a plain form post without script; with script, admin-poll.js shows feeds done of total).
import type { HttpResponse } from '../../http/types.ts';
import type { FeedStatus } from '../../model.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PollRun } from '../../app/poll-runner.ts';
import { pollSummary } from './admin-poll.ts';
import { adminNav, pollForm, type AdminSection } from './admin-nav.ts';

export { adminNav, pollForm, type AdminSection };
import { notice, pageResponse, postButton, when, type View } from './portal-parts.ts';
import '../../i18n/portal.ts';

export interface OverviewInput {
  members: { active: number; total: number };
  feeds: Partial<Record<FeedStatus, number>>;
  mail?: { transport: string; state: 'unknown' | 'ok' | 'unavailable'; deadLetters: number | null };
  run?: PollRun;
  running: boolean;
  notice?: string;
}

export function overviewPage(v: View, o: OverviewInput): HttpResponse {
  const { t } = v;
  const statuses: FeedStatus[] = ['ok', 'not_modified', 'pending', 'error', 'dead', 'paused'];
  const main = html`<h1>${t('admin.title')}</h1>
${adminNav(v, 'overview')}
${notice(o.notice)}
<h2>${t('admin.glance')}</h2>
<dl class="facts">
<dt>${t('admin.glance.members')}</dt><dd>${t('admin.glance.membersValue', { active: o.members.active, total: o.members.total })}</dd>
${statuses.map((s) => html`<dt>${t(`portal.status.${s}`)}</dt><dd>${o.feeds[s] ?? 0}</dd>`)}
${o.mail ? html`<dt>${t('admin.glance.mail')}</dt><dd>${t(`admin.mail.state.${o.mail.state}`)} (${o.mail.transport})</dd><dt>${t('admin.glance.deadLetters')}</dt><dd>${o.mail.deadLetters ?? '–'}</dd>` : ''}
</dl>
<p><a href="/admin/feeds">${t('admin.glance.toFeeds')}</a></p>
<section aria-labelledby="poll-h"><h2 id="poll-h">${t('admin.poll.title')}</h2>
<p>${t('admin.poll.lead')}</p>
${pollForm(v, o.running)}
${o.run?.finishedAt ? html`<h3>${t('admin.poll.last')} ${when(v, o.run.finishedAt)}</h3>${pollSummary(v, o.run)}` : ''}
</section>
${postButton(v, '/portal/sign-out', t('portal.signOut'), { secondary: true })}`;
  return pageResponse(v, { title: t('admin.title'), main, nav: 'admin' });
}
