// The feed directory (/directory): every member with its feeds, each feed's health in colour and in
// words (never colour alone), when it last worked and when it last published, and the OPML files: the
// hub's feed of each member (for feed readers) and the members' own source feeds.
import { safeHttpUrl } from '../html.ts';
import type { Feed, FeedStatus, Member } from '../../model.ts';
import { formatDateTime, formatDay, formatNumber } from '../../i18n/format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { Language, Translate } from '../../i18n/index.ts';
import { filterQuery } from '../../app/publication-filters.ts';
import type { NewestPublication } from '../../app/publication-index.ts';
import { newestPublication } from './newest.ts';

export type Health = 'ok' | 'error' | 'dead' | 'paused';

export interface DirectoryView {
  lang: Language;
  t: Translate;
  members: Member[];
  /** Every feed; removed and not yet approved ones are left out here. */
  feeds: Feed[];
  /** Publications credited to each member. */
  publicationCounts: ReadonlyMap<string, number>;
  /** Each feed's newest publication, by feed id. */
  newestByFeed: ReadonlyMap<string, NewestPublication>;
}

const HEALTH: Partial<Record<FeedStatus, Health>> = { ok: 'ok', not_modified: 'ok', error: 'error', dead: 'dead', paused: 'paused' };

/** What a reader sees of a feed's status; pending feeds (not approved) are not public. */
export function healthOf(feed: Feed): Health | undefined {
  return feed.removed ? undefined : HEALTH[feed.status];
}

export function statusBadge(health: Health, t: Translate): SafeHtml {
  return html`<span class="${`status status-${health}`}">${t(`directory.status.${health}`)}</span>`;
}

function feedRow(feed: Feed, health: Health, v: DirectoryView): SafeHtml {
  const { t } = v;
  const url = safeHttpUrl(feed.url);
  const name = feed.title?.trim() || feed.url;
  const since = health === 'error' || health === 'dead' ? formatDay(feed.errorsSince, v.lang) : undefined;
  return html`<tr>
<td class="url">${name}${url ? html`<br><a href="${url}">${url}</a>` : ''}</td>
<td>${statusBadge(health, t)}${since ? html`<br><span class="muted">${t('directory.since', { date: since })}</span>` : ''}</td>
<td>${formatDateTime(feed.lastSuccessAt, v.lang) ?? t('directory.never')}</td>
<td>${newestPublication(v.newestByFeed.get(feed.id), v.lang, t)}</td>
</tr>`;
}

function memberSection(m: Member, feeds: Feed[], v: DirectoryView): SafeHtml {
  const { t } = v;
  const label = m.acronym ?? m.name;
  const website = safeHttpUrl(m.website);
  const count = v.publicationCounts.get(m.id) ?? 0;
  const merged = (['rss', 'atom', 'json'] as const).map((ext) => html`<li><a href="${`/feeds/members/${encodeURIComponent(m.id)}.${ext}`}">${t(`directory.merged.${ext}`)}</a></li>`);
  const headingId = `member-${m.id}-name`;
  return html`<section class="member" id="${`member-${m.id}`}" aria-labelledby="${headingId}">
<h2 id="${headingId}">${label}${m.acronym && m.acronym !== m.name ? html` <span class="muted">${m.name}</span>` : ''}</h2>
<ul class="inline-list">
${website ? html`<li><a href="${website}">${t('directory.website')}</a></li>` : ''}
<li><a href="${`/?${filterQuery({ member: m.id })}`}">${t('directory.publications', { count: formatNumber(count, v.lang) })}</a></li>
${merged}
</ul>
<div class="table-scroll"><table class="feeds">
<caption class="visually-hidden">${t('directory.caption', { member: label })}</caption>
<thead><tr><th scope="col">${t('directory.col.feed')}</th><th scope="col">${t('directory.col.status')}</th><th scope="col">${t('directory.col.checked')}</th><th scope="col">${t('directory.col.newest')}</th></tr></thead>
<tbody>${feeds.map((f) => feedRow(f, healthOf(f)!, v))}</tbody>
</table></div>
</section>`;
}

/** The OPML files, each saying what it is for: the one to import into a reader comes first. */
function feedFiles(t: Translate): SafeHtml {
  const files = [
    ['/feeds/directory.opml', 'icat-member-feeds.opml', 'opml'],
    ['/feeds/sources.opml', 'icat-source-feeds.opml', 'sources'],
  ] as const;
  return html`<h2>${t('directory.files')}</h2>
<ul class="feed-files">${files.map(
    ([href, name, key]) => html`<li><a class="button" href="${href}" download="${name}">${t(`directory.${key}`)}</a> <span class="muted">${t(`directory.${key}Hint`)}</span></li>`,
  )}</ul>`;
}

export function directoryMain(v: DirectoryView): SafeHtml {
  const { t } = v;
  const byMember = new Map<string, Feed[]>();
  for (const f of v.feeds) {
    if (!healthOf(f)) continue;
    byMember.set(f.memberId, [...(byMember.get(f.memberId) ?? []), f]);
  }
  const sorted = [...v.members].sort((a, b) => (a.acronym ?? a.name).localeCompare(b.acronym ?? b.name));
  const withFeeds = sorted.filter((m) => byMember.has(m.id));
  const without = sorted.filter((m) => !byMember.has(m.id));
  const legend = (['ok', 'error', 'dead', 'paused'] as const).map((h) => html`<li>${statusBadge(h, t)} ${t(`directory.legend.${h}`)}</li>`);
  return html`<h1>${t('directory.title')}</h1>
<p class="lead">${t('directory.lead')}</p>
${feedFiles(t)}
<h2>${t('directory.legend')}</h2>
<ul class="legend">${legend}</ul>
${withFeeds.length ? withFeeds.map((m) => memberSection(m, (byMember.get(m.id) ?? []).sort((a, b) => (a.title ?? a.url).localeCompare(b.title ?? b.url)), v)) : html`<p>${t('directory.empty')}</p>`}
${without.length ? html`<h2>${t('directory.withoutFeeds')}</h2><p>${without.map((m, i) => html`${i > 0 ? ', ' : ''}<abbr title="${m.name}">${m.acronym ?? m.name}</abbr>`)}</p>` : ''}`;
}
