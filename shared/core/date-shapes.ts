// The two date shapes nearly every feed writes, read character by character before the general
// grammars of dates.ts are tried: they give the same parts as those would (anything else,
// including an offset those reject, is left to them), several times faster. Pure.
import { fracToMillis, MONTHS, numericOffset, type Parts, ZONES } from './date-tables.ts';

/** "YYYY-MM-DDTHH:MM:SS[.fff]" then "Z" or "+HH:MM" (RFC 3339), else undefined. */
export function strictIso(s: string): Parts | undefined {
  if (s.length < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  let p = 19;
  let millis = 0;
  if (s.charCodeAt(p) === 46 || s.charCodeAt(p) === 44) {
    let q = p + 1;
    while (isDigit(s.charCodeAt(q))) q++;
    if (q === p + 1) return undefined;
    millis = fracToMillis(s.slice(p + 1, q));
    p = q;
  }
  const sign = s.charCodeAt(p);
  if (sign === 90 && p + 1 === s.length) return { year, month, day, hour, minute, second, millis, offset: 0 };
  if ((sign !== 43 && sign !== 45) || p + 6 !== s.length || s.charCodeAt(p + 3) !== 58) return undefined;
  const offsetHours = digitsAt(s, p + 1, 2);
  const offsetMinutes = digitsAt(s, p + 4, 2);
  if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) return undefined;
  return { year, month, day, hour, minute, second, millis, offset: (sign === 45 ? -1 : 1) * (offsetHours * 60 + offsetMinutes) };
}

/** "DAY, DD MON YYYY HH:MM:SS ZONE" (RFC 1123: three-letter day and month), else undefined. */
export function strictRfc822(s: string): Parts | undefined {
  if (s.length < 27 || s.charCodeAt(3) !== 44 || s.charCodeAt(4) !== 32 || s.charCodeAt(7) !== 32 || s.charCodeAt(11) !== 32) return undefined;
  if (s.charCodeAt(16) !== 32 || s.charCodeAt(19) !== 58 || s.charCodeAt(22) !== 58 || s.charCodeAt(25) !== 32) return undefined;
  if (!isLetter(s.charCodeAt(0)) || !isLetter(s.charCodeAt(1)) || !isLetter(s.charCodeAt(2))) return undefined;
  const day = digitsAt(s, 5, 2);
  const month = isLetter(s.charCodeAt(8)) && isLetter(s.charCodeAt(9)) && isLetter(s.charCodeAt(10)) ? MONTH_CODES.get(upperCode(s, 8, 3)) : undefined;
  const year = digitsAt(s, 12, 4);
  const hour = digitsAt(s, 17, 2);
  const minute = digitsAt(s, 20, 2);
  const second = digitsAt(s, 23, 2);
  if (month === undefined || day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  const zone = s.slice(26);
  let offset: number | undefined;
  if (/^[A-Za-z]{1,5}$/.test(zone)) offset = ZONES[zone.toUpperCase()];
  else if (/^[+-]\d{4}$/.test(zone)) offset = numericOffset(zone);
  if (offset === undefined) return undefined;
  return { year, month, day, hour, minute, second, millis: 0, offset };
}

/** The number written by the `n` digits at `from`, or -1 when they are not all digits. */
function digitsAt(s: string, from: number, n: number): number {
  let value = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    value = value * 10 + (c - 48);
  }
  return value;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** An ASCII letter, either case. */
function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The `n` ASCII letters at `from`, upper-cased, as one number (for MONTH_CODES). */
function upperCode(s: string, from: number, n: number): number {
  let code = 0;
  for (let i = from; i < from + n; i++) code = code * 32 + (s.charCodeAt(i) & 0x1f);
  return code;
}

// The three-letter month names by upperCode.
const MONTH_CODES = new Map(Object.entries(MONTHS).filter(([name]) => name.length === 3).map(([name, month]) => [upperCode(name, 0, 3), month]));
