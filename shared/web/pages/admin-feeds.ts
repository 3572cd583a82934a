// Feeds that need the secretariat: pending ones to approve (their host is not a verified domain of
// their member), dead ones, and those failing now.
import { hostOfUrl } from '../../app/ownership.ts';
import type { HttpResponse } from '../../http/types.ts';
import type { Feed, Member } from '../../model.ts';
import { html, type SafeHtml } from '../html.ts';
import { adminNav } from './admin.ts';
import { feedName } from './portal-feed.ts';
import { labelFor, notice, pageResponse, postButton, statusBadge, when, type View } from './portal-parts.ts';
import '../../i18n/portal.ts';

export interface AdminFeedsInput {
  feeds: Feed[];
  members: Member[];
  notice?: string;
}

function feedCell(feed: Feed): SafeHtml {
  return html`<td class="url">${feed.title ? html`${feed.title}<br>` : ''}<a href="${feed.url}">${feed.url}</a></td>`;
}

function table(v: View, caption: string, heads: string[], rows: SafeHtml[], empty: string): SafeHtml {
  if (rows.length === 0) return html`<p>${empty}</p>`;
  return html`<div class="table-scroll"><table><caption class="visually-hidden">${caption}</caption>
<thead><tr>${heads.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

export function adminFeedsPage(v: View, d: AdminFeedsInput): HttpResponse {
  const { t } = v;
  const label = (id: string) => {
    const m = d.members.find((x) => x.id === id);
    return m ? (m.acronym ?? m.name) : id;
  };
  const live = d.feeds.filter((f) => !f.removed);
  const pending = live.filter((f) => f.pendingReason);
  const dead = live.filter((f) => f.status === 'dead');
  const failing = live.filter((f) => f.status === 'error');
  const pendingRows = pending.map(
    (f) => html`<tr><td>${label(f.memberId)}</td>${feedCell(f)}<td>${statusBadge(v, f.status)}<br>${t('admin.feeds.notVerified', { host: hostOfUrl(f.url) })}</td><td>${when(v, f.createdAt)}</td>
<td>${postButton(v, `/admin/feeds/${f.id}/approve`, labelFor(t('admin.feeds.approve'), feedName(f)))}</td></tr>`,
  );
  const errorRow = (f: Feed) =>
    html`<tr><td>${label(f.memberId)}</td>${feedCell(f)}<td>${statusBadge(v, f.status)} ${t('admin.feeds.errorCount', { n: f.consecutiveErrors })}</td><td>${when(v, f.errorsSince ?? f.lastFetchAt)}</td><td>${f.lastError?.message ?? '–'}</td></tr>`;
  const errorHeads = [t('admin.col.member'), t('admin.col.feed'), t('admin.col.state'), t('admin.col.since'), t('admin.col.error')];
  const main = html`<h1>${t('admin.feeds.title')}</h1>
${adminNav(v, 'feeds')}
${notice(d.notice)}
<section aria-labelledby="pending-h"><h2 id="pending-h">${t('admin.feeds.pending', { n: pending.length })}</h2>
<p>${t('admin.feeds.pendingLead')}</p>
${table(v, t('admin.feeds.pending', { n: pending.length }), [t('admin.col.member'), t('admin.col.feed'), t('admin.col.state'), t('admin.col.registered'), t('admin.col.action')], pendingRows, t('admin.feeds.noPending'))}
</section>
<section aria-labelledby="dead-h"><h2 id="dead-h">${t('admin.feeds.dead', { n: dead.length })}</h2>
<p>${t('admin.feeds.deadLead')}</p>
${table(v, t('admin.feeds.dead', { n: dead.length }), errorHeads, dead.map(errorRow), t('admin.feeds.noDead'))}
</section>
<section aria-labelledby="failing-h"><h2 id="failing-h">${t('admin.feeds.failing', { n: failing.length })}</h2>
${table(v, t('admin.feeds.failing', { n: failing.length }), errorHeads, failing.map(errorRow), t('admin.feeds.noFailing'))}
</section>`;
  return pageResponse(v, { title: t('admin.feeds.title'), main, nav: 'admin' });
}
