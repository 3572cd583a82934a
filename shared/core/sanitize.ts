// HTML from member feeds is untrusted: it is re-served in the hub's feeds and pages. Only a small
// allowlist of structural tags survives; links are made absolute and limited to http(s)/mailto.
import { Parser, type Handler } from 'htmlparser2';
import { absoluteHttpUrl } from './links.ts';
import { collapseWhitespace, escapeHtml, truncateAtWord } from './text.ts';

/** Summaries longer than this (sanitised HTML) are replaced by a short plain-text paragraph. */
export const SUMMARY_HTML_MAX = 8_000;
/** Plain text (and the fallback summary) is cut to about this many characters. */
export const TEXT_MAX = 1_000;

const ALLOWED_TAGS = new Set([
  'p', 'br', 'a', 'em', 'strong', 'b', 'i', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre',
  'h2', 'h3', 'h4', 'h5', 'h6', 'abbr', 'sub', 'sup', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
]);
// Elements whose content is not text a reader should see. (<object> is not here: its content is
// the fallback meant for readers that cannot show the object.)
const DROP_WITH_CONTENT = new Set(['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'template', 'title', 'head']);
// Block-level elements (HTML's "flow" elements that start a new line). In plain text each boundary
// becomes a space, so "<p>a</p><p>b</p>" reads "a b"; in HTML, where the element itself is not kept,
// the boundary is kept as a paragraph or a line break (see Cleaner.boundary).
const BLOCK_TAGS = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre',
  'table', 'thead', 'tbody', 'tfoot', 'caption', 'tr', 'td', 'th', 'section', 'article', 'header', 'footer', 'nav', 'aside',
  'main', 'address', 'center', 'figure', 'figcaption', 'dl', 'dd', 'dt', 'hr', 'details', 'summary', 'fieldset', 'legend',
  'form', 'hgroup', 'menu', 'dir']);
// Kept elements that are blocks: what follows one starts on a new line without help.
const KEPT_BLOCKS = new Set(['p', 'ul', 'ol', 'li', 'blockquote', 'pre', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'td', 'th']);
// Where loose text separated by a dropped block becomes paragraphs (elsewhere: a line break).
const PARAGRAPH_HOLDERS = new Set(['', 'blockquote']);
// Kept even when empty: a table cell holds its column's place.
const KEPT_EMPTY = new Set(['td', 'th']);
const SPAN = /^[1-9]\d{0,2}$/;
// The output's tags without attributes, made once rather than once per element.
const START_TAGS = new Map([...ALLOWED_TAGS].map((t) => [t, `<${t}>`]));
const END_TAGS = new Map([...ALLOWED_TAGS].map((t) => [t, `</${t}>`]));

