// OPML 2.0 (http://opml.org/spec2.opml) in both directions, with feedsmith. Pure. Documents members
// upload are untrusted: the reader only takes subscription outlines' xmlUrl and a title from them, and
// the writer cleans every string so that no stored value can make the output unreadable.
import { generateOpml, parseOpml, type Opml } from 'feedsmith';
import { ValidationError } from '../errors.ts';
import { cleanText, safeHttpUrl, tightenCdata } from './render-text.ts';
import { collapseWhitespace } from './text.ts';

export const MAX_IMPORT_OUTLINES = 100;

/** One subscription read from an uploaded outline; the URL is as written (the caller validates it). */
export interface OpmlSubscription {
  xmlUrl: string;
  title?: string;
}

type Outline = Opml.Outline<string>;

/**
 * Every outline with an xmlUrl, folders flattened, in document order. Refuses a document that is not
 * OPML (`invalid_opml`) or holds more than `max` subscriptions (`too_many_outlines`).
 */
export function readOpml(xml: string, max = MAX_IMPORT_OUTLINES): OpmlSubscription[] {
  let doc: Opml.Document<string>;
  try {
    doc = parseOpml(xml);
  } catch (err) {
    const why = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    throw new ValidationError('invalid_opml', `The body is not an OPML document${why}. Send an OPML 2.0 outline of feeds.`, { cause: err });
  }
  const found: OpmlSubscription[] = [];
  let total = 0;
  // Depth-first, document order; the parser already refuses very deep nesting.
  const stack: Outline[] = [...(doc.body?.outlines ?? [])].reverse();
  while (stack.length > 0) {
    const outline = stack.pop()!;
    if (outline.outlines) for (let i = outline.outlines.length - 1; i >= 0; i--) stack.push(outline.outlines[i]!);
    const xmlUrl = outline.xmlUrl?.trim();
    if (!xmlUrl) continue;
    total += 1;
    if (found.length < max) {
      const title = cleanTitle(outline.title ?? outline.text);
      found.push({ xmlUrl, ...(title ? { title } : {}) });
    }
  }
  if (total > max) {
    throw new ValidationError('too_many_outlines', `The outline lists ${total} feeds; import at most ${max} at a time.`, { details: { max, found: total } });
  }
  return found;
}

function cleanTitle(value: string | undefined): string | undefined {
  const text = value === undefined ? '' : collapseWhitespace(value);
  return text === '' ? undefined : text.slice(0, 200);
}

export interface OpmlFeedEntry {
  title: string;
  xmlUrl: string;
  htmlUrl?: string;
  language?: string;
  description?: string;
}

export interface OpmlFolder {
  title: string;
  feeds: OpmlFeedEntry[];
}

export interface OpmlDocumentInput {
  title: string;
  dateCreated?: Date;
  ownerName?: string;
  /** Feeds at the top level, then folders. */
  feeds?: OpmlFeedEntry[];
  folders?: OpmlFolder[];
}

function feedOutline(f: OpmlFeedEntry): Outline | undefined {
  const xmlUrl = safeHttpUrl(f.xmlUrl);
  if (!xmlUrl) return undefined;
  const title = cleanText(f.title) ?? xmlUrl;
  const htmlUrl = safeHttpUrl(f.htmlUrl);
  const language = cleanText(f.language);
  const description = cleanText(f.description);
  // type="rss" is OPML's word for any feed subscription, Atom and JSON Feed included.
  return { text: title, title, type: 'rss', xmlUrl, ...(htmlUrl && { htmlUrl }), ...(language && { language }), ...(description && { description }) };
}

export function renderOpml(input: OpmlDocumentInput): string {
  const outlines: Outline[] = [];
  for (const f of input.feeds ?? []) {
    const o = feedOutline(f);
    if (o) outlines.push(o);
  }
  for (const folder of input.folders ?? []) {
    const children = folder.feeds.map(feedOutline).filter((o): o is Outline => o !== undefined);
    if (children.length === 0) continue;
    const text = cleanText(folder.title) ?? '(untitled)';
    outlines.push({ text, title: text, outlines: children });
  }
  // OPML 2.0 wants at least one outline in <body>: a note stands in for an empty list.
  if (outlines.length === 0) outlines.push({ text: 'No feeds yet.' });
  const ownerName = cleanText(input.ownerName);
  const head = {
    title: cleanText(input.title) ?? 'Feeds',
    ...(input.dateCreated && { dateCreated: input.dateCreated }),
    ...(ownerName && { ownerName }),
    docs: 'http://opml.org/spec2.opml',
  };
  return tightenCdata(generateOpml({ head, body: { outlines } }));
}
