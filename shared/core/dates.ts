// Feed dates, parsed explicitly. Date.parse is never used on feed text: it reads "05/03/2024" as
// 3 May, rolls "31 Feb" over to March, and reads a time without a zone in the server's own zone.
// Two grammars are accepted: RFC 822 as updated by RFC 1123/2822 (RSS) and RFC 3339 / ISO 8601
// (Atom, JSON Feed, Dublin Core's W3C-DTF). Anything else keeps its raw text and no `iso`.
import type { FeedDate } from '../model.ts';

const MONTHS: Record<string, number> = {
  JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, SEPT: 9, OCT: 10, NOV: 11, DEC: 12,
  JANUARY: 1, FEBRUARY: 2, MARCH: 3, APRIL: 4, JUNE: 6, JULY: 7, AUGUST: 8, SEPTEMBER: 9, OCTOBER: 10,
  NOVEMBER: 11, DECEMBER: 12,
};

// Offsets in minutes east of UTC. The North American names are RFC 822's; a few unambiguous
// European and Japanese ones are added because feeds use them.
const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  WET: 0, WEST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180, JST: 540,
};
// RFC 822 military zones as written there: A-I are -1..-9 hours, K-M -10..-12, N-Y +1..+12
// (J is unused). RFC 1123 notes the signs were published reversed; we follow RFC 822's text, as
// the feed libraries that accept these letters do.
for (const [i, letter] of [...'ABCDEFGHIKLM'].entries()) ZONES[letter] = -(i + 1) * 60;
for (const [i, letter] of [...'NOPQRSTUVWXY'].entries()) ZONES[letter] = (i + 1) * 60;

interface Parts {
  year: number; month: number; day: number;
  hour: number; minute: number; second: number; millis: number;
  /** Minutes east of UTC. */
  offset: number;
}

/** "+05:30", "-0500" or "+05" as minutes east of UTC; undefined when it is not an offset. */
function numericOffset(zone: string): number | undefined {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  if (hours > 23 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** A fraction of a second (the digits after the point) in whole milliseconds. */
function fracToMillis(frac: string | undefined): number {
  return frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
}

// [weekday,] day month year [hh:mm[:ss]] [zone]. The weekday is followed by a comma, a space or
// both, with or without spaces around the comma ("Tue,05 Mar" is common in the wild).
const RFC822 =
  /^(?:[A-Z]{3,9}\.?\s*(?:,\s*|\s))?(\d{1,2})[\s-]+([A-Z]{3,9})\.?[\s-]+(\d{2,4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(?:\s*([A-Z]{1,5}|[+-]\d{2}:?\d{2}))?$/;
// YYYY[-MM[-DD[Thh:mm[:ss[.fff]][zone]]]], also with a space for T and the compact form.
const ISO =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T\s]+(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;
const ISO_COMPACT = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

export function parseFeedDate(raw: string | undefined): FeedDate | undefined {
  if (raw === undefined) return undefined;
  const text = raw.replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  const upper = text.toUpperCase();
  const parts = parseIso(upper) ?? parseRfc822(upper);
  const iso = parts ? toIso(parts) : undefined;
  return iso ? { iso, raw: text } : { raw: text };
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
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  // Years outside 0000-9999 (toISOString writes them as "+yyyyyy") are not real feed dates.
  const year = date.getUTCFullYear();
  return year >= 0 && year <= 9999 ? date.toISOString() : undefined;
}
