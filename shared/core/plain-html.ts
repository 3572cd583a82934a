// A reader for the plain HTML that most feed summaries are made of (paragraphs, emphasis, links,
// lists, simple entities), giving the same events htmlparser2 gives for it, several times faster.
// Anything outside that subset (comments, raw-text elements, unquoted attributes, most entities,
// a '<' that does not open a known tag...) makes it give up, and the caller runs htmlparser2.
// The element rules below follow htmlparser2 12's Parser (openImpliesClose, void elements, the
// implied <p> of a stray </p>); test/core/plain-html.test.ts holds the two to the same events.

export interface HtmlHandler {
  onopentag(name: string, attribs: Record<string, string>): void;
  onclosetag(name: string): void;
  ontext(data: string): void;
}

// Elements read here: none starts a raw-text or foreign (SVG, MathML) context or has form rules.
const KNOWN_NAMES = [
  'p', 'br', 'a', 'em', 'strong', 'b', 'i', 'u', 's', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'abbr', 'sub', 'sup', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th',
  'td', 'span', 'div', 'img', 'hr', 'small', 'big', 'cite', 'q', 'dl', 'dd', 'dt', 'figure', 'figcaption',
  'section', 'article', 'header', 'footer', 'font', 'center', 'strike', 'del', 'ins', 'mark', 'time', 'caption',
  'wbr', 'nav', 'aside', 'main', 'address', 'kbd', 'samp', 'var', 'dfn', 'tt',
];
// Tag names are looked up by a number computed from their characters, case-insensitively, which
// gives the lower-case name without cutting it out of the text and lower-casing it. Names of up to
// 10 letters and digits fit: 37^10 is below 2^53.
const NAME_KEY_MAX = 10;
const KNOWN = new Map(KNOWN_NAMES.map((name) => [nameKey(name, 0, name.length), name]));

/** The lookup number of the name text[from, to) (ASCII letters and digits). */
function nameKey(text: string, from: number, to: number): number {
  let key = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    key = key * 37 + (c >= 97 ? c - 96 : c >= 65 ? c - 64 : c - 48 + 27);
  }
  return key;
}
// The attributes of a tag without any: handlers only read them.
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;
const VOID = new Set(['br', 'hr', 'img', 'wbr']);
const P = new Set(['p']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p']);
const DD_DT = new Set(['dd', 'dt']);
const TABLE_SECTIONS = new Set(['thead', 'tbody']);
// Opening the key closes open elements of the set, innermost first (htmlparser2's openImpliesClose
// restricted to the known elements).
const OPEN_IMPLIES_CLOSE = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])], ['th', new Set(['th'])], ['td', new Set(['thead', 'th', 'td'])],
  ['a', new Set(['a'])], ['li', new Set(['li'])], ['p', P],
  ['h1', HEADINGS], ['h2', HEADINGS], ['h3', HEADINGS], ['h4', HEADINGS], ['h5', HEADINGS], ['h6', HEADINGS],
  ['dd', DD_DT], ['dt', DD_DT], ['tbody', TABLE_SECTIONS], ['tfoot', TABLE_SECTIONS],
  ...['address', 'article', 'aside', 'blockquote', 'div', 'dl', 'figcaption', 'figure', 'footer', 'header', 'hr', 'main',
    'nav', 'ol', 'pre', 'section', 'table', 'ul'].map((k): [string, Set<string>] => [k, P]),
]);

// Character references decoded here: these named ones and numeric ones for ordinary characters
// (no NUL, C0/C1 controls, surrogates or non-characters, which HTML replaces or remaps).
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const REFERENCE = /&(?:(amp|lt|gt|quot|apos|nbsp)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));/y;
const ATTR_NAME = /[a-zA-Z_:][-a-zA-Z0-9_:.]*/y;

function isAsciiAlpha(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isAsciiAlphanumeric(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 12 || c === 13;
}

function ordinary(code: number): boolean {
  return (code >= 0x20 && code <= 0x7e) || code === 9 || code === 10 || code === 13 || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfdcf) || (code >= 0xfdf0 && code <= 0xfffd);
}

/** The character of the reference at `at` (an '&'), with where it ends; undefined when not read here. */
function reference(html: string, at: number): { char: string; end: number } | undefined {
  REFERENCE.lastIndex = at;
  const m = REFERENCE.exec(html);
  if (!m) return undefined;
  if (m[1] !== undefined) return { char: NAMED[m[1]] as string, end: REFERENCE.lastIndex };
  const code = m[2] !== undefined ? Number(m[2]) : parseInt(m[3] as string, 16);
  return ordinary(code) ? { char: String.fromCharCode(code), end: REFERENCE.lastIndex } : undefined;
}