// Most values need no escaping: one test is cheaper than the replacements.
const escapeAttr = (v: string) => (/[&<>"]/.test(v) ? v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;') : v);
const escapeText = (v: string) => (/[&<>]/.test(v) ? v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : v);
// Where the HTML tokenizer can see markup: a tag, or a character reference. Text without either
// comes out of it unchanged.
const MARKUP = /<|&[#A-Za-z0-9]/;

function linkTarget(href: string | undefined, base?: string): string | undefined {
  const h = href?.trim();
  if (!h) return undefined;
  if (/^mailto:/i.test(h)) return h;
  return absoluteHttpUrl(h, base);
}

function allowedAttributes(tag: string, attribs: Record<string, string>, base?: string): string | undefined {
  if (tag === 'a') {
    const href = linkTarget(attribs.href, base);
    // A link whose target is dropped keeps its text only.
    if (!href) return undefined;
    return ` href="${escapeAttr(href)}"${attribs.title ? ` title="${escapeAttr(attribs.title)}"` : ''}`;
  }
  if (tag === 'abbr' && attribs.title) return ` title="${escapeAttr(attribs.title)}"`;
  if (tag === 'td' || tag === 'th') {
    let out = '';
    for (const name of ['colspan', 'rowspan']) if (attribs[name] !== undefined && SPAN.test(attribs[name]!)) out += ` ${name}="${attribs[name]}"`;
    return out;
  }
  return '';
}

/** One open element of the output, its content gathered apart until it is known not to be empty. */
interface Frame {
  /** Output name ('' for the fragment itself). */
  name: string;
  /** The start tag written for it; undefined when only its content is kept (a link without a target). */
  start: string | undefined;
  html: string;
  /** Holds text other than whitespace (directly or in a kept child). */
  content: boolean;
  /** Content since the last boundary: the run of loose text a boundary would wrap or break. */
  line: boolean;
  /** Where the current run of loose text begins in `html` (paragraph holders). */
  runStart: number;
  /** A dropped block made paragraphs here: the last run becomes one too. */
  wrapped: boolean;
  /** A dropped block ended a line here: the next content starts on a new line. */
  breakPending: boolean;
}

function frame(name: string, start: string | undefined): Frame {
  return { name, start, html: '', content: false, line: false, runStart: 0, wrapped: false, breakPending: false };
}

const BR = '<br />';
const trimAscii = (s: string) => s.replace(/^[ \t\n\r\f]+|[ \t\n\r\f]+$/g, '');

/**
 * Builds the allowlisted HTML and the plain text of one fragment from parser events. Tags outside
 * the allowlist are dropped with their text kept, except script-like elements, dropped whole; a
 * dropped block keeps its boundary (so "<div>a</div><div>b</div>" is never "ab"), and kept
 * elements left without text (an image's paragraph) go. Every emitted tag is closed, so the output
 * is well-formed whatever the input.
 */
class Cleaner implements Pick<Handler, 'onopentag' | 'onclosetag' | 'ontext'> {
  private text = '';
  private skip = 0;
  // The fragment, then the allowlisted elements open in the output, innermost last.
  private readonly frames: Frame[] = [frame('', '')];

  constructor(
    private readonly base: string | undefined,
    private readonly keepTags: boolean,
  ) {}

  onopentag(raw: string, attribs: Record<string, string>): void {
    if (DROP_WITH_CONTENT.has(raw)) {
      this.skip += 1;
      return;
    }
    if (this.skip > 0) return;
    const block = BLOCK_TAGS.has(raw);
    if (block) this.text += ' ';
    if (!this.keepTags) return;
    const name = raw === 'h1' ? 'h2' : raw;
    if (!ALLOWED_TAGS.has(name)) {
      if (block) this.boundary();
      return;
    }
    if (name === 'br') {
      const top = this.top();
      top.html += BR;
      top.breakPending = false;
      // In a paragraph holder a line break stays inside the run of text it belongs to.
      if (!PARAGRAPH_HOLDERS.has(top.name)) top.line = false;
      return;
    }
    const attrs = allowedAttributes(name, attribs, this.base);
    // A link whose target is dropped keeps its text only.
    const start = attrs === undefined ? undefined : attrs === '' ? (START_TAGS.get(name) as string) : `<${name}${attrs}>`;
    this.frames.push(frame(name, start));
  }

  onclosetag(raw: string): void {
    if (DROP_WITH_CONTENT.has(raw)) {
      if (this.skip > 0) this.skip -= 1;
      return;
    }
    if (this.skip > 0) return;
    const block = BLOCK_TAGS.has(raw);
    if (block) this.text += ' ';
    if (!this.keepTags) return;
    const name = raw === 'h1' ? 'h2' : raw;
    if (!ALLOWED_TAGS.has(name)) {
      if (block) this.boundary();
      return;
    }
    let at = this.frames.length - 1;
    while (at > 0 && this.frames[at]?.name !== name) at--;
    if (at > 0) this.closeFrom(at);
  }

  ontext(data: string): void {
    if (this.skip > 0) return;
    this.text += data;
    if (!this.keepTags) return;
    const top = this.top();
    if (/\S/.test(data)) {
      if (top.breakPending) top.html += BR;
      top.breakPending = false;
      top.content = true;
      top.line = true;
    }
    top.html += escapeText(data);
  }

  result(): { html: string; text: string } {
    if (!this.keepTags) return { html: '', text: collapseWhitespace(this.text) };
    this.closeFrom(1);
    const root = this.top();
    if (root.wrapped && root.line) this.wrapRun(root);
    return { html: root.html.trim(), text: collapseWhitespace(this.text) };
  }

  private top(): Frame {
    return this.frames[this.frames.length - 1] as Frame;
  }

  /** A dropped block starts or ends: what came before and what follows must not run together. */
  private boundary(): void {
    const top = this.top();
    if (!top.line) return;
    if (PARAGRAPH_HOLDERS.has(top.name)) this.wrapRun(top);
    else top.breakPending = true;
  }

  /** The loose text since the last block of `f` becomes a paragraph. */
  private wrapRun(f: Frame): void {
    f.html = `${f.html.slice(0, f.runStart)}<p>${trimAscii(f.html.slice(f.runStart))}</p>`;
    f.runStart = f.html.length;
    f.line = false;
    f.wrapped = true;
  }

  private closeFrom(at: number): void {
    while (this.frames.length > at) {
      const f = this.frames.pop() as Frame;
      const parent = this.top();
      if (f.wrapped && f.line) this.wrapRun(f);
      if (!f.content && !KEPT_EMPTY.has(f.name)) {
        // An empty block still ends a line (a stray </p> is an empty paragraph: "a</p>b" is two
        // lines in a browser); an empty inline element still separated the words around it.
        if (KEPT_BLOCKS.has(f.name)) this.boundary();
        else if (/\s/.test(f.html)) parent.html += ' ';
        continue;
      }
      const markup = f.start === undefined ? f.html : `${f.start}${f.html}${END_TAGS.get(f.name) as string}`;
      if (KEPT_BLOCKS.has(f.name)) {
        if (f.content && parent.wrapped && parent.line) this.wrapRun(parent);
        parent.html += markup;
        parent.runStart = parent.html.length;
        parent.line = false;
        parent.breakPending = false;
      } else {
        if (parent.breakPending) parent.html += BR;
        parent.html += markup;
        parent.breakPending = false;
        parent.line = true;
      }
      if (f.content) parent.content = true;
    }
  }
}

const PARSER_OPTIONS = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true };

/**
 * One pass of htmlparser2 (tolerant like a browser's tokenizer) over untrusted HTML, giving both
 * the allowlisted HTML and its plain text.
 */
function clean(html: string, base: string | undefined, keepTags: boolean): { html: string; text: string } {
  const cleaner = new Cleaner(base, keepTags);
  const parser = new Parser(cleaner, PARSER_OPTIONS);
  parser.write(html);
  parser.end();
  return cleaner.result();
}

export function sanitizeSummary(html: string, base?: string): string {
  return clean(html, base, true).html;
}

/** Plain text of an HTML fragment: tags removed, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  if (!MARKUP.test(html)) return collapseWhitespace(html);
  return clean(html, undefined, false).text;
}

/**
 * The summary (sanitised HTML) and text (plain) of an item from its source HTML. A summary that
 * is still very long after sanitising (a whole article) is replaced by the start of its text.
 */
export function summarise(html: string, base?: string): { summary?: string; text?: string } {
  const { html: summary, text: fullText } = MARKUP.test(html) ? clean(html, base, true) : { html: escapeText(html).trim(), text: collapseWhitespace(html) };
  if (!fullText) return {};
  const text = truncateAtWord(fullText, TEXT_MAX);
  if (summary.length > SUMMARY_HTML_MAX) return { summary: `<p>${escapeHtml(text)}</p>`, text };
  return { summary, text: text || undefined };
}

/** Summary fields from plain text (JSON Feed's `summary`, Atom type="text"). */
export function summariseText(plain: string): { summary?: string; text?: string } {
  // Blank lines separate paragraphs in plain text; keep that structure in the HTML form.
  const paragraphs = plain.split(/\n\s*\n/).map(collapseWhitespace).filter(Boolean);
  return summarise(paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join(''));
}
