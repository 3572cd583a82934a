// Message catalogues: English is the source of truth; French and Spanish are shipped (UN working
// languages). Each area keeps its own catalogue file per language (public.ts, portal.ts, mail.ts),
// merged here. Keys are typed from the English catalogues (types.ts): a missing or misspelt key is a
// `tsc` error, in the other languages as at every call site.
import { enMail } from './en/mail-messages.ts';
import { enPortal } from './en/portal-messages.ts';
import { enPublic } from './en/public-messages.ts';
import { esMail } from './es/mail-messages.ts';
import { esPortal } from './es/portal-messages.ts';
import { esPublic } from './es/public-messages.ts';
import { frMail } from './fr/mail-messages.ts';
import { enErrors } from './en/errors-messages.ts';
import { esErrors } from './es/errors-messages.ts';
import { frErrors } from './fr/errors-messages.ts';
import { frPortal } from './fr/portal-messages.ts';
import { frPublic } from './fr/public-messages.ts';
import type { Message } from './catalogue-types.ts';

export type { Catalogue, Message, PluralMessage, Translation } from './catalogue-types.ts';

export const LANGUAGES = ['en', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

const EN = { ...enPublic, ...enPortal, ...enMail, ...enErrors };
/** Every message key: the union of the English catalogues' keys. */
export type MessageKey = keyof typeof EN;

const CATALOGUES: Record<Language, Readonly<Record<MessageKey, Message>>> = {
  en: EN,
  fr: { ...frPublic, ...frPortal, ...frMail, ...frErrors },
  es: { ...esPublic, ...esPortal, ...esMail, ...esErrors },
};

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** BCP 47 locales for Intl: English as the UN writes it (2 November 2026), not the US default. */
export const LOCALES: Record<Language, string> = { en: 'en-GB', fr: 'fr', es: 'es' };

const pluralRules = new Map<Language, Intl.PluralRules>();
function pluralOf(lang: Language, n: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(LOCALES[lang])));
  return rules.select(n);
}

/** The text of a message for `params`: a plural message takes the form `Intl.PluralRules` picks for `params.count`. */
function textOf(lang: Language, message: Message, params: Params | undefined): string {
  if (typeof message === 'string') return message;
  const count = Number(params?.count);
  return Number.isFinite(count) ? (message[pluralOf(lang, count)] ?? message.other) : message.other;
}

/**
 * `t('latest.count', {count: 3})` with `{name}` placeholders; params are inserted as given (escape when
 * rendering). Numbers are inserted as written in the language (1 234, 1,234).
 */
export function translator(lang: Language): Translate {
  const own = CATALOGUES[lang];
  const numbers = new Intl.NumberFormat(LOCALES[lang]);
  return (key, params) => {
    const message: Message | undefined = own[key] ?? CATALOGUES.en[key];
    if (message === undefined) return String(key);
    const text = textOf(lang, message, params);
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => {
      const v = params[name];
      return v === undefined ? m : typeof v === 'number' ? numbers.format(v) : v;
    });
  };
}

/** Whether `key` names a message (for keys built from data, such as an error code). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(EN, key);
}

/** A supported language for a stored or given tag ("fr-CA" is French), else undefined. */
export function supportedLanguage(tag: unknown): Language | undefined {
  const p = typeof tag === 'string' ? tag.trim().toLowerCase().split('-')[0] : undefined;
  return (LANGUAGES as readonly string[]).includes(p ?? '') ? (p as Language) : undefined;
}

/** The language to use: an explicit choice (?lang= or the cookie) if supported, else Accept-Language, else English. */
export function chooseLanguage(explicit: string | undefined, acceptLanguage: string | undefined): Language {
  const pick = supportedLanguage(explicit);
  if (pick) return pick;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...ps] = part.trim().split(';');
      const q = Number(ps.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { tag: tag ?? '', q: Number.isFinite(q) ? q : 0 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const l = supportedLanguage(tag);
    if (l) return l;
  }
  return 'en';
}

/** Every key of a language's catalogues (tests check that fr and es have them all). */
export function catalogueKeys(lang: Language): string[] {
  return Object.keys(CATALOGUES[lang]);
}
