// Dates, numbers and language names in the reader's language (Intl; formatters are built once).
// Dates are shown in UTC, the hub's one clock, so a day never shifts between readers.
import { LOCALES, type Language } from './index.ts';

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();
const languageNames = new Map<string, Intl.DisplayNames>();


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

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** "1.2 MB", "1,2 Mo", "12 kB", "12 ko" for a byte count (units as Intl writes them); undefined for none. */
export function formatBytes(n: number | undefined, lang: Language): string | undefined {
  if (!n || n <= 0 || !Number.isFinite(n)) return undefined;
  let v = n;
  let u = 0;
  while (v >= 1000 && u < BYTE_UNITS.length - 1) {
    v /= 1000;
    u += 1;
  }
  const digits = v < 10 && u > 0 ? 1 : 0;
  const unit = BYTE_UNITS[u]!;
  // "500 bytes" rather than "500 byte": the short English unit for bytes is not plural.
  const f = cached(numberFormats, `${lang}:${unit}:${digits}`, () =>
    new Intl.NumberFormat(LOCALES[lang], { style: 'unit', unit, unitDisplay: unit === 'byte' ? 'long' : 'short', maximumFractionDigits: digits }));
  return f.format(v);
}
