import { describe, expect, it } from 'vitest';
import { maskAddress, normaliseAddress } from '../../shared/alerts/address.ts';
import { matches, parseChoice } from '../../shared/alerts/filters.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { AlertFilters, AlertPublication } from '../../shared/ports/subscriptions.ts';

const pub = (over: Partial<AlertPublication> = {}): AlertPublication => ({
  id: 'p1',
  title: 'Global Report on Trafficking in Persons 2026',
  summary: 'Child trafficking and forced labour across 141 countries.',
  members: ['unodc', 'iom'],
  categories: ['Research', 'Données'],
  language: 'en-GB',
  enclosures: [],
  firstSeen: '2026-11-02T09:00:00.000Z',
  ...over,
});
const filters = (over: Partial<AlertFilters> = {}): AlertFilters => ({ members: [], categories: [], languages: [], keywords: [], ...over });

describe('addresses', () => {
  it('normalises case, surrounding space and international domains', () => {
    expect(normaliseAddress('  Reader.Name+alerts@Example.ORG ')).toBe('reader.name+alerts@example.org');
    expect(normaliseAddress('anna@bücher.example')).toBe('anna@xn--bcher-kva.example');
    expect(normaliseAddress('x@example.org.')).toBe('x@example.org');
  });

  it('refuses what is not a mailbox people subscribe with', () => {
    for (const bad of ['', 'plain', '@example.org', 'a@', 'a@localhost', 'a@127.0.0.1', 'a@[127.0.0.1]', '"quoted"@example.org', 'a..b@example.org', '.a@example.org', 'a b@example.org', 'a@exa_mple.org', 'a@-x.org', `${'a'.repeat(65)}@example.org`, 'a@example.org\r\nBcc: x@example.org', 42, null]) {
      expect(() => normaliseAddress(bad), String(bad)).toThrow(ValidationError);
    }
  });

  it('masks addresses for people', () => {
    expect(maskAddress('reader@example.org')).toBe('r***@e***.org');
    expect(maskAddress('x@localhost')).toBe('x***@l***');
  });
});

describe('subscription choices', () => {
  const known = new Set(['unodc', 'iom', 'ilo']);

  it('reads lists from JSON or comma-separated text, trimmed and without repeats', () => {
    expect(parseChoice({ members: ['UNODC', 'iom', 'iom'], categories: ' Research ,Guidance,,', languages: 'EN, fr', keywords: ['forced labour'], frequency: 'daily' }, known)).toEqual({
      filters: { members: ['unodc', 'iom'], categories: ['Research', 'Guidance'], languages: ['en', 'fr'], keywords: ['forced labour'] },
      frequency: 'daily',
    });
    expect(parseChoice({ frequency: 'instant' }, known).filters).toEqual(filters());
  });

  it('lists every problem at once, and refuses unknown members', () => {
    try {
      parseChoice({ members: ['unodc', 'nobody'], languages: ['english'], keywords: ['a'], categories: 5, frequency: 'hourly' }, known);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      const problems = (err as ValidationError).details!.problems as string[];
      expect(problems).toHaveLength(5);
      expect(problems.join('\n')).toMatch(/unknown member "nobody"/);
    }
  });
});

describe('matching', () => {
  it('takes everything when no filter is set', () => {
    expect(matches(pub(), filters())).toBe(true);
  });

  it('matches any credited member', () => {
    expect(matches(pub(), filters({ members: ['iom'] }))).toBe(true);
    expect(matches(pub(), filters({ members: ['ilo'] }))).toBe(false);
  });

  it('compares categories without case or accents', () => {
    expect(matches(pub(), filters({ categories: ['research'] }))).toBe(true);
    expect(matches(pub(), filters({ categories: ['donnees'] }))).toBe(true);
    expect(matches(pub(), filters({ categories: ['Guidance'] }))).toBe(false);
  });

  it('matches a language and its regional forms, and does not exclude an unstated language', () => {
    expect(matches(pub(), filters({ languages: ['en'] }))).toBe(true);
    expect(matches(pub({ language: 'en' }), filters({ languages: ['en-gb'] }))).toBe(false);
    expect(matches(pub(), filters({ languages: ['fr'] }))).toBe(false);
    expect(matches(pub({ language: undefined }), filters({ languages: ['fr'] }))).toBe(true);
  });

  it('finds keywords where words begin, in title, summary and categories', () => {
    expect(matches(pub(), filters({ keywords: ['traffick'] }))).toBe(true);
    expect(matches(pub(), filters({ keywords: ['Forced Labour'] }))).toBe(true);
    expect(matches(pub(), filters({ keywords: ['donnees'] }))).toBe(true);
    expect(matches(pub(), filters({ keywords: ['abour'] }))).toBe(false);
    expect(matches(pub(), filters({ keywords: ['smuggling', 'child'] }))).toBe(true);
  });

  it('needs every filter to match', () => {
    expect(matches(pub(), filters({ members: ['unodc'], categories: ['Research'], languages: ['en'], keywords: ['report'] }))).toBe(true);
    expect(matches(pub(), filters({ members: ['unodc'], keywords: ['smuggling'] }))).toBe(false);
  });
});
