// The message catalogues: French and Spanish carry every English key (public site and portal alike),
// with the same placeholders, and the language is chosen from an explicit choice or Accept-Language.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueKeys, chooseLanguage, translator, type MessageKey } from '../../shared/i18n/index.ts';
// The portal's messages are checked with the rest.
import '../../shared/i18n/portal.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  const en = catalogueKeys('en') as MessageKey[];

  it('has English text for every part of the public site', () => {
    for (const prefix of ['site.', 'latest.', 'subscribe.', 'directory.']) expect(en.filter((k) => k.startsWith(prefix)).length).toBeGreaterThan(5);
  });

  // One check per area of the site, so that a gap names the catalogue it is in.
  const AREAS = { 'public site': ['site.', 'latest.', 'subscribe.', 'directory.'], portal: ['portal.', 'admin.', 'signin.'], mail: ['mail.'] };

  for (const lang of ['fr', 'es'] as const) {
    for (const [area, prefixes] of Object.entries(AREAS)) {
      it(`ships ${lang} with every English key of the ${area}`, () => {
        const own = new Set(catalogueKeys(lang));
        expect(en.filter((k) => prefixes.some((p) => k.startsWith(p)) && !own.has(k))).toEqual([]);
      });
    }

    it(`has no ${lang} key that English lacks, and no key outside the known areas`, () => {
      expect(catalogueKeys(lang).filter((k) => !(en as string[]).includes(k))).toEqual([]);
      const known = Object.values(AREAS).flat();
      expect(en.filter((k) => !known.some((p) => k.startsWith(p)))).toEqual([]);
    });

    it(`keeps the placeholders of each English message in ${lang}`, () => {
      const t = translator(lang);
      const tEn = translator('en');
      const wrong = en.filter((k) => JSON.stringify(placeholders(t(k))) !== JSON.stringify(placeholders(tEn(k))));
      expect(wrong).toEqual([]);
    });

    it(`translates rather than copies the English (${lang})`, () => {
      const t = translator(lang);
      const tEn = translator('en');
      // Names, format names and short labels may rightly be the same in both languages.
      const own = new Set(catalogueKeys(lang));
      const same = en.filter((k) => own.has(k) && t(k) === tEn(k) && !/^(?:ICAT|RSS|Atom|JSON|OPML|PDF|Secretariat|\{|Total|Digest)/.test(tEn(k)) && tEn(k).length > 12);
      expect(same.length / en.length).toBeLessThan(0.05);
    });
  }

  it('fills placeholders and falls back to the key for unknown messages', () => {
    expect(translator('en')('latest.pageOf', { page: 2, pages: 9 })).toBe('Page 2 of 9');
    expect(translator('fr')('latest.pageOf', { page: 2, pages: 9 })).toMatch(/2.*9/);
    // @ts-expect-error: a key the English catalogue lacks does not compile
    expect(translator('es')('no.such.key')).toBe('no.such.key');
  });
});

describe('plural messages', () => {
  it('picks the form Intl.PluralRules gives for the language', () => {
    expect(translator('en')('mail.count', { count: 1 })).toBe('1 new publication');
    expect(translator('en')('mail.count', { count: 0 })).toBe('0 new publications');
    // French counts 0 and 1 as singular; English does not.
    expect(translator('fr')('mail.count', { count: 0 })).toBe('0 nouvelle publication');
    expect(translator('fr')('mail.count', { count: 2 })).toBe('2 nouvelles publications');
    expect(translator('es')('mail.count', { count: 1 })).toBe('1 publicación nueva');
    expect(translator('es')('mail.count', { count: 3 })).toBe('3 publicaciones nuevas');
  });

  it('writes numbers as the language does', () => {
    expect(translator('en')('mail.count', { count: 1234 })).toBe('1,234 new publications');
    expect(translator('fr')('mail.count', { count: 1234 })).toBe('1\u202f234 nouvelles publications');
  });

  it('uses typographic apostrophes in French', () => {
    const t = translator('fr');
    expect(catalogueKeys('fr').filter((k) => t(k as MessageKey).includes("'"))).toEqual([]);
  });
});

describe('chooseLanguage', () => {
  it('prefers an explicit, supported choice', () => {
    expect(chooseLanguage('es', 'fr-FR,fr;q=0.9')).toBe('es');
    expect(chooseLanguage('de', 'fr-FR,fr;q=0.9')).toBe('fr');
  });

  it('reads Accept-Language by weight, and falls back to English', () => {
    expect(chooseLanguage(undefined, 'de-DE,de;q=0.9,es;q=0.8,fr;q=0.7')).toBe('es');
    expect(chooseLanguage(undefined, 'fr;q=0.2, en;q=0.5')).toBe('en');
    expect(chooseLanguage(undefined, 'de, it')).toBe('en');
    expect(chooseLanguage(undefined, undefined)).toBe('en');
    expect(chooseLanguage(undefined, '*')).toBe('en');
  });
});

describe('the portal\'s messages, loaded with the signed-in pages only', () => {
  it('are imported by every module that uses one of their keys', () => {
    const root = join(import.meta.dirname, '../../shared');
    const sources = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.startsWith('i18n/'));
    const using = sources.filter((f) => /['`](?:portal|admin|signin)\.[a-zA-Z]/.test(readFileSync(join(root, f), 'utf8')));
    expect(using.length).toBeGreaterThan(10);
    const missing = using.filter((f) => !/import '[./]+i18n\/portal\.ts';/.test(readFileSync(join(root, f), 'utf8')));
    expect(missing).toEqual([]);
  });
});
