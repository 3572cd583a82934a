// Small string helpers shared by the parser and the normalisers. Pure.

// XML 1.0 (section 2.2) allows tab, LF, CR and U+0020 upwards, minus the surrogate block and
// U+FFFE/U+FFFF. One such character makes a generated feed unreadable, so they never leave the core.
// Surrogates are removed only when unpaired: a proper pair encodes a legal character above U+FFFF.
const XML_ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Every character XML_ILLEGAL can match, without the lookarounds: a cheap first test, since
// almost no text holds any of them.
const MAYBE_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function stripXmlIllegal(s: string): string {
  return MAYBE_ILLEGAL.test(s) ? s.replace(XML_ILLEGAL, '') : s;
}

/** Applies stripXmlIllegal to every string inside plain data (objects, arrays), returning a copy. */
export function stripXmlIllegalDeep<T>(value: T): T {
  if (typeof value === 'string') return stripXmlIllegal(value) as T;
  if (Array.isArray(value)) return value.map((v) => stripXmlIllegalDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = stripXmlIllegalDeep(v);
    return out as T;
  }
  return value;
}

/**
 * stripXmlIllegalDeep without the copy: changes the strings inside `value` where they need it.
 * For data the caller has just built and nobody else holds, where copying is pure garbage.
 */
export function stripXmlIllegalInPlace<T>(value: T): T {
  if (typeof value === 'string') return stripXmlIllegal(value) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = stripXmlIllegalInPlace(value[i]);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // for-in rather than Object.keys, which allocates an array per object; own properties only.
    for (const k in record) {
      const v = record[k];
      if (typeof v === 'string') {
        if (MAYBE_ILLEGAL.test(v) && Object.hasOwn(record, k)) record[k] = v.replace(XML_ILLEGAL, '');
      } else if (v !== null && typeof v === 'object' && Object.hasOwn(record, k)) stripXmlIllegalInPlace(v);
    }
  }
  return value;
}

// Whitespace that collapsing would change: anything but a lone U+0020.
const UNCOLLAPSED = /[^\S ]|\s\s/;

/** Illegal characters removed first, so that removing them never leaves a double space. */
export function collapseWhitespace(s: string): string {
  const legal = stripXmlIllegal(s);
  return (UNCOLLAPSED.test(legal) ? legal.replace(/\s+/g, ' ') : legal).trim();
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Cuts `s` to at most about `max` characters, at a word boundary when one is reasonably near,
 * and marks the cut with an ellipsis. Text that already fits is returned unchanged.
 */
export function truncateAtWord(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max);
  const space = cut.lastIndexOf(' ');
  // A word boundary in the last fifth keeps the cut natural; otherwise (one very long word) cut hard.
  if (space > max * 0.8) cut = cut.slice(0, space);
  // Never end on half of a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.replace(/[\s.,;:!?-]+$/, '')}…`;
}

/** Non-empty trimmed string, or undefined. */
export function nonEmpty(s: string | undefined | null): string | undefined {
  if (typeof s !== 'string') return undefined;
  const t = s.trim();
  return t === '' ? undefined : t;
}

/** Removes duplicates, comparing case-insensitively and keeping the first spelling. */
export function uniqueStrings(values: Iterable<string | undefined>): string[] {
  // Lists here are short (an item's authors or categories): a scan of the keys so far is cheaper
  // than a Set, up to a point.
  const keys: string[] = [];
  let seen: Set<string> | undefined;
  const out: string[] = [];
  for (const v of values) {
    const t = v === undefined ? undefined : collapseWhitespace(v);
    if (!t) continue;
    const key = t.toLowerCase();
    if (seen ? seen.has(key) : keys.includes(key)) continue;
    if (seen) seen.add(key);
    else if (keys.push(key) > 16) seen = new Set(keys);
    out.push(t);
  }
  return out;
}

// An e-mail address, with or without "mailto:", as feeds write them in author fields
// ("jo@example.org (Jo Bloggs)", "Ann <ann@example.org>").
const EMAIL = /(?:mailto:)?[^\s<>()[\]@,;:"]+@[^\s<>()[\]@,;:"]+/gi;

/**
 * The name of a person or organisation from an author field, without any e-mail address: the hub
 * republishes authors, and addresses are personal data. An address alone gives undefined.
 */
export function personName(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const name = collapseWhitespace(raw.includes('@') ? raw.replace(EMAIL, ' ').replace(/<\s*>|\(\s*\)|\[\s*\]/g, ' ') : raw)
    .replace(/^[\s,;:<>"'-]+|[\s,;:<>"'-]+$/g, '')
    .replace(/^\((.*)\)$/, '$1')
    .trim();
  return name === '' ? undefined : name;
}
