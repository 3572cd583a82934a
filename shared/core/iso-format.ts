// Writing a UTC instant as ISO 8601 ("2024-03-04T14:15:30.000Z"), exactly as
// Date.prototype.toISOString does for years 0000-9999, but several times faster: feeds carry
// thousands of dates, and each is written once per parse. Pure.

const DAY_MS = 86_400_000;
// "yyyy-mm-ddThh:mm:ss.sssZ" as character codes, filled in for each date.
const ISO_CODES = [...'0000-00-00T00:00:00.000Z'].map((c) => c.charCodeAt(0));

/** Writes `n` as `width` decimal digits into ISO_CODES, ending before index `end`. */
function digits(n: number, end: number, width: number): void {
  for (let i = 1; i <= width; i++) {
    ISO_CODES[end - i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
}

/**
 * The ISO 8601 form of valid UTC fields: year 0-9999, month 1-12, a day of that month, hour
 * 0-23, minute and second 0-59, millisecond 0-999. The caller has checked them.
 */
export function isoFromFields(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): string {
  digits(year, 4, 4);
  digits(month, 7, 2);
  digits(day, 10, 2);
  digits(hour, 13, 2);
  digits(minute, 16, 2);
  digits(second, 19, 2);
  digits(millis, 23, 3);
  // One flat string, rather than a chain of pieces for whoever reads it first to flatten.
  return String.fromCharCode.apply(null, ISO_CODES);
}

/**
 * What Date.prototype.toISOString gives for the time value `ms` (an integer), or undefined for
 * years outside 0000-9999, which toISOString writes in the expanded "+yyyyyy" form and which are
 * not real feed dates. The calendar arithmetic is the usual days-to-civil conversion over
 * 400-year eras of the proleptic Gregorian calendar.
 */
export function isoString(ms: number): string | undefined {
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const millis = rest - second * 1000;
  // Days are counted from 0000-03-01, so that a leap day falls at the end of its year.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const m = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * m + 2) / 5) + 1;
  const month = m < 10 ? m + 3 : m - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return undefined;
  return isoFromFields(year, month, day, hour, minute, second, millis);
}
