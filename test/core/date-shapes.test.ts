// The hand-written date paths must agree with the general ones: ISO formatting with
// Date.prototype.toISOString, and the two common date shapes with the grammar-based reading.
import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../shared/core/dates.ts';
import { isoFromFields, isoString } from '../../shared/core/iso-format.ts';

let seed = 31337;
const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const year0 = new Date(0);
year0.setUTCFullYear(0, 0, 1);
const MIN = year0.getTime() - 3 * 86_400_000;
const MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999) + 3 * 86_400_000;

describe('isoString', () => {
  it('writes what toISOString writes for years 0000-9999, and nothing outside them', () => {
    const edges = [0, -1, 1, MIN, MAX, year0.getTime(), year0.getTime() - 1, Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), Date.UTC(2000, 1, 29, 12), Date.UTC(1900, 1, 28, 23, 59, 59, 999)];
    const samples = [...edges, ...Array.from({ length: 30_000 }, () => Math.floor(MIN + random() * (MAX - MIN)))];
    for (const ms of samples) {
      const expected = new Date(ms).toISOString();
      expect(isoString(ms), String(ms)).toBe(/^\d{4}-/.test(expected) ? expected : undefined);
    }
  });

  it('writes fields as given', () => {
    expect(isoFromFields(7, 2, 3, 4, 5, 6, 7)).toBe('0007-02-03T04:05:06.007Z');
    expect(isoFromFields(2024, 12, 31, 23, 59, 59, 999)).toBe('2024-12-31T23:59:59.999Z');
  });
});

describe('parseFeedDate on the common shapes', () => {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');

  it('reads "YYYY-MM-DDTHH:MM:SS[.f]Z|+HH:MM" as the general ISO reading does', () => {
    for (let n = 0; n < 8000; n++) {
      const d = new Date(Math.floor(MIN + random() * (MAX - MIN)));
      const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(random() < 0.05 ? 31 : d.getUTCDate())}`;
      const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(random() < 0.05 ? 60 : d.getUTCSeconds())}`;
      const fraction = ['', '.5', ',25', '.123', '.9999999999999999999', '.1234567'][Math.floor(random() * 6)] as string;
      const zone = ['Z', '+00:00', '-00:00', '+05:30', '-23:59', '+24:00', '+05:60'][Math.floor(random() * 7)] as string;
      const strict = `${date}T${time}${fraction}${zone}`;
      // A space for the "T" keeps the meaning and leaves the shape read code by code.
      expect(parseFeedDate(strict)?.iso, strict).toBe(parseFeedDate(`${date} ${time}${fraction}${zone}`)?.iso);
    }
  });

  it('reads "Day, DD Mon YYYY HH:MM:SS zone" as the general RFC 822 reading does', () => {
    for (let n = 0; n < 8000; n++) {
      const d = new Date(Math.floor(Date.UTC(1000, 0, 1) + random() * (MAX - Date.UTC(1000, 0, 1))));
      const zone = ['GMT', 'UT', 'EST', 'PDT', 'Z', 'A', 'J', 'XYZ', '+0000', '-0500', '+2400', '+0560', 'CEST'][Math.floor(random() * 13)] as string;
      const strict = d.toUTCString().replace('GMT', zone).replace(/ (\d\d):/, random() < 0.05 ? ' 24:' : ' $1:');
      if (!/^\w{3}, \d\d \w{3} \d{4} /.test(strict)) continue;
      // Without the day of the week (which is optional), the shape is no longer the fixed one.
      const general = strict.slice(5);
      expect(parseFeedDate(strict)?.iso, strict).toBe(parseFeedDate(general)?.iso);
    }
  });
});
