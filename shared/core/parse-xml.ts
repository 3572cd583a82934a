// A well-formedness check run before the feed library, which is lenient by design: it reads a
// bare "&" or a missing end tag without complaint and quietly returns a partial feed. A member
// is better served by "line 12: '&' must be written '&amp;'" than by items that vanish.
// The check also reports the root element (and its children's start tags), which decides the format.
//
// Deliberately tolerated: references to entities XML does not define (&nbsp;, &eacute;), because
// feeds use HTML's names everywhere and the feed library decodes them.
import { doctypeEnd, isReference, lineCol, nameEnd, sameName, skipSpace } from './xml-lexis.ts';

export interface StartTag {
  name: string;
  attrs: Record<string, string>;
}

export interface XmlScan {
  root?: StartTag;
  /** Start tags of the root's direct children, in order (for RSS: <channel>). */
  children: StartTag[];
  doctype?: string;
  /** General entities the DOCTYPE's internal subset declares (<!ENTITY name ...>), by name. */
  entities: string[];
  /** Index just after the DOCTYPE declaration (0 when there is none). */
  doctypeEnd: number;
  /**
   * Where the feed's items lie: <item> or <entry> elements that are children or grandchildren of the
   * root (RSS: rss > channel > item; RSS 1.0 and Atom: root > item/entry), as pairs of offsets (start
   * of the start tag, end of the end tag), in document order. Lets a long feed be read in parts.
   */
  items: number[];
  /** Why the document is not well-formed, in plain words with line and column. */
  error?: string;
}

// The scan walks forward over one text; these remember where the next '&' and '<' are, so that
// finding them costs one pass over the document however many text runs and attributes there are.
let nextAmp = -1;
let nextLt = -1;

/** Index of the first '&' at or after `from` (text.length when there is none). */
function ampFrom(text: string, from: number): number {
  if (nextAmp < from) {
    const at = text.indexOf('&', from);
    nextAmp = at < 0 ? text.length : at;
  }
  return nextAmp;
}

/** Index of the first '<' at or after `from` (text.length when there is none). */
function ltFrom(text: string, from: number): number {
  if (nextLt < from) {
    const at = text.indexOf('<', from);
    nextLt = at < 0 ? text.length : at;
  }
  return nextLt;
}

/** Index of the first '&' in [from, to) that does not start a reference, or -1. */
function badAmp(text: string, from: number, to: number): number {
  for (let a = ampFrom(text, from); a < to; a = ampFrom(text, a + 1)) if (!isReference(text, a + 1)) return a;
  return -1;
}

