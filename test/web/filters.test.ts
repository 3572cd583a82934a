// The filters of the latest-publications page and of filtered feeds, and the in-memory index they run
// on: validation, canonical query strings, matching, paging, and when the index reloads.
import { describe, expect, it } from 'vitest';
import type { Publication } from '../../shared/model.ts';
import { filterQuery, indexPublication, matcher, parseFilters } from '../../shared/app/publication-filters.ts';
import { buildSnapshot, firstMatches, PublicationIndex, queryPage } from '../../shared/app/publication-index.ts';
import { samplePublication } from '../helpers/publications.ts';

const q = (s: string) => new URLSearchParams(s);

function pub(over: Partial<Publication>): Publication {
  return { ...samplePublication(1, new Date('2026-11-02T09:00:00Z')), ...over };
}

describe('parseFilters', () => {
  it('reads every filter, trimmed, and drops empty ones', () => {
    const { filters, problems } = parseFilters(q('member=UNODC&category=+Research+&language=FR&q=forced++labour&from=2026-01-01&to=2026-12-31&page=2&lang=es'), new Set(['unodc']));
    expect(problems).toEqual([]);
    expect(filters).toEqual({ member: 'unodc', category: 'Research', language: 'fr', q: 'forced labour', from: '2026-01-01', to: '2026-12-31' });
    expect(parseFilters(q('member=&q=+++&category=')).filters).toEqual({});
  });

  it('names each field that is wrong', () => {
    const { problems } = parseFilters(q(`member=no%20such&language=english!&from=2026-02-31&to=02/03/2026&q=${'x'.repeat(201)}&category=${'c'.repeat(101)}`));
    expect(problems).toEqual([
      { field: 'member', code: 'invalid_member' },
      { field: 'category', code: 'too_long' },
      { field: 'language', code: 'invalid_language' },
      { field: 'q', code: 'too_long' },
      { field: 'from', code: 'invalid_date' },
      { field: 'to', code: 'invalid_date' },
    ]);
  });

  it('refuses an unknown member when the members are known, and dates in the wrong order', () => {
    expect(parseFilters(q('member=nobody'), new Set(['unodc'])).problems).toEqual([{ field: 'member', code: 'unknown_member' }]);
    expect(parseFilters(q('from=2026-05-02&to=2026-05-01')).problems).toEqual([{ field: 'to', code: 'date_order' }]);
    expect(parseFilters(q('from=2026-05-01&to=2026-05-01')).problems).toEqual([]);
  });

  it('writes the same view as the same query string whatever the order it came in', () => {
    const a = parseFilters(q('to=2026-12-31&q=child&member=iom')).filters;
    const b = parseFilters(q('member=iom&q=child&to=2026-12-31')).filters;
    expect(filterQuery(a)).toBe('member=iom&q=child&to=2026-12-31');
    expect(filterQuery(b, { page: 3, limit: undefined })).toBe('member=iom&q=child&to=2026-12-31&page=3');
    expect(filterQuery({ q: 'a&b=c' })).toBe('q=a%26b%3Dc');
  });
});

