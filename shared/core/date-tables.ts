// The names and numbers feed dates are written with, shared by the readers in dates.ts and
// date-shapes.ts. Pure.

export const MONTHS: Record<string, number> = {
  JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, SEPT: 9, OCT: 10, NOV: 11, DEC: 12,
  JANUARY: 1, FEBRUARY: 2, MARCH: 3, APRIL: 4, JUNE: 6, JULY: 7, AUGUST: 8, SEPTEMBER: 9, OCTOBER: 10,
  NOVEMBER: 11, DECEMBER: 12,
};

// Offsets in minutes east of UTC. The North American names are RFC 822's; a few unambiguous
// European and Japanese ones are added because feeds use them.
export const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  WET: 0, WEST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180, JST: 540,
};
// RFC 822 military zones as written there: A-I are -1..-9 hours, K-M -10..-12, N-Y +1..+12
// (J is unused). RFC 1123 notes the signs were published reversed; we follow RFC 822's text, as
// the feed libraries that accept these letters do.
for (const [i, letter] of [...'ABCDEFGHIKLM'].entries()) ZONES[letter] = -(i + 1) * 60;
for (const [i, letter] of [...'NOPQRSTUVWXY'].entries()) ZONES[letter] = (i + 1) * 60;

export interface Parts {
  year: number; month: number; day: number;
  hour: number; minute: number; second: number; millis: number;
  /** Minutes east of UTC. */
  offset: number;
}

/** "+05:30", "-0500" or "+05" as minutes east of UTC; undefined when it is not an offset. */
export function numericOffset(zone: string): number | undefined {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  if (hours > 23 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** A fraction of a second (the digits after the point) in whole milliseconds. */
export function fracToMillis(frac: string | undefined): number {
  return frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
}
