// The pages behind the links in alert mails: confirm, manage, unsubscribe. In the site's layout and the
// reader's language; the manage form shares its fields with the subscribe form.
import type { Member } from '../../model.ts';
import type { Subscription } from '../../ports/subscriptions.ts';
import { html, type SafeHtml } from '../html.ts';
import type { Translate } from '../../i18n/index.ts';
import { frequencyField, languageField, listField, memberField, problemFields, type ChoiceField, type FieldsView } from './subscribe-form.ts';
import type { HttpResponse } from '../../http/types.ts';
import { localeTranslator, page, paragraph, type PageLocale } from './token-page.ts';

/** What the subscription asks for, in words. */
function choiceList(sub: Subscription, label: (id: string) => string, t: Translate): SafeHtml {
  const f = sub.filters;
  const lines = [
    t('subscribe.summary.frequency', { frequency: t(`subscribe.frequency.${sub.frequency}`) }),
    f.members.length ? t('subscribe.summary.members', { list: f.members.map(label).join(', ') }) : t('subscribe.summary.allMembers'),
    ...(f.categories.length ? [t('subscribe.summary.categories', { list: f.categories.join(', ') })] : []),
    ...(f.languages.length ? [t('subscribe.summary.languages', { list: f.languages.join(', ') })] : []),
    ...(f.keywords.length ? [t('subscribe.summary.keywords', { list: f.keywords.join(', ') })] : []),
  ];
  return html`<ul>${lines.map((l) => html`<li>${l}</li>`)}</ul>`;
}

export function confirmedPage(outcome: 'confirmed' | 'already_active' | 'superseded', sub: Subscription, label: (id: string) => string, manageUrl: string, locale?: PageLocale): HttpResponse {
  const t = localeTranslator(locale);
  if (outcome === 'superseded') return page(200, t('subscribe.confirm.superseded.title'), paragraph(t('subscribe.confirm.superseded.body')), locale);
  const title = outcome === 'confirmed' ? t('subscribe.confirm.title') : t('subscribe.confirm.already');
  return page(200, title, html`${paragraph(t('subscribe.confirm.body'))}
${choiceList(sub, label, t)}
<p><a href="${manageUrl}">${t('subscribe.confirm.manage')}</a></p>`, locale);
}

export interface ManageView {
  sub: Subscription;
  members: Member[];
  token: string;
  unsubscribeUrl: string;
  /** Saved: the page says so. */
  saved?: boolean;
  /** The use case's refusal: its code and problems. */
  problems?: { code: string; list: string[] };
  status?: number;
  locale?: PageLocale;
}

export function manageFormPage(v: ManageView): HttpResponse {
  const t = localeTranslator(v.locale);
  const errors: Partial<Record<ChoiceField, string>> = {};
  for (const f of v.problems ? problemFields(v.problems.code, v.problems.list) : []) errors[f] = t(`subscribe.problem.${f}`);
  const fields: FieldsView = { lang: v.locale?.lang ?? 'en', t, members: v.members, values: { frequency: v.sub.frequency, filters: v.sub.filters }, errors };
  const problems = Object.values(errors);
  const body = html`${v.saved ? html`<div class="notice" role="status"><p>${t('subscribe.manage.saved')}</p></div>` : ''}
${problems.length ? html`<div class="error-summary" role="alert"><h2>${t('subscribe.problems')}</h2><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}
${v.sub.status === 'suspended' ? paragraph(t('subscribe.manage.suspended')) : ''}
<form method="post" action="${`manage?token=${encodeURIComponent(v.token)}`}">
${frequencyField(fields)}
${memberField(fields)}
${languageField(fields)}
${listField(fields, 'categories')}
${listField(fields, 'keywords')}
<p><button type="submit">${t('subscribe.manage.save')}</button></p>
</form>
<p><a href="${v.unsubscribeUrl}">${t('subscribe.manage.unsubscribe')}</a></p>`;
  return page(v.status ?? 200, t('subscribe.manage.title'), body, v.locale);
}

export function unsubscribeFormPage(token: string, locale?: PageLocale): HttpResponse {
  const t = localeTranslator(locale);
  return page(200, t('subscribe.unsubscribe.title'), html`${paragraph(t('subscribe.unsubscribe.body'))}
<form method="post" action="${`unsubscribe?token=${encodeURIComponent(token)}`}">
<p><button type="submit">${t('subscribe.unsubscribe.button')}</button></p>
</form>`, locale);
}

export function unsubscribedPage(locale?: PageLocale): HttpResponse {
  const t = localeTranslator(locale);
  return page(200, t('subscribe.unsubscribed.title'), html`${paragraph(t('subscribe.unsubscribed.body'))}
<p><a href="/subscribe">${t('subscribe.link.again')}</a></p>`, locale);
}
