import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_OUTLINES, readOpml, renderOpml } from '../../shared/core/opml-document.ts';
import { ValidationError } from '../../shared/errors.ts';
import { assertWellFormedXml } from '../helpers/feed-validators.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/opml/${name}`, import.meta.url), 'utf8');

function refusal(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('reading OPML', () => {
  it('takes every outline with an xmlUrl, folders flattened, in document order, entities decoded', () => {
    expect(readOpml(fixture('member-feeds.opml'))).toEqual([
      { xmlUrl: 'https://www.example.org/news.xml', title: 'News & statements' },
      { xmlUrl: 'https://www.example.org/reports.atom', title: 'Reports' },
      { xmlUrl: 'https://www.example.org/briefs/europe.json?lang=en&format=json', title: 'Briefs: Europe' },
      // Duplicates and bad schemes are the importer's business: the reader reports what is written.
      { xmlUrl: 'https://www.example.org/news.xml', title: 'News again' },
      { xmlUrl: 'ftp://ftp.example.org/feed.xml', title: 'An old address' },
    ]);
  });

  it('reads OPML 1.0 with attribute names in any case', () => {
    expect(readOpml(fixture('opml1.opml'))).toEqual([{ xmlUrl: 'http://feeds.example.org/cafe.rss', title: 'Café news' }]);
  });

  it('refuses what is not OPML', () => {
    for (const body of [fixture('not-opml.xml'), '', 'just text', '{"opml": true}', '<html><body>hi</body></html>']) {
      expect(refusal(() => readOpml(body)).code).toBe('invalid_opml');
    }
  });

  it('refuses nesting deeper than the parser follows, without a stack overflow', () => {
    const depth = 5000;
    const xml = `<opml version="2.0"><body>${'<outline text="f">'.repeat(depth)}<outline text="x" xmlUrl="https://e.org/f"/>${'</outline>'.repeat(depth)}</body></opml>`;
    expect(refusal(() => readOpml(xml)).code).toBe('invalid_opml');
  });

  it(`refuses more than ${MAX_IMPORT_OUTLINES} feeds, saying how many there were`, () => {
    const outlines = (n: number) => Array.from({ length: n }, (_, i) => `<outline text="f${i}" xmlUrl="https://e.org/${i}.xml"/>`).join('');
    expect(readOpml(`<opml version="2.0"><body><outline text="folder">${outlines(MAX_IMPORT_OUTLINES)}</outline></body></opml>`)).toHaveLength(MAX_IMPORT_OUTLINES);
    const err = refusal(() => readOpml(`<opml version="2.0"><body>${outlines(MAX_IMPORT_OUTLINES + 1)}</body></opml>`));
    expect(err.code).toBe('too_many_outlines');
    expect(err.details).toEqual({ max: MAX_IMPORT_OUTLINES, found: MAX_IMPORT_OUTLINES + 1 });
  });

  it('does not expand entities declared in the document', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<opml version="2.0"><body><outline text="&b;" xmlUrl="https://e.org/f.xml"/></body></opml>`;
    expect(readOpml(xml)).toEqual([{ xmlUrl: 'https://e.org/f.xml', title: '&b;' }]);
  });
});

describe('writing OPML', () => {
  const hostile = 'A <b>bold</b> & "quoted" ]]> title\u0001\uFFFE';

  it('writes well-formed OPML 2.0 whatever the titles hold, and reads back the same', () => {
    const xml = renderOpml({
      title: `Feeds of ${hostile}`,
      dateCreated: new Date('2026-11-02T09:00:00Z'),
      ownerName: hostile,
      feeds: [{ title: hostile, xmlUrl: 'https://e.org/a.xml?x=1&y=2', htmlUrl: 'https://e.org/', language: 'en' }],
      folders: [{ title: `Folder ${hostile}`, feeds: [{ title: 'B', xmlUrl: 'http://e.org/b.atom' }] }],
    });
    assertWellFormedXml(xml);
    expect(xml).toContain('<opml version="2.0">');
    expect(xml).toContain('<dateCreated>Mon, 02 Nov 2026 09:00:00 GMT</dateCreated>');
    expect(xml).not.toMatch(/[\u0001\uFFFE]/);
    expect(readOpml(xml)).toEqual([
      { xmlUrl: 'https://e.org/a.xml?x=1&y=2', title: 'A <b>bold</b> & "quoted" ]]> title' },
      { xmlUrl: 'http://e.org/b.atom', title: 'B' },
    ]);
  });

  it('leaves out addresses a reader should not follow, and folders left empty', () => {
    const xml = renderOpml({
      title: 'T',
      feeds: [{ title: 'script', xmlUrl: 'javascript:alert(1)' }, { title: 'file', xmlUrl: 'file:///etc/passwd' }, { title: 'ok', xmlUrl: 'https://e.org/ok.xml', htmlUrl: 'javascript:x' }],
      folders: [{ title: 'Empty', feeds: [{ title: 'data', xmlUrl: 'data:text/xml,<rss/>' }] }],
    });
    assertWellFormedXml(xml);
    expect(xml).not.toMatch(/javascript|file:|data:|Empty/);
    expect(readOpml(xml)).toEqual([{ xmlUrl: 'https://e.org/ok.xml', title: 'ok' }]);
  });

  it('writes a valid document, with a note in place of feeds, when there are none', () => {
    const xml = renderOpml({ title: 'Nothing yet' });
    assertWellFormedXml(xml);
    expect(xml).toContain('<outline text="No feeds yet."/>');
    expect(readOpml(xml)).toEqual([]);
  });
});
