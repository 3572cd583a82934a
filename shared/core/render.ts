// Renders the hub's merged feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) from stored publications.
// Pure: no clock, no I/O. Every string is cleaned and every date checked in render-view.ts first,
// so whatever a member's feed carried, the document stays well-formed.
import { ValidationError } from '../errors.ts';
import type { Publication } from '../model.ts';
import { renderAtom } from './render-atom.ts';
import { renderJson } from './render-json.ts';
import { renderRss } from './render-rss.ts';
import { buildFeedView, type OutputFormat, type RenderInput } from './render-view.ts';

export type { OutputFormat, RenderInput } from './render-view.ts';

export const CONTENT_TYPES: Record<OutputFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** Media type without parameters, for the `type` of self links. */
export function mediaType(format: OutputFormat): string {
  return CONTENT_TYPES[format].split(';')[0] ?? CONTENT_TYPES[format];
}

export function renderFeed(input: RenderInput): string {
  const view = buildFeedView(input);
  switch (input.format) {
    case 'rss':
      return renderRss(view, mediaType('rss'));
    case 'atom':
      return renderAtom(view, mediaType('atom'));
    case 'json':
      return renderJson(view);
    default:
      // Reachable only from untyped callers (a query string cast to OutputFormat).
      throw new ValidationError('unknown_format', `Unknown feed format: ${String(input.format)}`);
  }
}
