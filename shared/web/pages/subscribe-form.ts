// The alerts form (/subscribe) and the fields it shares with the manage page of the alert links:
// members, categories, languages, keywords and how often. Plain form posts; nothing needs script.
import type { Member } from '../../model.ts';
import type { AlertFilters, Frequency } from '../../ports/subscriptions.ts';
import { languageName } from '../../i18n/format.ts';
import { html, raw, type SafeHtml } from '../html.ts';
import type { Language, Translate } from '../../i18n/index.ts';

/** The UN's official languages, offered as boxes; any other tag can still be typed on the manage page. */
export const OFFERED_LANGUAGES = ['en', 'fr', 'es', 'ar', 'ru', 'zh'] as const;
export const FREQUENCY_VALUES: readonly Frequency[] = ['instant', 'daily', 'weekly'];

export type ChoiceField = 'email' | 'members' | 'categories' | 'languages' | 'keywords' | 'frequency';

export interface ChoiceValues {
  email?: string;
  frequency?: Frequency;
  filters: AlertFilters;
}

export interface FieldsView {
  lang: Language;
  t: Translate;
  members: Member[];
  values: ChoiceValues;
  /** Fields with a problem, each with its message. */
  errors: Partial<Record<ChoiceField, string>>;
}

/** Which field each problem reported by the alerts use case is about (they start "field: ..."). */
export function problemFields(code: string, problems: string[]): ChoiceField[] {
  if (code === 'invalid_email') return ['email'];
  const fields = problems.map((p) => p.split(':')[0]!.trim()).filter((f): f is ChoiceField => ['members', 'categories', 'languages', 'keywords', 'frequency'].includes(f));
  return [...new Set(fields)];
}

const checked = (on: boolean) => (on ? raw(' checked') : '');

function errorOf(v: FieldsView, field: ChoiceField): { attrs: SafeHtml | ''; message: SafeHtml | '' } {
  const text = v.errors[field];
  if (!text) return { attrs: '', message: '' };
  return { attrs: html` aria-invalid="true"`, message: html`<span class="field-error" id="${`${field}-error`}">${text}</span>` };
}

export function frequencyField(v: FieldsView): SafeHtml {
  const { t } = v;
  const e = errorOf(v, 'frequency');
  const current = v.values.frequency;
  const radios = FREQUENCY_VALUES.map(
    (f) => html`<div class="choice"><input type="radio" id="${`frequency-${f}`}" name="frequency" value="${f}"${checked(current === f)}${e.attrs}> <label for="${`frequency-${f}`}">${t(`subscribe.frequency.${f}`)}</label></div>`,
  );
  return html`<fieldset${e.message ? html` aria-describedby="frequency-error"` : ''}>
<legend>${t('subscribe.frequency')}</legend>
${e.message}${radios}
</fieldset>`;
}

/**
 * The members a reader can choose, the same on the subscribe and manage pages: those that have joined
 * the hub (and so can have feeds), plus any the reader already chose, so a choice never disappears.
 */
export function offeredMembers(members: Member[], chosen: readonly string[]): Member[] {
  return members.filter((m) => m.active || chosen.includes(m.id));
}

export function memberField(v: FieldsView): SafeHtml | '' {
  const e = errorOf(v, 'members');
  const offered = offeredMembers(v.members, v.values.filters.members);
  if (offered.length === 0 && !e.message) return '';
  const sorted = [...offered].sort((a, b) => (a.acronym ?? a.name).localeCompare(b.acronym ?? b.name));
  const boxes = sorted.map((m) => {
    const id = `member-${m.id}`;
    const label = m.acronym && m.acronym !== m.name ? `${m.acronym}: ${m.name}` : m.name;
    return html`<div class="choice"><input type="checkbox" id="${id}" name="members" value="${m.id}"${checked(v.values.filters.members.includes(m.id))}> <label for="${id}">${label}</label></div>`;
  });
  return html`<fieldset${e.message ? html` aria-describedby="members-error"` : ''}>
<legend>${v.t('subscribe.members')}</legend>
<p class="hint">${v.t('subscribe.members.hint')}</p>
${e.message}<div class="choices-columns">${boxes}</div>
</fieldset>`;
}

