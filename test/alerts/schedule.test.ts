import { describe, expect, it } from 'vitest';
import { digestItems, groupByMember, latestDigestTime, nextDigestTime } from '../../shared/alerts/delivery-schedule.ts';
import type { AlertPublication, LoggedAnnouncement } from '../../shared/ports/subscriptions.ts';

const d = (iso: string) => new Date(iso);
const pub = (id: string, member: string, published: string | undefined, firstSeen = '2026-11-05T12:00:00.000Z'): AlertPublication => ({
  id, title: id, members: [member], categories: [], enclosures: [], firstSeen, ...(published ? { published } : {}),
});

describe('digest times', () => {
  it('daily digests fall at 07:00 UTC', () => {
    expect(latestDigestTime('daily', d('2026-11-04T06:59:59Z')).toISOString()).toBe('2026-11-03T07:00:00.000Z');
    expect(latestDigestTime('daily', d('2026-11-04T07:00:00Z')).toISOString()).toBe('2026-11-04T07:00:00.000Z');
    expect(nextDigestTime('daily', d('2026-11-04T07:00:00Z')).toISOString()).toBe('2026-11-05T07:00:00.000Z');
    expect(nextDigestTime('daily', d('2026-11-04T06:00:00Z')).toISOString()).toBe('2026-11-04T07:00:00.000Z');
    expect(nextDigestTime('daily', d('2026-12-31T23:00:00Z')).toISOString()).toBe('2027-01-01T07:00:00.000Z');
  });

  it('weekly digests fall on Mondays at 07:00 UTC', () => {
    // 2 November 2026 is a Monday.
    expect(latestDigestTime('weekly', d('2026-11-02T06:59:00Z')).toISOString()).toBe('2026-10-26T07:00:00.000Z');
    expect(latestDigestTime('weekly', d('2026-11-02T07:00:00Z')).toISOString()).toBe('2026-11-02T07:00:00.000Z');
    expect(latestDigestTime('weekly', d('2026-11-08T23:59:00Z')).toISOString()).toBe('2026-11-02T07:00:00.000Z');
    expect(nextDigestTime('weekly', d('2026-11-04T10:00:00Z')).toISOString()).toBe('2026-11-09T07:00:00.000Z');
    expect(nextDigestTime('weekly', d('2026-11-09T07:00:00Z')).toISOString()).toBe('2026-11-16T07:00:00.000Z');
  });
});

describe('digest contents', () => {
  const logged = (publication: AlertPublication, loggedAt: string): LoggedAnnouncement => ({ publication, loggedAt });

  it('takes what was logged in [previous digest, this digest), once each, filtered', () => {
    const items = [
      logged(pub('before', 'unodc', undefined), '2026-11-03T06:59:59.999Z'),
      logged(pub('first', 'unodc', undefined), '2026-11-03T07:00:00.000Z'),
      logged(pub('twice', 'unodc', undefined), '2026-11-03T12:00:00.000Z'),
      logged(pub('twice', 'unodc', undefined), '2026-11-04T00:00:01.000Z'),
      logged(pub('other', 'iom', undefined), '2026-11-03T13:00:00.000Z'),
      logged(pub('at-the-end', 'unodc', undefined), '2026-11-04T07:00:00.000Z'),
    ];
    const got = digestItems(items, '2026-11-03T07:00:00.000Z', '2026-11-04T07:00:00.000Z', (p) => p.members.includes('unodc'));
    expect(got.map((p) => p.id)).toEqual(['first', 'twice']);
  });

  it('reaches back at most 35 days', () => {
    const items = [logged(pub('old', 'unodc', undefined), '2026-09-01T00:00:00.000Z'), logged(pub('recent', 'unodc', undefined), '2026-10-20T00:00:00.000Z')];
    expect(digestItems(items, '2026-01-01T00:00:00.000Z', '2026-11-04T07:00:00.000Z', () => true).map((p) => p.id)).toEqual(['recent']);
  });

  it('groups by member, newest first inside a group and across groups', () => {
    const groups = groupByMember([
      pub('u-old', 'unodc', '2026-11-01T09:00:00.000Z'),
      pub('i-new', 'iom', '2026-11-04T09:00:00.000Z'),
      pub('u-new', 'unodc', '2026-11-03T09:00:00.000Z'),
      // A date in the future sorts as the day the hub first saw it.
      pub('u-future', 'unodc', '2027-01-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z'),
      pub('ilo-undated', 'ilo', undefined, '2026-11-02T12:00:00.000Z'),
    ]);
    expect(groups.map((g) => [g.memberId, g.items.map((p) => p.id)])).toEqual([
      ['iom', ['i-new']],
      ['unodc', ['u-new', 'u-future', 'u-old']],
      ['ilo', ['ilo-undated']],
    ]);
  });
});
