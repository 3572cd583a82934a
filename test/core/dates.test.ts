import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../shared/core/dates.ts';

// Run under a zone far from UTC, so that any use of the machine's local time would show.
const savedTz = process.env.TZ;
beforeEach(() => {
  process.env.TZ = 'America/Los_Angeles';
});
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

it('runs with a local zone that is not UTC', () => {
  expect(new Date(Date.UTC(2024, 0, 1, 12)).getHours()).not.toBe(12);
});

describe('parseFeedDate: RFC 822 / 1123', () => {
  it.each([
    ['Sun, 19 May 2002 15:21:36 GMT', '2002-05-19T15:21:36.000Z'],
    ['Sun, 19 May 2002 15:21:36 UT', '2002-05-19T15:21:36.000Z'],
    ['Sun, 19 May 2002 15:21:36 UTC', '2002-05-19T15:21:36.000Z'],
    ['Sun, 19 May 2002 15:21:36 Z', '2002-05-19T15:21:36.000Z'],
    ['Mon, 04 Mar 2024 09:15:30 EST', '2024-03-04T14:15:30.000Z'],
    ['Mon, 04 Mar 2024 09:15:30 EDT', '2024-03-04T13:15:30.000Z'],
    ['Mon, 04 Mar 2024 09:15:30 CST', '2024-03-04T15:15:30.000Z'],
    ['Mon, 04 Mar 2024 09:15:30 CDT', '2024-03-04T14:15:30.000Z'],
    ['Mon, 04 Mar 2024 09:15:30 MST', '2024-03-04T16:15:30.000Z'],
    ['Mon, 04 Mar 2024 09:15:30 MDT', '2024-03-04T15:15:30.000Z'],
    ['Sun, 07 Jul 2024 23:00:00 PDT', '2024-07-08T06:00:00.000Z'],
    ['Sun, 07 Jul 2024 23:00:00 PST', '2024-07-08T07:00:00.000Z'],
    ['Thu, 05 Sep 2024 12:00:00 +0530', '2024-09-05T06:30:00.000Z'],
    ['Thu, 05 Sep 2024 12:00:00 -0800', '2024-09-05T20:00:00.000Z'],
    ['Thu, 05 Sep 2024 12:00:00 +05:30', '2024-09-05T06:30:00.000Z'],
    // Military zones as RFC 822 writes them: A = -1 h, N = +1 h, M = -12 h, Y = +12 h.
    ['Thu, 05 Sep 2024 12:00:00 A', '2024-09-05T13:00:00.000Z'],
    ['Thu, 05 Sep 2024 12:00:00 N', '2024-09-05T11:00:00.000Z'],
    ['Thu, 05 Sep 2024 12:00:00 M', '2024-09-06T00:00:00.000Z'],
    ['Thu, 05 Sep 2024 12:00:00 Y', '2024-09-05T00:00:00.000Z'],
    // Two-digit years (RFC 2822 4.3), missing seconds, missing weekday, lower case, extra spaces.
    ['Fri, 01 Mar 24 10:30 GMT', '2024-03-01T10:30:00.000Z'],
    ['Wed, 01 Mar 99 10:30:00 GMT', '1999-03-01T10:30:00.000Z'],
    ['1 Feb 1999 00:00:00 UT', '1999-02-01T00:00:00.000Z'],
    ['  sun,  19 may 2002   15:21:36 gmt ', '2002-05-19T15:21:36.000Z'],
    ['Sun, 19 September 2002 15:21:36 GMT', '2002-09-19T15:21:36.000Z'],
    ['Tue, 10 Jun 2003 04:00:00 -0500 (EST)', '2003-06-10T09:00:00.000Z'],
    ['Thu, 29 Feb 2024 23:59:59 -0000', '2024-02-29T23:59:59.000Z'],
    ['Thu, 05 Sep 2024', '2024-09-05T00:00:00.000Z'],
  ])('%s -> %s', (raw, iso) => {
    expect(parseFeedDate(raw)).toEqual({ iso, raw: raw.replace(/\s+/g, ' ').trim() });
  });

  // Feeds in the wild write the weekday's comma with no space after it, or with spaces before it.
  it.each([
    ['Tue,05 Mar 2024 10:00:00 +0000', '2024-03-05T10:00:00.000Z'],
    ['tue,05 mar 2024 10:00:00 GMT', '2024-03-05T10:00:00.000Z'],
    ['Tue ,05 Mar 2024 10:00:00 +0000', '2024-03-05T10:00:00.000Z'],
    ['Tue , 05 Mar 2024 10:00:00 +0000', '2024-03-05T10:00:00.000Z'],
    ['Tuesday,5 March 2024 10:00 GMT', '2024-03-05T10:00:00.000Z'],
    ['Tue.,05 Mar 2024 10:00:00 +0000', '2024-03-05T10:00:00.000Z'],
    ['Tue 05 Mar 2024 10:00:00 +0000', '2024-03-05T10:00:00.000Z'],
  ])('reads %s whatever the spacing around the weekday', (raw, iso) => {
    expect(parseFeedDate(raw)).toEqual({ iso, raw });
  });

  it('still needs a comma or a space between the weekday and the day', () => {
    expect(parseFeedDate('Tue05 Mar 2024 10:00:00 +0000')).toEqual({ raw: 'Tue05 Mar 2024 10:00:00 +0000' });
  });

  it('reads a time without a zone as UTC, whatever the server zone is', () => {
    expect(parseFeedDate('Tue, 02 Apr 2024 08:00:00')?.iso).toBe('2024-04-02T08:00:00.000Z');
  });
});