describe('matcher', () => {
  const entry = indexPublication(
    pub({ title: 'Travail forcé et traite des êtres humains', text: 'Rapport mondial', categories: ['Recherche', 'Data'], language: 'fr-CH', members: ['ilo', 'unodc'], sortDate: '2026-03-15T10:00:00.000Z' }),
  );
  const m = (f: Parameters<typeof matcher>[0]) => matcher(f)(entry);

  it('finds words by their beginning, without case or accents, all words required', () => {
    expect(m({ q: 'forcé' })).toBe(true);
    expect(m({ q: 'FORCE' })).toBe(true);
    expect(m({ q: 'trait etres' })).toBe(true);
    expect(m({ q: 'mondial' })).toBe(true);
    expect(m({ q: 'recherche' })).toBe(true);
    expect(m({ q: 'orcé' })).toBe(false);
    expect(m({ q: 'forcé enfants' })).toBe(false);
  });

  it('matches a credited member, a category without case, a language and its regional forms', () => {
    expect(m({ member: 'unodc' })).toBe(true);
    expect(m({ member: 'iom' })).toBe(false);
    expect(m({ category: 'data' })).toBe(true);
    expect(m({ category: 'dat' })).toBe(false);
    expect(m({ language: 'fr' })).toBe(true);
    expect(m({ language: 'fr-ch' })).toBe(true);
    expect(m({ language: 'f' })).toBe(false);
    expect(matcher({ language: 'fr' })(indexPublication(pub({ language: undefined })))).toBe(false);
  });

  it('takes both ends of a date range as whole days', () => {
    expect(m({ from: '2026-03-15', to: '2026-03-15' })).toBe(true);
    expect(m({ from: '2026-03-16' })).toBe(false);
    expect(m({ to: '2026-03-14' })).toBe(false);
  });
});

describe('the publication index', () => {
  const newest = new Date('2026-11-20T12:00:00Z');
  const all = Array.from({ length: 95 }, (_, i) => samplePublication(i, newest));
  const snapshot = buildSnapshot(all, 0);

  it('pages newest first and clamps the page number', () => {
    const first = queryPage(snapshot, {}, 1, 20);
    expect(first).toMatchObject({ total: 95, page: 1, pages: 5 });
    expect(first.items.map((p) => p.id)).toEqual(all.slice(0, 20).map((p) => p.id));
    expect(queryPage(snapshot, {}, 5, 20).items).toHaveLength(15);
    expect(queryPage(snapshot, {}, 99, 20).page).toBe(5);
    expect(queryPage(snapshot, { q: 'nothing-like-this' }, 3, 20)).toMatchObject({ total: 0, page: 1, pages: 1, items: [] });
  });

  it('filters before paging, and feeds take the first matches', () => {
    const unodc = all.filter((p) => p.members.includes('unodc'));
    expect(queryPage(snapshot, { member: 'unodc' }, 1, 20).total).toBe(unodc.length);
    expect(firstMatches(snapshot, { member: 'unodc' }, 3).map((p) => p.id)).toEqual(unodc.slice(0, 3).map((p) => p.id));
  });

  it('counts categories (most used first), languages and members', () => {
    expect(snapshot.categories[0]!.count).toBeGreaterThanOrEqual(snapshot.categories.at(-1)!.count);
    expect(snapshot.languages).toContain('fr-ch');
    expect(snapshot.memberCounts.get('unodc')).toBe(all.filter((p) => p.members.includes('unodc')).length);
  });

  it('loads once, reloads for the next reader after a change, and serves a copy past its TTL while loading the next', async () => {
    let loads = 0;
    let now = 1_000_000;
    let items = all.slice(0, 2);
    const index = new PublicationIndex(async () => {
      loads += 1;
      return items;
    }, { ttlSeconds: 60, clock: () => now });
    expect((await index.snapshot()).entries).toHaveLength(2);
    await index.snapshot();
    expect(loads).toBe(1);

    items = all.slice(0, 3);
    index.invalidate();
    expect((await index.snapshot()).entries).toHaveLength(3);
    expect(loads).toBe(2);

    items = all.slice(0, 4);
    now += 61_000;
    // Past the TTL: this reader gets the copy it has, and the next one the fresh load.
    expect((await index.snapshot()).entries).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect((await index.snapshot()).entries).toHaveLength(4);
    expect(loads).toBe(3);
  });

  it('loads again when a change is announced during a load', async () => {
    let loads = 0;
    let index: PublicationIndex;
    index = new PublicationIndex(async () => {
      loads += 1;
      if (loads === 1) index.invalidate();
      return all.slice(0, loads);
    });
    expect((await index.snapshot()).entries).toHaveLength(2);
    expect(loads).toBe(2);
  });
});
