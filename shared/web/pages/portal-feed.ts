// One of the member's feeds on the portal: status in words and colour, when it was last checked and
// what its newest publication is dated, why it waits or fails, its 30-day chart, and what the member can do.
import { hostOfUrl } from '../../app/ownership.ts';
import type { Feed } from '../../model.ts';
import { html, type SafeHtml } from '../html.ts';
import type { NewestPublication } from '../../app/publication-index.ts';
import { newestPublication } from './newest.ts';
import { historyChart } from './portal-chart.ts';
import { labelFor, postButton, statusBadge, when, type View } from './portal-parts.ts';
import '../../i18n/portal.ts';

export function feedName(feed: Feed): string {
  return feed.title?.trim() || feed.url;
}

export function feedCard(v: View, feed: Feed, now: Date, newestByFeed?: ReadonlyMap<string, NewestPublication>): SafeHtml {
  const { t } = v;
  const name = feedName(feed);
  const pending = feed.status === 'pending' || (feed.status === 'paused' && feed.pausedFrom === 'pending');
  const failing = (feed.status === 'error' || feed.status === 'dead') && feed.lastError;
  const toggle =
    feed.status === 'paused'
      ? postButton(v, `/portal/feeds/${feed.id}/resume`, labelFor(t('portal.feed.resume'), name))
      : postButton(v, `/portal/feeds/${feed.id}/pause`, labelFor(t('portal.feed.pause'), name), { secondary: true });
  return html`<li class="feed-card" id="feed-${feed.id}">
<h3>${name}</h3>
<p class="feed-url"><a href="${feed.url}">${feed.url}</a></p>
<p class="feed-state">${statusBadge(v, feed.status)}
<span>${t('portal.feed.checked')} ${when(v, feed.lastFetchAt)}</span>
${newestByFeed ? html`<span>${t('portal.feed.newest')} ${newestPublication(newestByFeed.get(feed.id), v.lang, t)}</span>` : ''}</p>
${pending ? html`<p>${t('portal.feed.pendingWhy', { host: hostOfUrl(feed.url) })} <a href="#domains">${t('portal.feed.verifyLink')}</a></p>` : ''}
${failing ? html`<p class="feed-error"><strong>${t('portal.feed.lastError')}</strong> ${feed.lastError!.message}${feed.errorsSince ? html` (${t('portal.feed.since')} ${when(v, feed.errorsSince)})` : ''}</p>` : ''}
${historyChart(v, feed.history, now)}
<div class="actions">${toggle}<a class="button secondary" href="/portal/feeds/${feed.id}/remove">${labelFor(t('portal.feed.remove'), name)}</a></div>
</li>`;
}
