// Message catalogues: English is the source of truth; French and Spanish are shipped (UN working
// languages). Each area keeps its own catalogue file per language (public, portal, mail, errors),
// merged here. Keys are typed from the English catalogues (catalogue-types.ts): a missing or misspelt
// key is a `tsc` error, in the other languages as at every call site.
//
// The portal's and the secretariat's messages (a third of the whole) are added by portal.ts, which
// the signed-in pages import: a Lambda function that serves no such page does not load them.
import { enMail } from './en/mail-messages.ts';
import { enPublic } from './en/public-messages.ts';
import { esMail } from './es/mail-messages.ts';
import { esPublic } from './es/public-messages.ts';
import { frMail } from './fr/mail-messages.ts';
import { enErrors } from './en/errors-messages.ts';
import { esErrors } from './es/errors-messages.ts';
import { frErrors } from './fr/errors-messages.ts';
import { frPublic } from './fr/public-messages.ts';
import type { Message } from './catalogue-types.ts';

export type { Catalogue, Message, PluralMessage, Translation } from './catalogue-types.ts';

import { LANGUAGES, LOCALES, type Language } from './languages.ts';

export { chooseLanguage, LANGUAGES, LOCALES, supportedLanguage, type Language } from './languages.ts';

const EN = { ...enPublic, ...enMail, ...enErrors };
type PortalKey = keyof typeof import('./en/portal-messages.ts').enPortal;
/** Every message key: the union of the English catalogues' keys. */
export type MessageKey = keyof typeof EN | PortalKey;

const CATALOGUES: Record<Language, Partial<Record<MessageKey, Message>>> = {
  en: EN,
  fr: { ...frPublic, ...frMail, ...frErrors },
  es: { ...esPublic, ...esMail, ...esErrors },
};

/** Adds a group of catalogues (shared/i18n/portal.ts): each language's messages, typed from English. */
export function addCatalogues(books: Record<Language, Readonly<Partial<Record<MessageKey, Message>>>>): void {
  for (const lang of LANGUAGES) Object.assign(CATALOGUES[lang], books[lang]);
}

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;


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
  return Object.prototype.hasOwnProperty.call(CATALOGUES.en, key);
}

/** Every key of a language's catalogues (tests check that fr and es have them all). */
export function catalogueKeys(lang: Language): string[] {
  return Object.keys(CATALOGUES[lang]);
}
