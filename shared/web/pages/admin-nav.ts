// The secretariat's pages' navigation and the "poll every feed now" form, shared by the overview
// and the poll page.
import { assetUrl } from '../assets.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type View } from './portal-parts.ts';
import '../../i18n/portal.ts';

export type AdminSection = 'overview' | 'members' | 'feeds' | 'mail';

export function adminNav(v: View, current: AdminSection): SafeHtml {
  const { t } = v;
  const items: [AdminSection, string][] = [
    ['overview', '/admin'],
    ['members', '/admin/members'],
    ['feeds', '/admin/feeds'],
    ['mail', '/admin/mail'],
  ];
  return html`<nav class="subnav" aria-label="${t('admin.nav.label')}"><ul class="inline-list">${items.map(
    ([id, href]) => html`<li><a href="${href}"${id === current ? html` aria-current="page"` : ''}>${t(`admin.nav.${id}`)}</a></li>`,
  )}</ul></nav>`;
}

export function pollForm(v: View, running: boolean): SafeHtml {
  const { t } = v;
  return html`<form method="post" action="/admin/poll" data-poll class="stacked">
${csrfField(v)}
<button type="submit">${t('admin.poll.submit')}</button>
</form>
<div id="poll-progress" class="poll-progress" data-status-url="/admin/poll/status" data-result-url="/admin/poll" data-text="${t('admin.poll.progress')}" data-starting="${t('admin.poll.starting')}" data-failed="${t('admin.poll.lost')}"${running ? '' : html` hidden`}>
<progress id="poll-bar" max="1" value="0" aria-labelledby="poll-text"></progress>
<p id="poll-text" role="status">${running ? t('admin.poll.running') : ''}</p>
</div>
<script src="${assetUrl('admin-poll.js')}" defer></script>`;
}