export function scanXml(text: string): XmlScan {
  nextAmp = -1;
  nextLt = -1;
  openItemDepth = -1;
  const scan: XmlScan = { children: [], entities: [], doctypeEnd: 0, items: [] };
  // Open elements, as pairs of (start, end) offsets of their names in the text.
  const stack: number[] = [];
  let i = 0;
  const fail = (at: number, why: string): XmlScan => ({ ...scan, error: `${why} (line ${lineCol(text, at)})` });

  while (i < text.length) {
    const lt = ltFrom(text, i);
    if (lt > i) {
      if (stack.length === 0) {
        const chunk = text.slice(i, lt);
        if (chunk.trim() !== '') return fail(i + chunk.search(/\S/), 'there is text outside the main element');
      } else {
        const bad = badAmp(text, i, lt);
        if (bad >= 0) return fail(bad, "an '&' is not written as '&amp;'");
      }
    }
    if (lt >= text.length) break;
    const next = text.charCodeAt(lt + 1);
    if (next === 33 /* ! */ && text.startsWith('--', lt + 2)) {
      const close = text.indexOf('-->', lt + 4);
      if (close < 0) return fail(lt, 'a comment is never closed');
      i = close + 3;
    } else if (next === 33 && text.startsWith('[CDATA[', lt + 2)) {
      const close = text.indexOf(']]>', lt + 9);
      if (close < 0) return fail(lt, 'a CDATA section is never closed');
      if (stack.length === 0) return fail(lt, 'there is text outside the main element');
      i = close + 3;
    } else if (next === 63 /* ? */) {
      const close = text.indexOf('?>', lt + 2);
      if (close < 0) return fail(lt, 'a processing instruction is never closed');
      i = close + 2;
    } else if (next === 33) {
      if (scan.root) return fail(lt, 'a declaration appears inside the document');
      const close = doctypeEnd(text, lt);
      if (close < 0) return fail(lt, 'the DOCTYPE declaration is never closed');
      const declaration = text.slice(lt, close);
      scan.doctype = /^<!DOCTYPE\s+([^\s>[]+)/i.exec(declaration)?.[1];
      for (const m of declaration.matchAll(/<!ENTITY\s+([^\s%>]+)/g)) scan.entities.push(m[1] as string);
      i = close + 1;
      scan.doctypeEnd = i;
    } else if (next === 47 /* / */) {
      const end = nameEnd(text, lt + 2);
      if (end < 0) return fail(lt, "a '<' is not the start of a tag (write '&lt;' for a literal '<')");
      const gt = skipSpace(text, end);
      const depth = stack.length / 2;
      const matches = depth > 0 && sameName(text, stack[stack.length - 2] as number, stack[stack.length - 1] as number, lt + 2, end);
      if (text.charCodeAt(gt) !== 62 /* > */) return fail(lt, `the end tag </${text.slice(lt + 2, end)}> is not closed with '>'`);
      if (!matches) {
        const name = text.slice(lt + 2, end);
        const open = depth > 0 ? text.slice(stack[stack.length - 2], stack[stack.length - 1]) : undefined;
        return fail(lt, open ? `the end tag </${name}> does not match the open element <${open}>` : `the end tag </${name}> has no start tag`);
      }
      stack.pop();
      stack.pop();
      i = gt + 1;
      if (scan.items.length % 2 === 1 && stack.length === openItemDepth) scan.items.push(i);
    } else {
      // Attributes are kept only where the caller looks at them: the root and its children.
      const keep = !scan.root || stack.length === 2;
      const end = readStartTag(text, lt, keep);
      if (typeof end === 'string') return fail(lt, end);
      if (stack.length === 0 && scan.root) return fail(lt, 'there is more than one main element');
      if (keep) {
        const start: StartTag = { name: text.slice(lt + 1, tagNameEnd), attrs: tagAttrs };
        if (!scan.root) scan.root = start;
        else scan.children.push(start);
      }
      if ((stack.length === 2 || stack.length === 4) && scan.items.length % 2 === 0 && isItemName(text, lt + 1, tagNameEnd)) {
        scan.items.push(lt);
        if (tagSelfClosing) scan.items.push(end);
        else openItemDepth = stack.length;
      }
      if (!tagSelfClosing) stack.push(lt + 1, tagNameEnd);
      i = end;
    }
  }
  if (!scan.root) return { ...scan, error: 'the document has no elements' };
  if (stack.length) return fail(text.length, `the document ends before <${text.slice(stack[stack.length - 2], stack[stack.length - 1])}> is closed (it may be cut short)`);
  return scan;
}

// Depth (stack length) at which the item being read was opened.
let openItemDepth = -1;

/** True when text[start, end) is a name whose local part is "item" or "entry". */
function isItemName(text: string, start: number, end: number): boolean {
  let from = end;
  while (from > start && text.charCodeAt(from - 1) !== 58 /* : */) from--;
  const length = end - from;
  return (length === 4 && text.startsWith('item', from)) || (length === 5 && text.startsWith('entry', from));
}

const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;
// What readStartTag read besides where the tag ends, kept here rather than in an object per tag.
let tagNameEnd = 0;
let tagAttrs = NO_ATTRS;
let tagSelfClosing = false;

/** Reads the start tag at `lt`: returns the index after it, or why it is malformed. */
function readStartTag(text: string, lt: number, keepAttrs: boolean): number | string {
  const end = nameEnd(text, lt + 1);
  if (end < 0) return "a '<' is not the start of a tag (write '&lt;' for a literal '<')";
  const attrs: Record<string, string> = keepAttrs ? {} : NO_ATTRS;
  tagNameEnd = end;
  tagAttrs = attrs;
  let p = end;
  for (;;) {
    const after = skipSpace(text, p);
    const hadSpace = after > p;
    p = after;
    const c = text.charCodeAt(p);
    if (c === 62 /* > */) {
      tagSelfClosing = false;
      return p + 1;
    }
    if (c === 47 /* / */ && text.charCodeAt(p + 1) === 62) {
      tagSelfClosing = true;
      return p + 2;
    }
    if (p >= text.length) return `the start tag <${text.slice(lt + 1, end)}> is never closed`;
    const attrEnd = nameEnd(text, p);
    if (attrEnd < 0 || !hadSpace) return `the start tag <${text.slice(lt + 1, end)}> is malformed`;
    p = skipSpace(text, attrEnd);
    if (text.charCodeAt(p) !== 61 /* = */) return `the attribute '${text.slice(after, attrEnd)}' of <${text.slice(lt + 1, end)}> has no value`;
    p = skipSpace(text, p + 1);
    const quote = text.charCodeAt(p);
    if (quote !== 34 && quote !== 39) return `the value of the attribute '${text.slice(after, attrEnd)}' of <${text.slice(lt + 1, end)}> is not in quotes`;
    const close = text.indexOf(quote === 34 ? '"' : "'", p + 1);
    if (close < 0) return `the value of the attribute '${text.slice(after, attrEnd)}' of <${text.slice(lt + 1, end)}> is never closed`;
    if (ltFrom(text, p + 1) < close) return `the value of the attribute '${text.slice(after, attrEnd)}' of <${text.slice(lt + 1, end)}> contains '<'`;
    if (badAmp(text, p + 1, close) >= 0) return `the value of the attribute '${text.slice(after, attrEnd)}' of <${text.slice(lt + 1, end)}> has an '&' not written as '&amp;'`;
    if (keepAttrs) attrs[text.slice(after, attrEnd)] = text.slice(p + 1, close);
    p = close + 1;
  }
}

/** The local part of a possibly prefixed XML name ("rdf:RDF" -> "RDF"). */
export function localName(name: string): string {
  return name.slice(name.lastIndexOf(':') + 1);
}
