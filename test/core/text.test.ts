// The string helpers' shortcuts (skipping work when a first test finds nothing to do) must give
// what the plain definitions give.
import { describe, expect, it } from 'vitest';
import { collapseWhitespace, personName, stripXmlIllegal, stripXmlIllegalDeep, stripXmlIllegalInPlace, uniqueStrings } from '../../shared/core/text.ts';

const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const PIECES = ['a', 'B', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2028', '\ufeff', '\u3000', '\u0000', '\u0001', '\u000b', '\u001f', '\ufffe', '\uffff', '\ud83d\ude00', '\ud83d', '\ude00', 'é', 'x y'];

function generated(count: number): string[] {
  let seed = 777;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(random() * 10) }, () => PIECES[Math.floor(random() * PIECES.length)]).join(''));
}

describe('stripXmlIllegal and collapseWhitespace', () => {
  it('match their definitions on generated text', () => {
    for (const s of generated(20_000)) {
      expect(stripXmlIllegal(s)).toBe(s.replace(ILLEGAL, ''));
      expect(collapseWhitespace(s)).toBe(s.replace(ILLEGAL, '').replace(/\s+/g, ' ').trim());
    }
  });

  it('keep characters above U+FFFF (a proper surrogate pair) and drop halves of one', () => {
    expect(stripXmlIllegal('a\ud83d\ude00b\ud83dc\ude00')).toBe('a\ud83d\ude00bc');
  });
});

describe('stripXmlIllegalInPlace', () => {
  it('gives what stripXmlIllegalDeep gives, in the same objects', () => {
    const make = () => ({ a: 'x\u0001y', b: ['ok', 'z\uffff', { c: '\ud800d', n: 3, t: true, u: null }], e: { f: [['g\u0008']] } });
    const value = make();
    const inner = value.b;
    expect(stripXmlIllegalInPlace(value)).toBe(value);
    expect(value).toStrictEqual(stripXmlIllegalDeep(make()));
    expect(value.b).toBe(inner);
  });

  it('touches own properties only', () => {
    const proto = { inherited: 'p\u0001' };
    const value = Object.assign(Object.create(proto) as Record<string, string>, { own: 'o\u0001' });
    stripXmlIllegalInPlace(value);
    expect(Object.keys(value)).toEqual(['own']);
    expect(value.own).toBe('o');
    expect(proto.inherited).toBe('p\u0001');
  });
});

describe('uniqueStrings', () => {
  it('keeps the first spelling of each value, case-insensitively, for short and long lists', () => {
    const reference = (values: (string | undefined)[]) => {
      const seen = new Set<string>();
      return values.flatMap((v) => {
        const t = v === undefined ? '' : collapseWhitespace(v);
        if (!t || seen.has(t.toLowerCase())) return [];
        seen.add(t.toLowerCase());
        return [t];
      });
    };
    let seed = 99;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 0; n < 2000; n++) {
      const pool = Array.from({ length: 1 + Math.floor(random() * 40) }, (_, k) => `Tag ${k}`);
      const values = Array.from({ length: Math.floor(random() * 60) }, () => {
        const r = random();
        const v = pool[Math.floor(random() * pool.length)] as string;
        return r < 0.05 ? undefined : r < 0.1 ? '  ' : r < 0.4 ? v.toUpperCase() : r < 0.6 ? ` ${v}  ` : v;
      });
      expect(uniqueStrings(values)).toEqual(reference(values));
    }
  });
});

describe('personName', () => {
  it.each([
    ['Danish Refugee Council', 'Danish Refugee Council'],
    ['jo@example.org (Jo Bloggs)', 'Jo Bloggs'],
    ['Ann Example <ann@example.org>', 'Ann Example'],
    ['mailto:desk@example.org', undefined],
    ['desk@example.org', undefined],
    ['"Press Office" <press@example.org>', 'Press Office'],
    ['  Office   of the   High Commissioner ', 'Office of the High Commissioner'],
    ['', undefined],
    [undefined, undefined],
  ])('%s -> %s', (raw, name) => {
    expect(personName(raw)).toBe(name);
  });
});
