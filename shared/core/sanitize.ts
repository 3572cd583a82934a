// HTML from member feeds is untrusted: it is re-served in the hub's feeds and pages. Only a small
// allowlist of structural tags survives; links are made absolute and limited to http(s)/mailto.
import sanitizeHtml from 'sanitize-html';
import { absoluteHttpUrl } from './links.ts';
import { collapseWhitespace, escapeHtml, truncateAtWord } from './text.ts';

/** Summaries longer than this (sanitised HTML) are replaced by a short plain-text paragraph. */
export const SUMMARY_HTML_MAX = 8_000;
/** Plain text (and the fallback summary) is cut to about this many characters. */
export const TEXT_MAX = 1_000;

const ALLOWED_TAGS = [
  'p', 'br', 'a', 'em', 'strong', 'b', 'i', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre',
  'h2', 'h3', 'h4', 'h5', 'h6', 'abbr', 'sub', 'sup', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
];
// Elements whose content is not text a reader should see. (<object> is not here: its content is
// the fallback meant for readers that cannot show the object.)
const DROP_WITH_CONTENT = ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'template', 'title', 'head'];

export function sanitizeSummary(html: string, base?: string): string {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ['href', 'title'], abbr: ['title'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: DROP_WITH_CONTENT,
    transformTags: {
      h1: 'h2',
      a: (tagName, attribs) => {
        const href = linkTarget(attribs.href, base);
        // Only attributes change here: renaming tags in transformTags can mismatch end tags.
        const out: Record<string, string> = {};
        if (href) out.href = href;
        if (attribs.title) out.title = attribs.title;
        return { tagName, attribs: out };
      },
    },
  })
    // A link whose target was dropped keeps its text only.
    .replace(/<a(?: title="[^"]*")?>([^<]*)<\/a>/g, '$1')
    .trim();
}

function linkTarget(href: string | undefined, base?: string): string | undefined {
  const h = href?.trim();
  if (!h) return undefined;
  if (/^mailto:/i.test(h)) return h;
  return absoluteHttpUrl(h, base);
}

// Block-level boundaries become spaces in plain text, so "<p>a</p><p>b</p>" reads "a b".
const BLOCK_TAGS = ['p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre',
  'table', 'tr', 'td', 'th', 'section', 'article', 'header', 'footer', 'dd', 'dt', 'figcaption', 'hr'];

/** Plain text of an HTML fragment: tags removed, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return collapseWhitespace(html);
  // Keeping only attribute-less block tags leaves output whose markup is trivially regular.
  const blocks = sanitizeHtml(html, { allowedTags: BLOCK_TAGS, allowedAttributes: {}, nonTextTags: DROP_WITH_CONTENT });
  return sanitizedToText(blocks);
}

const BLOCK_TAG = new RegExp(`<\\/?(?:${BLOCK_TAGS.join('|')})\\b[^>]*>`, 'gi');

/**
 * Plain text of HTML that came out of sanitize-html (ours): its tags are well-formed and its text
 * holds no raw "<", so tags can be removed by pattern, saving a second parse.
 */
function sanitizedToText(html: string): string {
  const text = html.replace(BLOCK_TAG, ' ').replace(/<[^>]*>/g, '');
  return collapseWhitespace(decodeSanitizerEntities(text));
}

// sanitize-html re-escapes text with exactly these four references.
function decodeSanitizerEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/**
 * The summary (sanitised HTML) and text (plain) of an item from its source HTML. A summary that
 * is still very long after sanitising (a whole article) is replaced by the start of its text.
 */
export function summarise(html: string, base?: string): { summary?: string; text?: string } {
  const summary = sanitizeSummary(html, base);
  const fullText = sanitizedToText(summary);
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
