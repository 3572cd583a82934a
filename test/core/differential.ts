// The gate any fast path must pass before it replaces (or sits in front of) a kept library: run
// the library and the candidate over the same inputs (the feed corpus, generated fragments, links
// and dates) and require the same answer for every one. A fast path that declines some inputs and
// hands them to the library is tested as the whole composition (fast ?? library), as shipped.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** What a function did with one input: its value, or the class, code and message of what it threw. */
type Outcome = { value: unknown } | { threw: { name: string; code?: unknown; message: string } };

function outcome<I, O>(fn: (input: I) => O, input: I): Outcome {
  try {
    return { value: fn(input) };
  } catch (err) {
    const e = err as { name?: string; code?: unknown; message?: string };
    return { threw: { name: String(e?.name), code: e?.code, message: String(e?.message) } };
  }
}

/**
 * Fails unless `candidate` gives what `library` gives (deep, strict equality; throwing counts as an
 * answer, compared by name, code and message) for every input. Returns how many inputs were
 * compared; an empty set of inputs fails, since it would let anything through.
 */
export function expectSameAs<I, O>(library: (input: I) => O, candidate: (input: I) => O, inputs: Iterable<I>, describeInput: (input: I) => string = (i) => JSON.stringify(i) ?? String(i)): number {
  let compared = 0;
  for (const input of inputs) {
    const expected = outcome(library, input);
    const actual = outcome(candidate, input);
    expect(actual, `candidate differs from the library on ${describeInput(input).slice(0, 300)}`).toStrictEqual(expected);
    compared++;
  }
  expect(compared, 'the gate was given no inputs').toBeGreaterThan(0);
  return compared;
}

/** A repeatable pseudo-random number in [0, 1) per call, from `seed`. */
export function seededRandom(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
}

const pickWith = (random: () => number) => <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
/** The public feed corpus kept beside the project; absent from a fresh clone. */
export const CORPUS_DIR = resolve(REPO_ROOT, '../shared/corpus');

/** Every document of the corpus (path relative to it, bytes), or none when it is not there. */
export function corpusDocuments(): Array<{ path: string; bytes: Buffer }> {
  if (!existsSync(CORPUS_DIR)) return [];
  const out: Array<{ path: string; bytes: Buffer }> = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push({ path: p.slice(CORPUS_DIR.length + 1), bytes: readFileSync(p) });
    }
  };
  walk(CORPUS_DIR);
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

const HTML_PIECES = [
  'a', 'b c', ' ', '\n', '\r\n', '\t', '.', '>', '<', '"', "'", '=', '/', 'é', '\u00a0', '😀', '&amp;', '&lt;', '&gt;', '&quot;', '&apos;',
  '&nbsp;', '&#65;', '&#x263A;', '&#10;', '&#0;', '&#x80;', '&copy;', 'AT&T', '&amp', '<p>', '</p>', '<P>', '<b>', '</B>', '<strong>',
  '</strong>', '<em>', '</em>', '<a href="/x?a=1&amp;b=2">', '<a href=\'https://e.example/\' title="T &amp; U">', '<a href=unquoted>',
  '</a>', '<br>', '<br/>', '</br>', '<hr>', '<wbr>', '<img src="i.png">', '</img>', '<ul>', '</ul>', '<ol>', '<li>', '</li>', '<table>',
  '<tr>', '<td>', '<th>', '</td>', '</tr>', '</table>', '<tbody>', '<thead>', '<tfoot>', '<h1>', '</h1>', '<h3>', '</h3>', '<div>',
  '</div>', '<span class="c">', '</span>', '<blockquote>', '</blockquote>', '<pre>', '</pre>', '<code>', '</code>', '<dl>', '<dt>',
  '<dd>', '</dl>', '<sub>', '<sup>', '<td colspan="3">', '<p id="1" ID="2">', '<section>', '</section>', '<figure>', '<figcaption>',
  '</figure>', '<!-- c -->', '<script>x</script>', '<style>p{}</style>', '<svg><a href="x">y</a></svg>', '<![CDATA[x]]>', '<custom-el>',
];

/** `count` HTML fragments of the kind feed summaries hold, plain and broken, from a fixed seed. */
export function htmlFragments(count: number, seed = 20240601): string[] {
  const random = seededRandom(seed);
  const pick = pickWith(random);
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(random() * 16) }, () => pick(HTML_PIECES)).join(''));
}

const BASES = [
  undefined, '', 'https://www.example.org/feed', 'http://Example.ORG:8080/a/b?q#f', 'https://u:p@example.org/x', 'https://u@example.org/x',
  'ftp://example.org/x', 'file:///tmp/x', 'not a url', 'relative/path', 'https://xn--p1ai.example/', 'http://127.0.0.1/',
  'https://[::1]:8443/a', 'HTTPS://EXAMPLE.ORG', 'https://example.org:443/', 'https://caf\u00e9.example/menu', 'mailto:a@example.org',
];

/** `count` [href, base] pairs: plain, odd and broken links against usable and unusable bases, from a fixed seed. */
export function hrefCases(count: number, seed = 424242): Array<[string, string | undefined]> {
  const random = seededRandom(seed);
  const pick = pickWith(random);
  const pathChars = [...'abcXYZ019-._~!$&()*+,;=:@%/'];
  const odd = ['.', '..', '/./', '/../', '%2e', '%2E', '%zz', '//', '?', '#', 'xn--', "'", '^', '|', '[', ']', '`', '{', '}', '\\', ' ', '\t', '\u00e9', '\u0001'];
  const labels = ['a', 'ab', 'example', 'x-y', '-a', 'a-', '0', '12', '0x1f', 'xn--p1ai', 'b9', 'A', 'Ex', '\u00e9', 'a_b', ''];
  const run = (pool: string[], max: number) => Array.from({ length: Math.floor(random() * max) }, () => pick(pool)).join('');
  return Array.from({ length: count }, () => {
    const pool = random() < 0.7 ? pathChars : [...pathChars, ...odd];
    const host = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(labels)).join('.') + pick(['', '', '', '.', ':80', ':443', ':8080']);
    const tail = (random() < 0.4 ? `?${run([...pool, '?', '/'], 6)}` : '') + (random() < 0.3 ? `#${run([...pool, '?', '#'], 5)}` : '');
    const shape = random();
    const href =
      shape < 0.5 ? `${pick(['http', 'https', 'HTTP'])}://${host}${random() < 0.9 ? '/' : ''}${run(pool, 8)}${tail}` : shape < 0.85 ? `/${run(pool, 8)}${tail}` : `${run(odd, 3)}${run(pool, 8)}${tail}`;
    return [href, pick(BASES)];
  });
}

/**
 * `count` instants of years 1000-9999 (from a fixed seed), each with its RFC 3339 form
 * (Date#toISOString) and its RFC 1123 form (Date#toUTCString), the two shapes nearly every feed writes.
 */
export function feedInstants(count: number, seed = 31337): Array<{ ms: number; rfc3339: string; rfc1123: string }> {
  const random = seededRandom(seed);
  const min = Date.UTC(1000, 0, 1);
  const max = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
  return Array.from({ length: count }, () => {
    const date = new Date(Math.floor(min + random() * (max - min)));
    return { ms: date.getTime(), rfc3339: date.toISOString(), rfc1123: date.toUTCString() };
  });
}
