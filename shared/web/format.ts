// Dates, numbers and language names in the reader's language (Intl; formatters are built once).
// Dates are shown in UTC, the hub's one clock, so a day never shifts between readers.
import type { Language } from './i18n/index.ts';

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();
const languageNames = new Map<string, Intl.DisplayNames>();

/** English dates and numbers as the UN writes them (2 November 2026), not the US default. */
const LOCALES: Record<Language, string> = { en: 'en-GB', fr: 'fr', es: 'es' };

function cached<T>(map: Map<string, T>, key: string, make: () => T): T {
  let v = map.get(key);
  if (!v) map.set(key, (v = make()));
  return v;
}

/** "2 November 2026", "2 novembre 2026", "2 de noviembre de 2026"; undefined when not a date. */
export function formatDay(iso: string | undefined, lang: Language): string | undefined {
  const ms = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) return undefined;
  return cached(dayFormats, lang, () => new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: 'UTC' })).format(ms);
}

/** A date and time, "2 Nov 2026, 09:14 UTC". */
export function formatDateTime(iso: string | undefined, lang: Language): string | undefined {
  const ms = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) return undefined;
  const f = cached(timeFormats, lang, () => new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23' }));
  return `${f.format(ms)} UTC`;
}

export function formatNumber(n: number, lang: Language): string {
  return cached(numberFormats, lang, () => new Intl.NumberFormat(LOCALES[lang])).format(n);
}

/** "French" / "français" for "fr"; the tag itself when Intl does not know it. */
export function languageName(tag: string, lang: Language): string {
  try {
    return cached(languageNames, lang, () => new Intl.DisplayNames(lang, { type: 'language', fallback: 'code' })).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** "1.2 MB" for a byte count; undefined for none. */
export function formatBytes(n: number | undefined, lang: Language): string | undefined {
  if (!n || n <= 0 || !Number.isFinite(n)) return undefined;
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u += 1;
  }
  const digits = v < 10 && u > 0 ? 1 : 0;
  return `${cached(numberFormats, `${lang}:${digits}`, () => new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits })).format(v)} ${units[u]}`;
}
