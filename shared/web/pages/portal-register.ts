// Registering a feed from the portal: the form, what the hub found (format, items, warnings), the
// reason a feed was refused, and a choice when the address was a page offering several feeds.
import type { FeedFindings } from '../../app/feed-registry.ts';
import type { HubError } from '../../errors.ts';
import type { HttpResponse } from '../../http/types.ts';
import type { Feed } from '../../model.ts';
import { html, raw, type SafeHtml } from '../html.ts';
import { csrfField, errorSummary, pageResponse, statusBadge, textInput, when, type View } from './portal-parts.ts';
import { isMessageKey } from '../../i18n/index.ts';
import '../../i18n/portal.ts';

export interface RegisterValues {
  url?: string;
  title?: string;
  language?: string;
  categories?: string;
}

export function registerForm(v: View, values: RegisterValues = {}, invalid = false): SafeHtml {
  const { t } = v;
  return html`<form method="post" action="/portal/feeds" class="stacked">
${csrfField(v)}
${textInput({ id: 'feed-url', name: 'url', type: 'url', label: t('portal.register.url'), hint: t('portal.register.urlHint'), value: values.url, required: true, invalid })}
${textInput({ id: 'feed-title', name: 'title', label: t('portal.register.title'), hint: t('portal.register.titleHint'), value: values.title })}
<fieldset><legend>${t('portal.register.defaults')}</legend>
<p class="hint">${t('portal.register.defaultsHint')}</p>
${textInput({ id: 'feed-language', name: 'language', label: t('portal.register.language'), hint: t('portal.register.languageHint'), value: values.language })}
${textInput({ id: 'feed-categories', name: 'categories', label: t('portal.register.categories'), hint: t('portal.register.categoriesHint'), value: values.categories })}
</fieldset>
<button type="submit">${t('portal.register.submit')}</button>
</form>`;
}

export function registeredPage(v: View, feed: Feed, found: FeedFindings): HttpResponse {
  const { t } = v;
  const pending = feed.status === 'pending';
  const title = pending ? t('portal.registered.pendingTitle') : t('portal.registered.title');
  const warnings = found.warnings.length === 0 ? html`<p>${t('portal.registered.noWarnings')}</p>` : html`<ul class="warnings">${found.warnings.map((w) => html`<li>${w}</li>`)}</ul>`;
  const main = html`<h1>${title}</h1>
<div class="notice" role="status"><p>${pending ? t('portal.registered.pendingBody') : t('portal.registered.body')}</p></div>
<h2>${t('portal.registered.found')}</h2>
<dl class="facts">
<dt>${t('portal.registered.address')}</dt><dd class="url">${feed.url}</dd>
${found.discoveredFrom ? html`<dt>${t('portal.registered.discovered')}</dt><dd class="url">${found.discoveredFrom}</dd>` : ''}
<dt>${t('portal.registered.status')}</dt><dd>${statusBadge(v, feed.status)}</dd>
<dt>${t('portal.registered.format')}</dt><dd>${found.version ?? found.format}</dd>
<dt>${t('portal.registered.feedTitle')}</dt><dd>${found.title || '–'}</dd>
<dt>${t('portal.registered.items')}</dt><dd>${found.itemCount}</dd>
<dt>${t('portal.registered.newest')}</dt><dd>${when(v, found.newestItem)}</dd>
</dl>
<h2>${t('portal.registered.warnings')}</h2>
${warnings}
<p><a class="button" href="/portal#feed-${feed.id}">${t('portal.registered.back')}</a></p>`;
  return pageResponse(v, { title, main, nav: 'portal', status: 201 });
}

interface Candidate {
  url: string;
  title: string | null;
  type: string;
}

/**
 * The refusal said once: in the reader's words where the code is known (the most specific message
 * first: an HTTP status of its own, or the address to use instead), else the hub's own message.
 */
export function refusalText(v: View, err: HubError): string {
  const status = typeof err.details?.status === 'number' ? String(err.details.status) : '';
  const instead = typeof err.details?.instead === 'string' ? err.details.instead : '';
  const keys = [
    ...(status ? [`portal.refused.${err.code}_${status}`] : []),
    ...(instead ? [`portal.refused.${err.code}_instead`] : []),
    `portal.refused.${err.code}`,
  ];
  const key = keys.find(isMessageKey);
  return key ? v.t(key, { status, instead }) : err.message;
}

export function refusedPage(v: View, err: HubError, values: RegisterValues): HttpResponse {
  const { t } = v;
  const candidates = err.code === 'several_feeds_found' ? ((err.details?.candidates as Candidate[] | undefined) ?? []) : [];
  const choose =
    candidates.length > 0
      ? html`<form method="post" action="/portal/feeds" class="stacked">
${csrfField(v)}
<fieldset><legend>${t('portal.candidates.legend')}</legend>
${candidates.map(
  (c, i) => html`<div class="choice"><input type="radio" name="url" id="candidate-${i}" value="${c.url}"${i === 0 ? raw(' checked') : ''}><label for="candidate-${i}">${c.title || c.url} <span class="muted">(${c.url})</span></label></div>`,
)}
</fieldset>
${(['title', 'language', 'categories'] as const).map((k) => (values[k] ? html`<input type="hidden" name="${k}" value="${values[k]!}">` : ''))}
<button type="submit">${t('portal.candidates.submit')}</button>
</form>`
      : '';
  const main = html`<h1>${t('portal.refused.title')}</h1>
${errorSummary(t('portal.refused.heading'), [refusalText(v, err)])}
${choose}
<h2>${candidates.length > 0 ? t('portal.refused.orAgain') : t('portal.refused.again')}</h2>
${registerForm(v, values, candidates.length === 0)}
<p><a href="/portal">${t('portal.registered.back')}</a></p>`;
  const status = err.kind === 'rate_limit' ? 429 : err.kind === 'conflict' ? 409 : 422;
  return pageResponse(v, { title: t('portal.refused.title'), main, nav: 'portal', status });
}