/** Text from `from` up to `to` with its references decoded, or undefined. `amp`: the first '&' at or after `from`. */
function decoded(html: string, from: number, to: number, amp: number): string | undefined {
  if (amp >= to) return html.slice(from, to);
  let out = '';
  let p = from;
  for (; amp >= 0 && amp < to; amp = html.indexOf('&', p)) {
    const ref = reference(html, amp);
    if (!ref || ref.end > to) return undefined;
    out += html.slice(p, amp) + ref.char;
    p = ref.end;
  }
  return out + html.slice(p, to);
}

/** An element starts: the elements it implicitly closes end first; a void element ends at once. */
function open(name: string, attribs: Record<string, string>, stack: string[], handler: HtmlHandler): void {
  const closes = OPEN_IMPLIES_CLOSE.get(name);
  if (closes) while (stack.length > 0 && closes.has(stack[stack.length - 1] as string)) handler.onclosetag(stack.pop() as string);
  const isVoid = VOID.has(name);
  if (!isVoid) stack.push(name);
  handler.onopentag(name, attribs);
  if (isVoid) handler.onclosetag(name);
}

/**
 * Calls `handler` as an htmlparser2 Parser (decodeEntities, lower-case names) would for `html`
 * and returns true; or returns false as soon as `html` leaves the subset read here, in which
 * case the handler has seen part of the events and is to be discarded.
 */
export function readPlainHtml(html: string, handler: HtmlHandler): boolean {
  const stack: string[] = [];
  // The first '&' not yet passed (html.length when there is none left).
  let amp = -1;
  let p = 0;
  while (p < html.length) {
    if (amp < p) {
      amp = html.indexOf('&', p);
      if (amp < 0) amp = html.length;
    }
    const lt = html.indexOf('<', p);
    const end = lt < 0 ? html.length : lt;
    if (end > p) {
      const text = decoded(html, p, end, amp);
      if (text === undefined) return false;
      handler.ontext(text);
    }
    if (lt < 0) break;
    const closing = html.charCodeAt(lt + 1) === 47; // '/'
    const nameStart = closing ? lt + 2 : lt + 1;
    let q = nameStart;
    if (!isAsciiAlpha(html.charCodeAt(q))) return false;
    while (isAsciiAlphanumeric(html.charCodeAt(q))) q++;
    const name = q - nameStart <= NAME_KEY_MAX ? KNOWN.get(nameKey(html, nameStart, q)) : undefined;
    if (name === undefined) return false;
    if (closing) {
      while (isSpace(html.charCodeAt(q))) q++;
      if (html.charCodeAt(q) !== 62) return false; // '>'
      if (!VOID.has(name)) {
        const at = stack.lastIndexOf(name);
        if (at >= 0) while (stack.length > at) handler.onclosetag(stack.pop() as string);
        else if (name === 'p') {
          open('p', NO_ATTRIBUTES, stack, handler);
          handler.onclosetag(stack.pop() as string);
        }
      } else if (name === 'br') {
        handler.onopentag('br', NO_ATTRIBUTES);
        handler.onclosetag('br');
      }
      p = q + 1;
      continue;
    }
    let attribs = NO_ATTRIBUTES;
    for (;;) {
      const spaced = isSpace(html.charCodeAt(q));
      while (isSpace(html.charCodeAt(q))) q++;
      const c = html.charCodeAt(q);
      if (c === 62 || (c === 47 && html.charCodeAt(q + 1) === 62)) break; // '>' or '/>'
      ATTR_NAME.lastIndex = q;
      if (!spaced || !ATTR_NAME.test(html)) return false;
      const attr = html.slice(q, ATTR_NAME.lastIndex).toLowerCase();
      q = ATTR_NAME.lastIndex;
      const quote = html.charCodeAt(q + 1);
      if (html.charCodeAt(q) !== 61 || (quote !== 34 && quote !== 39)) return false; // '=' then '"' or "'"
      const close = html.indexOf(quote === 34 ? '"' : "'", q + 2);
      if (close < 0) return false;
      const lt2 = html.indexOf('<', q + 2);
      if (lt2 >= 0 && lt2 < close) return false;
      if (amp < q + 2) {
        amp = html.indexOf('&', q + 2);
        if (amp < 0) amp = html.length;
      }
      const value = decoded(html, q + 2, close, amp);
      if (value === undefined) return false;
      // The first of repeated attributes counts, as in htmlparser2 (which also assigns this way).
      if (attribs === NO_ATTRIBUTES) attribs = {};
      if (!Object.hasOwn(attribs, attr)) attribs[attr] = value;
      q = close + 1;
    }
    open(name, attribs, stack, handler);
    p = html.charCodeAt(q) === 62 ? q + 1 : q + 2;
  }
  for (let k = stack.length - 1; k >= 0; k--) handler.onclosetag(stack[k] as string);
  return true;
}
