// Small string helpers shared by the parser and the normalisers. Pure.

// XML 1.0 (section 2.2) allows tab, LF, CR and U+0020 upwards, minus the surrogate block and
// U+FFFE/U+FFFF. One such character makes a generated feed unreadable, so they never leave the core.
// Surrogates are removed only when unpaired: a proper pair encodes a legal character above U+FFFF.
const XML_ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripXmlIllegal(s: string): string {
  return s.replace(XML_ILLEGAL, '');
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

/** Illegal characters removed first, so that removing them never leaves a double space. */
export function collapseWhitespace(s: string): string {
  return stripXmlIllegal(s).replace(/\s+/g, ' ').trim();
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
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const t = v === undefined ? undefined : collapseWhitespace(v);
    if (!t) continue;
    const key = t.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}
