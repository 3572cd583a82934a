import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { charsetOf, decodeBody } from '../../shared/core/decode.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url));

describe('decodeBody', () => {
  it('reads undeclared windows-1252 bytes (curly quotes, euro) as windows-1252, not as C1 controls', () => {
    const { text, encoding } = decodeBody(fixture('windows-1252-undeclared.xml'));
    expect(encoding).toBe('windows-1252');
    expect(text).toContain('“Quoted” prices in €');
    expect(text).toContain('It’s €5 – cheap.');
    expect(text).not.toMatch(/[\u0080-\u009f]/);
  });

  it('reads a declared ISO-8859-1 document as windows-1252', () => {
    const { text, encoding } = decodeBody(fixture('iso-8859-1-declared.xml'));
    expect(encoding).toBe('windows-1252');
    expect(text).toContain('Résumé des travaux');
    expect(text).toContain('L’été à Genève');
  });

  it('honours a UTF-8 byte order mark and drops it', () => {
    const { text, encoding } = decodeBody(fixture('utf8-bom.atom'), 'application/atom+xml; charset=iso-8859-1');
    expect(encoding).toBe('utf-8');
    expect(text.startsWith('<?xml')).toBe(true);
    expect(text).toContain('Naïve café — ok');
  });

  it.each([
    ['utf16le-bom.xml', 'utf-16le'],
    ['utf16be-bom.xml', 'utf-16be'],
  ])('decodes %s by its byte order mark', (name, expected) => {
    const { text, encoding } = decodeBody(fixture(name));
    expect(encoding).toBe(expected);
    expect(text.startsWith('<?xml')).toBe(true);
    expect(text).toContain('<title>日本語 été</title>');
    expect(text).toContain('Étude № 7 — 🌍');
  });

  it('detects UTF-16 without a byte order mark from the zero bytes around "<"', () => {
    const body = Buffer.from('<?xml version="1.0"?><rss><channel><title>Ωmega</title></channel></rss>', 'utf16le');
    const { text, encoding } = decodeBody(body);
    expect(encoding).toBe('utf-16le');
    expect(text).toContain('Ωmega');
  });

  it('lets the HTTP charset override the XML declaration', () => {
    const bytes = fixture('charset-override.xml');
    const withHeader = decodeBody(bytes, 'application/rss+xml; charset=windows-1251');
    expect(withHeader.encoding).toBe('windows-1251');
    expect(withHeader.text).toContain('Новости «кафе» № 5');
    // Without the header the declaration (ISO-8859-1) is followed, and the Cyrillic is lost.
    const withoutHeader = decodeBody(bytes);
    expect(withoutHeader.encoding).toBe('windows-1252');
    expect(withoutHeader.text).not.toContain('Новости');
  });

  it('reads quoted charset labels and ISO-8859-1 / us-ascii labels as windows-1252', () => {
    const bytes = Buffer.from([0x3c, 0x61, 0x3e, 0x93, 0x80, 0x94, 0x3c, 0x2f, 0x61, 0x3e]);
    expect(decodeBody(bytes, 'text/xml; charset="ISO-8859-1"').text).toBe('<a>“€”</a>');
    expect(decodeBody(bytes, "text/xml; charset='us-ascii'").text).toBe('<a>“€”</a>');
    expect(decodeBody(bytes, 'text/xml;charset=latin1').encoding).toBe('windows-1252');
  });

  it('falls back sensibly when the charset label is unknown', () => {
    const utf8 = Buffer.from('<a>Grüße</a>', 'utf8');
    expect(decodeBody(utf8, 'text/xml; charset=x-no-such-charset')).toEqual({ text: '<a>Grüße</a>', encoding: 'utf-8' });
    const declared = Buffer.from('<?xml version="1.0" encoding="bogus-8"?><a>Grüße</a>', 'utf8');
    expect(decodeBody(declared).encoding).toBe('utf-8');
  });

  it('ignores a UTF-16 label on a document whose bytes are plainly single-byte', () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="utf-16"?><a>plain</a>', 'latin1');
    expect(decodeBody(bytes).text).toContain('<a>plain</a>');
    expect(decodeBody(bytes, 'text/xml; charset=utf-16').text).toContain('<a>plain</a>');
  });

  it('treats windows-1252 bytes under a UTF-8 declaration as windows-1252', () => {
    const { text, encoding } = decodeBody(fixture('utf8-declared-windows-1252.xml'));
    expect(encoding).toBe('windows-1252');
    expect(text).toContain('Naïve “pricing” €');
  });

  it('keeps UTF-8 with one stray byte as UTF-8 (the stray byte becomes U+FFFD)', () => {
    const bytes = Buffer.concat([Buffer.from('<a>Ça coûte 5 € ', 'utf8'), Buffer.from([0xff]), Buffer.from(' fin</a>', 'utf8')]);
    const { text, encoding } = decodeBody(bytes);
    expect(encoding).toBe('utf-8');
    expect(text).toBe('<a>Ça coûte 5 € \uFFFD fin</a>');
  });

  it('uses a declared legacy encoding (ISO-8859-7)', () => {
    const bytes = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="iso-8859-7"?><a>'), Buffer.from([0xe1, 0xe2, 0xe3]), Buffer.from('</a>')]);
    expect(decodeBody(bytes).text).toContain('<a>αβγ</a>');
  });
});

describe('decodeBody on valid UTF-8', () => {
  it('gives exactly the text TextDecoder gives', () => {
    const docs = ['<a>plain</a>', '<a>caf\u00e9 \u20ac \u{1F600} \u4e2d</a>', '<a>\ufeff inside</a>', ' \ufeff<a/>', '<a>\u0000\u0001</a>', ''];
    for (const doc of docs) {
      const bytes = Buffer.from(doc, 'utf8');
      for (const contentType of [undefined, 'text/xml; charset=utf-8']) {
        expect(decodeBody(bytes, contentType)).toEqual({ text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8' });
      }
    }
  });
});

describe('charsetOf', () => {
  it('extracts the charset parameter', () => {
    expect(charsetOf('application/rss+xml; charset=UTF-8')).toBe('utf-8');
    expect(charsetOf('text/xml; foo=bar; charset="koi8-r"')).toBe('koi8-r');
    expect(charsetOf('text/xml')).toBeUndefined();
    expect(charsetOf(undefined)).toBeUndefined();
  });
});
