// HTML from member feeds is untrusted: it is re-served in the hub's feeds and pages. Only a small
// allowlist of structural tags survives; links are made absolute and limited to http(s)/mailto.
import { Parser } from 'htmlparser2';
import { absoluteHttpUrl } from './links.ts';
import { readPlainHtml, type HtmlHandler } from './plain-html.ts';
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
// Block-level boundaries become spaces in plain text, so "<p>a</p><p>b</p>" reads "a b".
const BLOCK_TAGS = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre',
  'table', 'tr', 'td', 'th', 'section', 'article', 'header', 'footer', 'dd', 'dt', 'figcaption', 'hr']);
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

/**
 * Builds the allowlisted HTML and the plain text of one fragment from parser events. Tags outside
 * the allowlist are dropped with their text kept, except script-like elements, dropped whole;
 * every emitted tag is closed, so the output is well-formed whatever the input.
 */
class Cleaner implements HtmlHandler {
  private out = '';
  private text = '';
  private skip = 0;
  // Allowlisted elements open in the output, innermost last, and whether each start tag was
  // written (a link whose target was dropped is not).
  private readonly open: string[] = [];
  private readonly emitted: boolean[] = [];

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
    if (BLOCK_TAGS.has(raw)) this.text += ' ';
    const name = raw === 'h1' ? 'h2' : raw;
    if (!this.keepTags || !ALLOWED_TAGS.has(name)) return;
    const attrs = allowedAttributes(name, attribs, this.base);
    if (name === 'br') {
      this.out += '<br />';
      return;
    }
    if (attrs !== undefined) this.out += attrs === '' ? (START_TAGS.get(name) as string) : `<${name}${attrs}>`;
    this.open.push(name);
    this.emitted.push(attrs !== undefined);
  }

  onclosetag(raw: string): void {
    if (DROP_WITH_CONTENT.has(raw)) {
      if (this.skip > 0) this.skip -= 1;
      return;
    }
    if (this.skip > 0) return;
    if (BLOCK_TAGS.has(raw)) this.text += ' ';
    const name = raw === 'h1' ? 'h2' : raw;
    const at = this.open.lastIndexOf(name);
    if (at >= 0) this.closeFrom(at);
  }

  ontext(data: string): void {
    if (this.skip > 0) return;
    this.out += escapeText(data);
    this.text += data;
  }

  result(): { html: string; text: string } {
    this.closeFrom(0);
    return { html: this.out.trim(), text: collapseWhitespace(this.text) };
  }

  private closeFrom(at: number): void {
    while (this.open.length > at) {
      const name = this.open.pop() as string;
      if (this.emitted.pop()) this.out += END_TAGS.get(name) as string;
    }
  }
}

const PARSER_OPTIONS = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true };

/**
 * One pass over untrusted HTML giving both the allowlisted HTML and its plain text. Plain markup
 * is read by plain-html.ts; the rest by htmlparser2, tolerant like a browser's tokenizer.
 */
function clean(html: string, base: string | undefined, keepTags: boolean): { html: string; text: string } {
  let cleaner = new Cleaner(base, keepTags);
  if (!readPlainHtml(html, cleaner)) {
    cleaner = new Cleaner(base, keepTags);
    const parser = new Parser(cleaner, PARSER_OPTIONS);
    parser.write(html);
    parser.end();
  }
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
