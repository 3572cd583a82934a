// A well-formedness check run before the feed library, which is lenient by design: it reads a
// bare "&" or a missing end tag without complaint and quietly returns a partial feed. A member
// is better served by "line 12: '&' must be written '&amp;'" than by items that vanish.
// The check also reports the root element (and its children's start tags), which decides the format.
//
// Deliberately tolerated: references to entities XML does not define (&nbsp;, &eacute;), because
// feeds use HTML's names everywhere and the feed library decodes them.

export interface StartTag {
  name: string;
  attrs: Record<string, string>;
}

export interface XmlScan {
  root?: StartTag;
  /** Start tags of the root's direct children, in order (for RSS: <channel>). */
  children: StartTag[];
  doctype?: string;
  /** Why the document is not well-formed, in plain words with line and column. */
  error?: string;
}

const NAME = /[A-Za-z_:\u00C0-\uFFFF][\w.:\-\u00B7\u00C0-\uFFFF]*/y;
const SPACE = /\s*/y;
const BAD_AMP = /&(?!(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_:][\w.:-]*);)/g;

export function scanXml(text: string): XmlScan {
  const scan: XmlScan = { children: [] };
  const stack: string[] = [];
  let i = 0;
  const fail = (at: number, why: string): XmlScan => ({ ...scan, error: `${why} (line ${lineCol(text, at)})` });

  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const end = lt < 0 ? text.length : lt;
    if (end > i) {
      const chunk = text.slice(i, end);
      if (stack.length === 0) {
        if (chunk.trim() !== '') return fail(i + chunk.search(/\S/), 'there is text outside the main element');
      } else {
        BAD_AMP.lastIndex = 0;
        const bad = BAD_AMP.exec(chunk);
        if (bad) return fail(i + bad.index, "an '&' is not written as '&amp;'");
      }
    }
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      if (close < 0) return fail(lt, 'a comment is never closed');
      i = close + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const close = text.indexOf(']]>', lt + 9);
      if (close < 0) return fail(lt, 'a CDATA section is never closed');
      if (stack.length === 0) return fail(lt, 'there is text outside the main element');
      i = close + 3;
    } else if (text.startsWith('<?', lt)) {
      const close = text.indexOf('?>', lt + 2);
      if (close < 0) return fail(lt, 'a processing instruction is never closed');
      i = close + 2;
    } else if (text.startsWith('<!', lt)) {
      if (scan.root) return fail(lt, 'a declaration appears inside the document');
      const close = doctypeEnd(text, lt);
      if (close < 0) return fail(lt, 'the DOCTYPE declaration is never closed');
      scan.doctype = /^<!DOCTYPE\s+([^\s>[]+)/i.exec(text.slice(lt, close))?.[1];
      i = close + 1;
    } else if (text.startsWith('</', lt)) {
      NAME.lastIndex = lt + 2;
      const name = NAME.exec(text)?.[0];
      if (!name) return fail(lt, "a '<' is not the start of a tag (write '&lt;' for a literal '<')");
      SPACE.lastIndex = lt + 2 + name.length;
      SPACE.exec(text);
      if (text[SPACE.lastIndex] !== '>') return fail(lt, `the end tag </${name}> is not closed with '>'`);
      const open = stack.pop();
      if (open !== name) {
        return fail(lt, open ? `the end tag </${name}> does not match the open element <${open}>` : `the end tag </${name}> has no start tag`);
      }
      i = SPACE.lastIndex + 1;
    } else {
      const tag = readStartTag(text, lt);
      if (typeof tag === 'string') return fail(lt, tag);
      if (stack.length === 0 && scan.root) return fail(lt, 'there is more than one main element');
      if (!scan.root) scan.root = tag.start;
      else if (stack.length === 1) scan.children.push(tag.start);
      if (!tag.selfClosing) stack.push(tag.start.name);
      i = tag.end;
    }
  }
  if (!scan.root) return { ...scan, error: 'the document has no elements' };
  if (stack.length) return fail(text.length, `the document ends before <${stack[stack.length - 1]}> is closed (it may be cut short)`);
  return scan;
}

function readStartTag(text: string, lt: number): { start: StartTag; selfClosing: boolean; end: number } | string {
  NAME.lastIndex = lt + 1;
  const name = NAME.exec(text)?.[0];
  if (!name) return "a '<' is not the start of a tag (write '&lt;' for a literal '<')";
  const attrs: Record<string, string> = {};
  let p = lt + 1 + name.length;
  for (;;) {
    SPACE.lastIndex = p;
    SPACE.exec(text);
    const hadSpace = SPACE.lastIndex > p;
    p = SPACE.lastIndex;
    const c = text[p];
    if (c === '>') return { start: { name, attrs }, selfClosing: false, end: p + 1 };
    if (c === '/' && text[p + 1] === '>') return { start: { name, attrs }, selfClosing: true, end: p + 2 };
    if (c === undefined) return `the start tag <${name}> is never closed`;
    NAME.lastIndex = p;
    const attr = NAME.exec(text)?.[0];
    if (!attr || !hadSpace) return `the start tag <${name}> is malformed`;
    SPACE.lastIndex = p + attr.length;
    SPACE.exec(text);
    p = SPACE.lastIndex;
    if (text[p] !== '=') return `the attribute '${attr}' of <${name}> has no value`;
    SPACE.lastIndex = p + 1;
    SPACE.exec(text);
    p = SPACE.lastIndex;
    const quote = text[p];
    if (quote !== '"' && quote !== "'") return `the value of the attribute '${attr}' of <${name}> is not in quotes`;
    const close = text.indexOf(quote, p + 1);
    if (close < 0) return `the value of the attribute '${attr}' of <${name}> is never closed`;
    const value = text.slice(p + 1, close);
    if (value.includes('<')) return `the value of the attribute '${attr}' of <${name}> contains '<'`;
    BAD_AMP.lastIndex = 0;
    if (BAD_AMP.test(value)) return `the value of the attribute '${attr}' of <${name}> has an '&' not written as '&amp;'`;
    attrs[attr] = value;
    p = close + 1;
  }
}

/** Index of the '>' that ends a DOCTYPE, skipping an internal subset in [...] and quoted strings. */
function doctypeEnd(text: string, lt: number): number {
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

function lineCol(text: string, at: number): string {
  let line = 1;
  let lastNl = -1;
  for (let p = text.indexOf('\n'); p >= 0 && p < at; p = text.indexOf('\n', p + 1)) {
    line++;
    lastNl = p;
  }
  return `${line}, column ${at - lastNl}`;
}

/** The local part of a possibly prefixed XML name ("rdf:RDF" -> "RDF"). */
export function localName(name: string): string {
  return name.slice(name.lastIndexOf(':') + 1);
}
