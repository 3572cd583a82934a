// HTML from member feeds is untrusted: it is re-served in the hub's feeds and pages. Only a small
// allowlist of structural tags survives; links are made absolute and limited to http(s)/mailto.
import { Parser } from 'htmlparser2';
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
// Block-level boundaries become spaces in plain text, so "<p>a</p><p>b</p>" reads "a b".
const BLOCK_TAGS = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre',
  'table', 'tr', 'td', 'th', 'section', 'article', 'header', 'footer', 'dd', 'dt', 'figcaption', 'hr']);
const SPAN = /^[1-9]\d{0,2}$/;

const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const escapeText = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

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
 * One pass over untrusted HTML (htmlparser2, tolerant like a browser's tokenizer) giving both the
 * allowlisted HTML and its plain text. Tags outside the allowlist are dropped with their text kept,
 * except script-like elements, dropped whole; every emitted tag is closed, so the output is
 * well-formed whatever the input.
 */
function clean(html: string, base: string | undefined, keepTags: boolean): { html: string; text: string } {
  let out = '';
  let text = '';
  let skip = 0;
  const open: { name: string; emitted: boolean }[] = [];
  const parser = new Parser(
    {
      onopentag(raw, attribs) {
        if (DROP_WITH_CONTENT.has(raw)) {
          skip += 1;
          return;
        }
        if (skip > 0) return;
        if (BLOCK_TAGS.has(raw)) text += ' ';
        const name = raw === 'h1' ? 'h2' : raw;
        if (!keepTags || !ALLOWED_TAGS.has(name)) return;
        const attrs = allowedAttributes(name, attribs, base);
        if (name === 'br') {
          out += '<br />';
          return;
        }
        if (attrs !== undefined) out += `<${name}${attrs}>`;
        open.push({ name, emitted: attrs !== undefined });
      },
      onclosetag(raw) {
        if (DROP_WITH_CONTENT.has(raw)) {
          if (skip > 0) skip -= 1;
          return;
        }
        if (skip > 0) return;
        if (BLOCK_TAGS.has(raw)) text += ' ';
        const name = raw === 'h1' ? 'h2' : raw;
        const at = open.findLastIndex((o) => o.name === name);
        if (at < 0) return;
        for (const o of open.splice(at).reverse()) if (o.emitted) out += `</${o.name}>`;
      },
      ontext(data) {
        if (skip > 0) return;
        out += escapeText(data);
        text += data;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  for (const o of open.reverse()) if (o.emitted) out += `</${o.name}>`;
  return { html: out.trim(), text: collapseWhitespace(text) };
}

export function sanitizeSummary(html: string, base?: string): string {
  return clean(html, base, true).html;
}

/** Plain text of an HTML fragment: tags removed, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return collapseWhitespace(html);
  return clean(html, undefined, false).text;
}

/**
 * The summary (sanitised HTML) and text (plain) of an item from its source HTML. A summary that
 * is still very long after sanitising (a whole article) is replaced by the start of its text.
 */
export function summarise(html: string, base?: string): { summary?: string; text?: string } {
  const { html: summary, text: fullText } = clean(html, base, true);
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
