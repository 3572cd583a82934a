// The secretariat's members page: every member (contact address included, which only the
// secretariat sees), and the form that creates one and shows its first API key once.
import type { HttpResponse } from '../../http/types.ts';
import type { Feed, Member } from '../../model.ts';
import { html, type SafeHtml } from '../html.ts';
import { adminNav } from './admin.ts';
import { csrfField, errorSummary, pageResponse, shownOnce, textInput, type View } from './portal-parts.ts';
import '../../i18n/portal.ts';

export interface MemberFormValues {
  id?: string;
  name?: string;
  acronym?: string;
  email?: string;
  website?: string;
  domains?: string;
}

export interface MembersInput {
  members: Member[];
  feeds: Feed[];
  values?: MemberFormValues;
  problems?: string[];
  status?: number;
}

function memberRow(v: View, m: Member, feeds: Feed[]): SafeHtml {
  const { t } = v;
  const own = feeds.filter((f) => f.memberId === m.id && !f.removed);
  const domains = (m.domains ?? []).filter((d) => d.verifiedAt).map((d) => d.domain);
  return html`<tr><th scope="row">${m.acronym ?? m.name}<br><span class="muted">${m.id}</span></th>
<td>${m.active ? html`<span class="status status-ok">${t('admin.members.active')}</span>` : html`<span class="status status-paused">${t('admin.members.inactive')}</span>`}</td>
<td>${m.email ?? '–'}</td><td>${own.length}</td><td>${domains.length > 0 ? domains.join(', ') : '–'}</td><td>${m.keys?.length ?? 0}</td></tr>`;
}

export function membersPage(v: View, d: MembersInput): HttpResponse {
  const { t } = v;
  const values = d.values ?? {};
  const inactive = d.members.filter((m) => !m.active);
  // Members with an account first; the shipped ICAT list without one after them.
  const members = [...d.members].sort((a, b) => Number(b.active) - Number(a.active) || a.id.localeCompare(b.id));
  const main = html`<h1>${t('admin.members.title')}</h1>
${adminNav(v, 'members')}
<p><a href="#create">${t('admin.members.create')}</a></p>
<div class="table-scroll"><table>
<caption>${t('admin.members.caption', { n: d.members.length })}</caption>
<thead><tr><th scope="col">${t('admin.col.member')}</th><th scope="col">${t('admin.col.state')}</th><th scope="col">${t('admin.col.contact')}</th><th scope="col">${t('admin.col.feeds')}</th><th scope="col">${t('admin.col.domains')}</th><th scope="col">${t('admin.col.keys')}</th></tr></thead>
<tbody>${members.map((m) => memberRow(v, m, d.feeds))}</tbody></table></div>
<section id="create" aria-labelledby="create-h"><h2 id="create-h">${t('admin.members.create')}</h2>
<p>${t('admin.members.createLead')}</p>
${d.problems?.length ? errorSummary(t('admin.members.problems'), d.problems) : ''}
<form method="post" action="/admin/members" class="stacked">
${csrfField(v)}
<div class="field"><label for="member-id">${t('admin.members.id')}</label><span class="hint" id="member-id-hint">${t('admin.members.idHint')}</span>
<input type="text" id="member-id" name="id" value="${values.id ?? ''}" required list="seeded-members" aria-describedby="member-id-hint"></div>
<datalist id="seeded-members">${inactive.map((m) => html`<option value="${m.id}">${m.acronym ?? m.name}</option>`)}</datalist>
${textInput({ id: 'member-name', name: 'name', label: t('admin.members.name'), value: values.name, required: true })}
${textInput({ id: 'member-acronym', name: 'acronym', label: t('admin.members.acronym'), value: values.acronym })}
${textInput({ id: 'member-email', name: 'email', type: 'email', label: t('admin.members.email'), hint: t('admin.members.emailHint'), value: values.email, required: true })}
${textInput({ id: 'member-website', name: 'website', type: 'url', label: t('admin.members.website'), value: values.website })}
${textInput({ id: 'member-domains', name: 'domains', label: t('admin.members.domains'), hint: t('admin.members.domainsHint'), value: values.domains })}
<button type="submit">${t('admin.members.submit')}</button>
</form></section>`;
  return pageResponse(v, { title: t('admin.members.title'), main, nav: 'admin', status: d.status });
}

export function memberCreatedPage(v: View, member: Member, apiKey: string): HttpResponse {
  const { t } = v;
  const main = html`<h1>${t('admin.created.title', { name: member.acronym ?? member.name })}</h1>
${adminNav(v, 'members')}
${shownOnce(v, t('admin.created.key'), apiKey)}
<p>${t('admin.created.next')}</p>
<p><a class="button" href="/admin/members">${t('admin.created.back')}</a></p>`;
  return pageResponse(v, { title: t('admin.created.title', { name: member.acronym ?? member.name }), main, nav: 'admin', status: 201 });
}
