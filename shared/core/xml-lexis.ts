// The character-level reading behind the well-formedness scanner (parse-xml.ts): names, spaces,
// references and positions, one character code at a time rather than with regular expressions
// (which allocate a match per tag; a feed has tens of thousands of tags). Pure.

// XML names as read here: /[A-Za-z_:\u00C0-\uFFFF][\w.:\-\u00B7\u00C0-\uFFFF]*/ (by UTF-16 code
// unit), tested one character code at a time. ASCII codes: 1 may start a name, 2 may follow.
const NAME_ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  NAME_ASCII[c] = /[A-Za-z_:]/.test(ch) ? 1 : /[\w.:-]/.test(ch) ? 2 : 0;
}
const UNICODE_SPACE = /\s/;

/**
 * True when a character or entity reference follows an '&' at `p - 1`, as the expression
 * /(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_:][\w.:-]*);/ would find, tested code by code.
 */
export function isReference(text: string, p: number): boolean {
  let q = p;
  if (text.charCodeAt(q) === 35 /* # */) {
    q++;
    const hex = text.charCodeAt(q) === 120; /* x */
    if (hex) q++;
    const digits = q;
    for (let c = text.charCodeAt(q); hex ? isHexDigit(c) : c >= 48 && c <= 57; c = text.charCodeAt(++q));
    return q > digits && text.charCodeAt(q) === 59; /* ; */
  }
  const first = text.charCodeAt(q);
  if (!(first < 128 && NAME_ASCII[first] === 1)) return false;
  for (let c = text.charCodeAt(++q); c < 128 && NAME_ASCII[c] !== 0; c = text.charCodeAt(++q));
  return text.charCodeAt(q) === 59; /* ; */
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Skips what the regular expression \s* would match. */
export function skipSpace(text: string, p: number): number {
  for (;;) {
    const c = text.charCodeAt(p);
    if (c === 32 || (c >= 9 && c <= 13) || (c >= 0xa0 && UNICODE_SPACE.test(text[p] as string))) p++;
    else return p;
  }
}

/** End of the XML name starting at `p`, or -1 when none starts there. */
export function nameEnd(text: string, p: number): number {
  const first = text.charCodeAt(p);
  if (!(first < 128 ? NAME_ASCII[first] === 1 : first >= 0xc0)) return -1;
  for (let q = p + 1; ; q++) {
    const c = text.charCodeAt(q);
    if (!(c < 128 ? NAME_ASCII[c] !== 0 : c >= 0xc0 || c === 0xb7)) return q;
  }
}

/** True when text[a, aEnd) and text[b, bEnd) hold the same name. */
export function sameName(text: string, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let k = 0; k < aEnd - a; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

/** Index of the '>' that ends a DOCTYPE, skipping an internal subset in [...] and quoted strings. */
export function doctypeEnd(text: string, lt: number): number {
  let inSubset = false;
  let quote: string | undefined;
  for (let p = lt + 2; p < text.length; p++) {
    const c = text[p];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') inSubset = true;
    else if (c === ']') inSubset = false;
    else if (c === '>' && !inSubset) return p;
  }
  return -1;
}

/** "line L, column C" of the character at `at` (both counted from 1), for messages. */
export function lineCol(text: string, at: number): string {
  let line = 1;
  let lastNl = -1;
  for (let p = text.indexOf('\n'); p >= 0 && p < at; p = text.indexOf('\n', p + 1)) {
    line++;
    lastNl = p;
  }
  return `${line}, column ${at - lastNl}`;
}
