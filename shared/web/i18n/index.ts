// Message catalogues: English is complete; French and Spanish are shipped (UN working languages). Each
// area of the site keeps its own catalogue file per language (public.ts, portal.ts), merged here.
// A missing key falls back to English, then to the key itself, so a gap never breaks a page.
import { enErrors } from './en/errors.ts';
import { enPortal } from './en/portal.ts';
import { enPublic } from './en/public.ts';
import { esErrors } from './es/errors.ts';
import { esPortal } from './es/portal.ts';
import { esPublic } from './es/public.ts';
import { frErrors } from './fr/errors.ts';
import { frPortal } from './fr/portal.ts';
import { frPublic } from './fr/public.ts';

export const LANGUAGES = ['en', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Catalogue = Record<string, string>;

const CATALOGUES: Record<Language, Catalogue> = {
  en: { ...enPublic, ...enPortal, ...enErrors },
  fr: { ...frPublic, ...frPortal, ...frErrors },
  es: { ...esPublic, ...esPortal, ...esErrors },
};

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** `t('latest.count', {n: 3})` with `{n}` placeholders; params are inserted as given (escape when rendering). */
export function translator(lang: Language): Translate {
  const own = CATALOGUES[lang];
  const en = CATALOGUES.en;
  return (key, params) => {
    const text = own[key] ?? en[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (params[name] === undefined ? m : String(params[name]))) : text;
  };
}

/** The language to use: an explicit choice (?lang= or the cookie) if supported, else Accept-Language, else English. */
export function chooseLanguage(explicit: string | undefined, acceptLanguage: string | undefined): Language {
  const supported = (l: string | undefined): Language | undefined => {
    const p = l?.trim().toLowerCase().split('-')[0];
    return (LANGUAGES as readonly string[]).includes(p ?? '') ? (p as Language) : undefined;
  };
  const pick = supported(explicit);
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
    const l = supported(tag);
    if (l) return l;
  }
  return 'en';
}

/** Every key of the English catalogues (tests check that fr and es have them all). */
export function catalogueKeys(lang: Language): string[] {
  return Object.keys(CATALOGUES[lang]);
}