export function languageField(v: FieldsView): SafeHtml {
  const e = errorOf(v, 'languages');
  const chosen = v.values.filters.languages;
  const boxes = OFFERED_LANGUAGES.map((l) => {
    const id = `language-${l}`;
    return html`<div class="choice"><input type="checkbox" id="${id}" name="languages" value="${l}"${checked(chosen.includes(l))}> <label for="${id}">${languageName(l, v.lang)}</label></div>`;
  });
  // Tags chosen before that are not among the boxes stay chosen, as hidden fields.
  const others = chosen.filter((l) => !(OFFERED_LANGUAGES as readonly string[]).includes(l)).map((l) => html`<input type="hidden" name="languages" value="${l}">`);
  return html`<fieldset${e.message ? html` aria-describedby="languages-error"` : ''}>
<legend>${v.t('subscribe.languages')}</legend>
<p class="hint">${v.t('subscribe.languages.hint')}</p>
${e.message}<div class="choices-columns narrow">${boxes}</div>${others}
</fieldset>`;
}

/** A comma-separated list typed in a text box (categories, keywords). */
export function listField(v: FieldsView, field: 'categories' | 'keywords'): SafeHtml {
  const e = errorOf(v, field);
  const described = [`${field}-hint`, e.message ? `${field}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field"><label for="${field}">${v.t(`subscribe.${field}`)}</label>
<span class="hint" id="${`${field}-hint`}">${v.t(`subscribe.${field}.hint`)}</span>
${e.message}<input type="text" id="${field}" name="${field}" value="${v.values.filters[field].join(', ')}" size="50" aria-describedby="${described}"${e.attrs}></div>`;
}

export function errorSummary(v: FieldsView): SafeHtml | '' {
  const entries = Object.entries(v.errors) as [ChoiceField, string][];
  if (entries.length === 0) return '';
  const anchor = (f: ChoiceField) => (f === 'frequency' ? 'frequency-instant' : f === 'members' ? `member-${[...v.members].sort((a, b) => (a.acronym ?? a.name).localeCompare(b.acronym ?? b.name))[0]?.id ?? ''}` : f === 'languages' ? 'language-en' : f);
  return html`<div class="error-summary" role="alert"><h2>${v.t('subscribe.problems')}</h2><ul>${entries.map(([f, text]) => html`<li><a href="${`#${anchor(f)}`}">${text}</a></li>`)}</ul></div>`;
}

export function subscribeMain(v: FieldsView & { csrf: string }): SafeHtml {
  const { t } = v;
  const email = errorOf(v, 'email');
  return html`<h1>${t('subscribe.title')}</h1>
<p class="lead">${t('subscribe.lead')}</p>
${errorSummary(v)}
<form method="post" action="/subscribe" novalidate>
<input type="hidden" name="csrf" value="${v.csrf}">
<div class="field"><label for="email">${t('subscribe.email')}</label>
<span class="hint" id="email-hint">${t('subscribe.email.hint')}</span>
${email.message}<input type="email" id="email" name="email" value="${v.values.email ?? ''}" autocomplete="email" required size="40" aria-describedby="${email.message ? 'email-hint email-error' : 'email-hint'}"${email.attrs}></div>
${frequencyField(v)}
${memberField(v)}
${languageField(v)}
${listField(v, 'categories')}
${listField(v, 'keywords')}
<p><button type="submit">${t('subscribe.submit')}</button></p>
</form>
<p class="muted">${t('subscribe.privacy')}</p>`;
}

export function sentMain(t: Translate): SafeHtml {
  return html`<h1>${t('subscribe.sent.title')}</h1>
<div class="notice" role="status"><p>${t('subscribe.sent.body')}</p></div>
<p>${t('subscribe.sent.next')}</p>
<p><a href="/">${t('subscribe.sent.back')}</a></p>`;
}

export function messageMain(title: string, text: string, link?: { href: string; label: string }): SafeHtml {
  return html`<h1>${title}</h1>
<p>${text}</p>
${link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ''}`;
}
