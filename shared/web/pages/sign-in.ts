// Sign-in pages: members (API key, or a link by mail) and the secretariat (admin token).
import { SIGN_IN_LINK_SECONDS } from '../sign-in-links.ts';
import { html, type SafeHtml } from '../html.ts';
import { TOKEN_PAGE_HEADERS } from '../respond.ts';
import type { HttpResponse } from '../../http/types.ts';
import { csrfField, errorSummary, pageResponse, textInput, type View } from './portal-parts.ts';
import '../../i18n/portal.ts';

export interface SignInState {
  /** Why the last attempt failed, in words for the reader. */
  problem?: string;
  /** Which form the problem belongs to. */
  form?: 'key' | 'link';
  email?: string;
  status?: number;
}

export function memberSignInPage(v: View, s: SignInState = {}): HttpResponse {
  const { t } = v;
  const asAdmin = v.signedIn?.admin ? html`<p class="notice">${t('signin.asAdmin')} <a href="/admin">${t('signin.toAdmin')}</a></p>` : '';
  const main = html`<h1>${t('signin.member.title')}</h1>
<p class="lead">${t('signin.member.lead')}</p>
${asAdmin}
${s.problem ? errorSummary(t('signin.problem'), [s.problem]) : ''}
<div class="columns">
<section aria-labelledby="with-key">
<h2 id="with-key">${t('signin.key.title')}</h2>
<form method="post" action="/portal/sign-in" class="stacked">
${csrfField(v)}
${textInput({ id: 'api-key', name: 'key', type: 'password', label: t('signin.key.label'), hint: t('signin.key.hint'), required: true, autocomplete: 'off', invalid: s.form === 'key' })}
<button type="submit">${t('signin.key.submit')}</button>
</form>
</section>
<section aria-labelledby="with-link">
<h2 id="with-link">${t('signin.link.title')}</h2>
<form method="post" action="/portal/sign-in/link" class="stacked">
${csrfField(v)}
${textInput({ id: 'email', name: 'email', type: 'email', label: t('signin.link.label'), hint: t('signin.link.hint', { minutes: SIGN_IN_LINK_SECONDS / 60 }), value: s.email, required: true, autocomplete: 'email', invalid: s.form === 'link' })}
<button type="submit">${t('signin.link.submit')}</button>
</form>
</section>
</div>
<p class="muted">${t('signin.member.noKey')}</p>`;
  return pageResponse(v, { title: t('signin.member.title'), main, nav: 'portal', status: s.status });
}

export function linkSentPage(v: View): HttpResponse {
  const { t } = v;
  const main = html`<h1>${t('signin.sent.title')}</h1>
<div class="notice" role="status"><p>${t('signin.sent.body', { minutes: SIGN_IN_LINK_SECONDS / 60 })}</p></div>
<p><a href="/portal">${t('signin.sent.back')}</a></p>`;
  return pageResponse(v, { title: t('signin.sent.title'), main, nav: 'portal', status: 202 });
}

/**
 * The page a mailed link opens. Following the link does not sign in by itself: mail scanners open
 * links too, and would use up a single-use link. The button does.
 */
export function linkConfirmPage(v: View, token: string): HttpResponse {
  const { t } = v;
  const main = html`<h1>${t('signin.confirm.title')}</h1>
<p>${t('signin.confirm.body')}</p>
<form method="post" action="/portal/sign-in/link/use">
${csrfField(v)}<input type="hidden" name="token" value="${token}">
<button type="submit">${t('signin.confirm.submit')}</button>
</form>`;
  return pageResponse(v, { title: t('signin.confirm.title'), main, nav: 'portal', headers: TOKEN_PAGE_HEADERS });
}

export function adminSignInPage(v: View, problem?: string, status?: number): HttpResponse {
  const { t } = v;
  const main: SafeHtml = html`<h1>${t('signin.admin.title')}</h1>
<p class="lead">${t('signin.admin.lead')}</p>
${problem ? errorSummary(t('signin.problem'), [problem]) : ''}
<form method="post" action="/admin/sign-in" class="stacked">
${csrfField(v)}
${textInput({ id: 'admin-token', name: 'token', type: 'password', label: t('signin.admin.label'), hint: t('signin.admin.hint'), required: true, autocomplete: 'off', invalid: !!problem })}
<button type="submit">${t('signin.admin.submit')}</button>
</form>`;
  return pageResponse(v, { title: t('signin.admin.title'), main, nav: 'admin', status });
}
