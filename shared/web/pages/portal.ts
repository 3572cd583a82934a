// The member portal's home: the member's feeds with their health, registering a feed, proving a
// domain, and the API keys.
import { txtName } from '../../app/domains.ts';
import type { HttpResponse } from '../../http/types.ts';
import type { Feed, Member, MemberDomain } from '../../model.ts';
import { html, type SafeHtml } from '../html.ts';
import type { NewestPublication } from '../../app/publication-index.ts';
import { feedCard } from './portal-feed.ts';
import { registerForm } from './portal-register.ts';
import { csrfField, errorSummary, labelFor, notice, pageResponse, postButton, textInput, when, type View } from './portal-parts.ts';
import '../../i18n/portal.ts';

export interface DashboardInput {
  member: Member;
  feeds: Feed[];
  /** Each feed's newest publication, by feed id; absent when not known here. */
  newestByFeed?: ReadonlyMap<string, NewestPublication>;
  now: Date;
  notice?: string;
  /** A failed domain step, shown in the domains section. */
  domainProblem?: string;
  /** The key this session signed in with, if any. */
  sessionKeyHash?: string;
  status?: number;
}

export function dashboardPage(v: View, d: DashboardInput): HttpResponse {
  const { t } = v;
  const name = d.member.acronym ? `${d.member.name} (${d.member.acronym})` : d.member.name;
  const feeds = d.feeds.length === 0 ? html`<p>${t('portal.feeds.none')}</p>` : html`<ul class="feed-cards">${d.feeds.map((f) => feedCard(v, f, d.now, d.newestByFeed))}</ul>`;
  const main = html`<h1>${t('portal.title')}</h1>
<p class="lead">${t('portal.lead', { name })}</p>
${notice(d.notice)}
<nav class="page-toc" aria-label="${t('portal.toc')}"><ul class="inline-list">
<li><a href="#feeds">${t('portal.feeds.title')}</a></li><li><a href="#register">${t('portal.register.heading')}</a></li>
<li><a href="#domains">${t('portal.domains.title')}</a></li><li><a href="#keys">${t('portal.keys.title')}</a></li></ul></nav>
<section id="feeds" aria-labelledby="feeds-h"><h2 id="feeds-h">${t('portal.feeds.title')}</h2>${feeds}</section>
<section id="register" aria-labelledby="register-h"><h2 id="register-h">${t('portal.register.heading')}</h2>
<p>${t('portal.register.lead')}</p>${registerForm(v)}</section>
${domainsSection(v, d)}
${keysSection(v, d)}
${postButton(v, '/portal/sign-out', t('portal.signOut'), { secondary: true })}`;
  return pageResponse(v, { title: t('portal.title'), main, nav: 'portal', status: d.status });
}

function domainItem(v: View, dom: MemberDomain): SafeHtml {
  const { t } = v;
  if (dom.verifiedAt) {
    return html`<li><h3>${dom.domain}</h3><p><span class="status status-ok">${t('portal.domains.verified')}</span> ${t(`portal.domains.method.${dom.method ?? 'admin'}`)}, ${when(v, dom.verifiedAt)}</p></li>`;
  }
  const hintId = `verify-${dom.domain.replace(/[^a-z0-9-]/g, '-')}`;
  return html`<li><h3>${dom.domain}</h3><p><span class="status status-pending">${t('portal.domains.unverified')}</span></p>
<p id="${hintId}">${t('portal.domains.how', { domain: dom.domain })}</p>
<ol class="ways">
<li>${t('portal.domains.wellKnown')} <code class="secret">https://${dom.domain}/.well-known/icat-hub-verification.txt</code> ${t('portal.domains.containing')} <code class="secret">${dom.token}</code></li>
<li>${t('portal.domains.dns')} <code class="secret">${txtName(dom.domain)}</code> ${t('portal.domains.value')} <code class="secret">${dom.token}</code></li>
</ol>
${postButton(v, `/portal/domains/${encodeURIComponent(dom.domain)}/verify`, labelFor(t('portal.domains.check'), dom.domain), { describedBy: hintId })}</li>`;
}

function domainsSection(v: View, d: DashboardInput): SafeHtml {
  const { t } = v;
  const domains = d.member.domains ?? [];
  return html`<section id="domains" aria-labelledby="domains-h"><h2 id="domains-h">${t('portal.domains.title')}</h2>
<p>${t('portal.domains.lead')}</p>
${d.domainProblem ? errorSummary(t('portal.domains.problem'), [d.domainProblem]) : ''}
${domains.length === 0 ? html`<p>${t('portal.domains.none')}</p>` : html`<ul class="domains">${domains.map((dom) => domainItem(v, dom))}</ul>`}
<form method="post" action="/portal/domains" class="stacked">
${csrfField(v)}
${textInput({ id: 'domain', name: 'domain', label: t('portal.domains.add'), hint: t('portal.domains.addHint'), required: true, invalid: !!d.domainProblem })}
<button type="submit">${t('portal.domains.submit')}</button>
</form></section>`;
}

function keysSection(v: View, d: DashboardInput): SafeHtml {
  const { t } = v;
  const keys = d.member.keys ?? [];
  const rows = keys.map(
    (k) => html`<tr><th scope="row"><code>${k.id}</code>${k.hash === d.sessionKeyHash ? html` <span class="muted">(${t('portal.keys.current')})</span>` : ''}</th><td>${when(v, k.createdAt)}</td>
<td>${postButton(v, `/portal/keys/${k.id}/replace`, labelFor(t('portal.keys.replace'), k.id), { secondary: true })}</td></tr>`,
  );
  return html`<section id="keys" aria-labelledby="keys-h"><h2 id="keys-h">${t('portal.keys.title')}</h2>
<p>${t('portal.keys.lead')}</p>
${
  keys.length === 0
    ? html`<p>${t('portal.keys.none')}</p>${postButton(v, '/portal/keys/new', t('portal.keys.issue'))}`
    : html`<div class="table-scroll"><table><thead><tr><th scope="col">${t('portal.keys.id')}</th><th scope="col">${t('portal.keys.created')}</th><th scope="col">${t('portal.keys.actions')}</th></tr></thead><tbody>${rows}</tbody></table></div>`
}</section>`;
}