describe('parseFeedDate: RFC 3339 / ISO 8601', () => {
  it.each([
    ['2024-04-02T08:00:00Z', '2024-04-02T08:00:00.000Z'],
    ['2024-04-02T08:00:00+02:00', '2024-04-02T06:00:00.000Z'],
    ['2024-04-02T08:00:00-0330', '2024-04-02T11:30:00.000Z'],
    ['2024-04-02t08:00:00z', '2024-04-02T08:00:00.000Z'],
    ['2024-04-02 08:00:00+00:00', '2024-04-02T08:00:00.000Z'],
    ['2024-04-02T08:00:00.123456Z', '2024-04-02T08:00:00.123Z'],
    ['2024-04-02T08:00Z', '2024-04-02T08:00:00.000Z'],
    ['2024-04-02', '2024-04-02T00:00:00.000Z'],
    ['2024-04', '2024-04-01T00:00:00.000Z'],
    ['20240402T080000Z', '2024-04-02T08:00:00.000Z'],
    ['2024-12-31T23:59:60Z', '2024-12-31T23:59:59.999Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
  ])('%s -> %s', (raw, iso) => {
    expect(parseFeedDate(raw)?.iso).toBe(iso);
  });

  it('reads a date-time without a zone as UTC', () => {
    expect(parseFeedDate('2024-04-02T08:00:00')?.iso).toBe('2024-04-02T08:00:00.000Z');
  });
});

describe('parseFeedDate: unreadable dates keep their raw text and get no iso', () => {
  it.each([
    'Sat, 31 Feb 2024 10:00:00 GMT',
    'Thu, 29 Feb 2023 12:00:00 GMT',
    '2024-02-30',
    '2024-13-01T00:00:00Z',
    '2024-04-02T24:00:00Z',
    '2024-04-02T08:61:00Z',
    '05/03/2024',
    'last Tuesday',
    'Thu, 05 Sep 2024 12:00:00 Europe/Paris',
    'Thu, 05 Sep 2024 12:00:00 +2500',
    '1712044800',
  ])('%s', (raw) => {
    expect(parseFeedDate(raw)).toEqual({ raw });
  });

  it('returns undefined for no date at all', () => {
    expect(parseFeedDate(undefined)).toBeUndefined();
    expect(parseFeedDate('   ')).toBeUndefined();
  });
});
