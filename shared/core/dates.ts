// Feed dates, parsed explicitly. Date.parse is never used on feed text: it reads "05/03/2024" as
// 3 May, rolls "31 Feb" over to March, and reads a time without a zone in the server's own zone.
// Two grammars are accepted: RFC 822 as updated by RFC 1123/2822 (RSS) and RFC 3339 / ISO 8601
// (Atom, JSON Feed, Dublin Core's W3C-DTF). Anything else keeps its raw text and no `iso`.
import type { FeedDate } from '../model.ts';
import { fracToMillis, MONTHS, numericOffset, type Parts, ZONES } from './date-tables.ts';
import { strictIso, strictRfc822 } from './date-shapes.ts';
import { isoFromFields, isoString } from './iso-format.ts';

// [weekday,] day month year [hh:mm[:ss]] [zone]. The weekday is followed by a comma, a space or
// both, with or without spaces around the comma ("Tue,05 Mar" is common in the wild).
const RFC822 =
  /^(?:[A-Z]{3,9}\.?\s*(?:,\s*|\s))?(\d{1,2})[\s-]+([A-Z]{3,9})\.?[\s-]+(\d{2,4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(?:\s*([A-Z]{1,5}|[+-]\d{2}:?\d{2}))?$/;
// YYYY[-MM[-DD[Thh:mm[:ss[.fff]][zone]]]], also with a space for T and the compact form.
const ISO =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T\s]+(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;
const ISO_COMPACT = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

// Whitespace that collapsing would change: anything but a lone U+0020.
const UNCOLLAPSED = /[^\S ]|\s\s/;

export function parseFeedDate(raw: string | undefined): FeedDate | undefined {
  if (raw === undefined) return undefined;
  const text = (UNCOLLAPSED.test(raw) ? raw.replace(/\s+/g, ' ') : raw).trim();
  if (text === '') return undefined;
  // The common shapes are read from the text as it is (they are ASCII, so reading them without
  // regard to case is reading the upper-cased text); the rest from the upper-cased text.
  const parts = strictIso(text) ?? strictRfc822(text) ?? general(text.toUpperCase());
  const iso = parts ? toIso(parts) : undefined;
  return iso ? { iso, raw: text } : { raw: text };
}

function general(upper: string): Parts | undefined {
  return parseIso(upper) ?? parseRfc822(upper);
}

function parseIso(s: string): Parts | undefined {
  const m = ISO.exec(s) ?? ISO_COMPACT.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  // A date and time without a zone is read as UTC: the server's own zone has nothing to do with
  // the feed's, and UTC is the reading that is wrong by the least on average.
  const offset = zone === undefined ? 0 : isoOffset(zone);
  if (offset === undefined) return undefined;
  return {
    year: Number(y), month: mo ? Number(mo) : 1, day: d ? Number(d) : 1,
    hour: h ? Number(h) : 0, minute: mi ? Number(mi) : 0, second: sec ? Number(sec) : 0,
    millis: fracToMillis(frac), offset,
  };
}

function parseRfc822(s: string): Parts | undefined {
  // Drop a trailing comment such as "-0500 (EST)". (The text is trimmed: a comment ends it.)
  const m = RFC822.exec(s.endsWith(')') ? s.replace(/\s*\([^)]*\)\s*$/, '') : s);
  if (!m) return undefined;
  const [, d, mon, y, h, mi, sec, frac, zone] = m;
  const month = MONTHS[mon ?? ''];
  if (month === undefined) return undefined;
  // Like a zone-less ISO time, an RFC 822 time without a zone is read as UTC.
  const offset = zone === undefined ? 0 : zone in ZONES ? ZONES[zone] : numericOffset(zone);
  if (offset === undefined) return undefined;
  return {
    year: fullYear(y ?? ''), month, day: Number(d),
    hour: h ? Number(h) : 0, minute: mi ? Number(mi) : 0, second: sec ? Number(sec) : 0,
    millis: fracToMillis(frac), offset,
  };
}

/** RFC 2822 section 4.3: two-digit years 00-49 are 2000-2049, 50-99 are 1950-1999; three digits add 1900. */
function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 2) return n < 50 ? 2000 + n : 1900 + n;
  if (y.length === 3) return 1900 + n;
  return n;
}

function isoOffset(zone: string): number | undefined {
  return zone === 'Z' ? 0 : numericOffset(zone);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Validates the fields (no rolling over: 31 Feb is not 3 March) and renders UTC ISO 8601. */
function toIso(p: Parts): string | undefined {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > daysInMonth(p.year, p.month)) return undefined;
  if (p.hour > 23 || p.minute > 59 || p.second > 60) return undefined;
  // In UTC already, the fields are the answer (years here have at most four digits, and a
  // fraction that rounds up to 1,000 ms goes the long way, as it carries into the next second).
  if (p.offset === 0 && p.second < 60 && p.millis < 1000) return isoFromFields(p.year, p.month, p.day, p.hour, p.minute, p.second, p.millis);
  // A leap second (:60) is shown as the last millisecond of its minute rather than the next minute.
  const leap = p.second === 60;
  const second = leap ? 59 : p.second;
  const millis = leap ? 999 : p.millis;
  let ms: number;
  if (p.year >= 100) {
    ms = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute - p.offset, second, millis);
  } else {
    // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
    const date = new Date(0);
    date.setUTCFullYear(p.year, p.month - 1, p.day);
    ms = date.setUTCHours(p.hour, p.minute - p.offset, second, millis);
  }
  return Number.isFinite(ms) ? isoString(ms) : undefined;
}
