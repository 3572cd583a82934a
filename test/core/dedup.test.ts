import { describe, expect, it } from 'vitest';
import { contentHash, planIngest, sortDate, toPublication } from '../../shared/core/dedup.ts';
import type { NormalisedItem } from '../../shared/model.ts';

const item = (over: Partial<NormalisedItem> = {}): NormalisedItem => ({
  id: 'p1',
  title: 'Report',
  link: 'https://example.org/r',
  published: { raw: 'Mon, 02 Nov 2026 09:00:00 GMT', iso: '2026-11-02T09:00:00.000Z' },
  authors: [],
  categories: ['Research'],
  enclosures: [],
  ...over,
});
const feedA = { id: 'fa', memberId: 'unodc' };
const feedB = { id: 'fb', memberId: 'iom' };
const now = '2026-11-10T00:00:00.000Z';

describe('planIngest', () => {
  it('creates what is not stored, credited to the feed\'s member', () => {
    const plan = planIngest(feedA, [item()], new Map(), now);
    expect(plan.create).toHaveLength(1);
    expect(plan.create[0]).toMatchObject({ id: 'p1', members: ['unodc'], feeds: ['fa'], firstSeen: now, sortDate: '2026-11-02T09:00:00.000Z' });
    expect(plan.changes).toEqual([]);
  });

  it('leaves an unchanged publication alone', () => {
    const stored = toPublication(item(), feedA, '2026-11-03T00:00:00.000Z');
    const plan = planIngest(feedA, [item()], new Map([['p1', stored]]), now);
    expect(plan).toEqual({ create: [], changes: [], unchanged: 1 });
  });

  it('credits a second member carrying the same publication (joint papers)', () => {
    const stored = toPublication(item(), feedA, '2026-11-03T00:00:00.000Z');
    const plan = planIngest(feedB, [item()], new Map([['p1', stored]]), now);
    expect(plan.changes).toEqual([{ id: 'p1', credit: { memberId: 'iom', feedId: 'fb' } }]);
  });

  it('records an edit at the source, keeping the first-seen clamp', () => {
    const stored = toPublication(item(), feedA, '2026-11-03T00:00:00.000Z');
    const edited = item({ title: 'Report (revised)', published: { raw: '2030-01-01T00:00:00Z', iso: '2030-01-01T00:00:00.000Z' } });
    const plan = planIngest(feedA, [edited], new Map([['p1', stored]]), now);
    expect(plan.changes[0]!.content).toMatchObject({ title: 'Report (revised)', sortDate: '2026-11-03T00:00:00.000Z', contentHash: contentHash(edited) });
    expect(plan.changes[0]!.credit).toBeUndefined();
  });

  it('keeps an unparseable date raw and sorts on first-seen', () => {
    const p = toPublication(item({ published: { raw: 'sometime in spring' } }), feedA, now);
    expect(p.published).toBeUndefined();
    expect(p.publishedRaw).toBe('sometime in spring');
    expect(p.sortDate).toBe(now);
  });
});

describe('sortDate', () => {
  it('clamps future dates to first-seen', () => {
    expect(sortDate('2099-01-01T00:00:00.000Z', now)).toBe(now);
    expect(sortDate('2020-01-01T00:00:00.000Z', now)).toBe('2020-01-01T00:00:00.000Z');
    expect(sortDate(undefined, now)).toBe(now);
  });
});
