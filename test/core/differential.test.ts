// The differential gate (differential.ts) itself, and the paths that run through it today.
import { isUtf8 } from 'node:buffer';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../shared/core/decode.ts';
import { parseFeedDate } from '../../shared/core/dates.ts';
import { resolveUrl } from '../../shared/core/links.ts';
import { corpusDocuments, expectSameAs, feedInstants, hrefCases, htmlFragments } from './differential.ts';

/** The WHATWG URL parser's answer for an href against a base. */
function byUrlClass([href, base]: [string, string | undefined]): string | undefined {
  const h = href.trim();
  if (!h) return undefined;
  try {
    return new URL(h, base || undefined).href;
  } catch {
    return undefined;
  }
}

/** htmlparser2's events for a fragment, as the sanitiser reads them (text joined across pieces). */
function htmlEvents(html: string): string[] {
  const events: string[] = [];
  const parser = new Parser(
    {
      onopentag: (name, attribs) => void events.push(`<${name} ${JSON.stringify(attribs)}>`),
      onclosetag: (name) => void events.push(`</${name}>`),
      ontext: (data) => {
        if (events.length > 0 && events[events.length - 1]!.startsWith('"')) events[events.length - 1] += data;
        else events.push(`"${data}`);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return events;
}

describe('expectSameAs', () => {
  it('passes a library checked against itself, over each family of generated inputs', () => {
    expect(expectSameAs(htmlEvents, htmlEvents, htmlFragments(2000))).toBe(2000);
    expect(expectSameAs(byUrlClass, byUrlClass, hrefCases(2000))).toBe(2000);
    expect(expectSameAs((d: { rfc1123: string }) => Date.parse(d.rfc1123), (d) => Date.parse(d.rfc1123), feedInstants(2000))).toBe(2000);
  });

  it('counts throwing as an answer: the same error passes', () => {
    const strict = (s: string) => JSON.parse(s) as unknown;
    expect(expectSameAs(strict, strict, ['{}', '{', '[1]'])).toBe(3);
  });

  it('fails a candidate that is wrong on a few inputs only, naming one', () => {
    // A resolver that joins root-relative links to the base's origin as text: right for plain
    // links, wrong for dot segments, percent-encoding and unusable bases.
    const naive = ([href, base]: [string, string | undefined]) => {
      if (base && href.startsWith('/') && !href.startsWith('//')) {
        try {
          return new URL(base).origin + href;
        } catch {
          return undefined;
        }
      }
      return byUrlClass([href, base]);
    };
    expect(() => expectSameAs(byUrlClass, naive, hrefCases(2000))).toThrow(/candidate differs from the library on/);
  });

  it('fails an HTML reader that forgets one rule of the library (an implied </p>)', () => {
    const noImpliedClose = (html: string) => htmlEvents(html.replace(/<(ul|div|table|h1)>/gi, '</p><$1>')).filter((e, i, all) => !(e === '</p>' && all[i - 1] === '</p>'));
    expect(() => expectSameAs(htmlEvents, noImpliedClose, htmlFragments(2000))).toThrow(/candidate differs/);
  });

  it('fails a candidate that throws where the library answers', () => {
    expect(() => expectSameAs((s: string) => s.length, (s) => (s === 'b' ? JSON.parse(s) : s.length), ['a', 'b'])).toThrow(/on "b"/);
  });

  it('fails when given no inputs', () => {
    expect(() => expectSameAs((s: string) => s, (s) => s, [])).toThrow(/no inputs/);
  });
});

describe('paths held to their library by the gate', () => {
  it('links: resolveUrl gives what the WHATWG URL parser gives, however often it is called', () => {
    expectSameAs(byUrlClass, ([href, base]) => resolveUrl(href, base), hrefCases(20_000));
    // URL.canParse, once optimised, wrongly rejects URLs with Latin-1 characters on Node 20.
    const latin1 = Array.from({ length: 50_000 }, (_, n): [string, string] => [`/p/${n % 7}`, 'https://caf\u00e9.example/menu']);
    expectSameAs(byUrlClass, ([href, base]) => resolveUrl(href, base), latin1);
  });

  it('dates: the explicit RFC 3339 and RFC 1123 readings give the instant Date gives for these well-defined shapes', () => {
    const instants = feedInstants(10_000);
    const iso = (ms: number) => new Date(ms).toISOString();
    expectSameAs((d) => iso(Date.parse(d.rfc3339)), (d) => parseFeedDate(d.rfc3339)?.iso, instants, (d) => d.rfc3339);
    expectSameAs((d) => iso(Date.parse(d.rfc1123)), (d) => parseFeedDate(d.rfc1123)?.iso, instants, (d) => d.rfc1123);
  });

  it('decoding: valid UTF-8 read by Buffer gives what a strict TextDecoder gives, over the corpus', (ctx) => {
    const docs = corpusDocuments().filter((d) => isUtf8(d.bytes) && d.bytes[0] !== 0xef && decodeBody(d.bytes).encoding === 'utf-8');
    if (docs.length === 0) ctx.skip(); // no corpus beside a fresh clone
    const strict = new TextDecoder('utf-8', { fatal: true });
    expect(expectSameAs((d) => strict.decode(d.bytes), (d) => decodeBody(d.bytes).text, docs, (d) => d.path)).toBeGreaterThan(1000);
  });
});
