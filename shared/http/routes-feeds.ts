// The merged feeds: /feeds/all.{rss,atom,json} and /feeds/members/{memberId}.{rss,atom,json}. The feed
// of all members takes the filters of the latest-publications page (member, category, language, q,
// from, to), so every view of that page has its own feed; filtered feeds are read from the in-memory
// publication index.
import { createHash } from 'node:crypto';
import { CONTENT_TYPES, renderFeed, type OutputFormat } from '../core/render.ts';
import { NotFoundError } from '../errors.ts';
import type { Member, Publication } from '../model.ts';
import type { HubStore } from '../ports/store.ts';
import type { FeedCache } from './feed-cache.ts';
import { parseLimit } from './params.ts';
import type { Router } from './router.ts';
import { json, type HttpRequest, type HttpResponse } from './types.ts';
import { FILTER_NAMES, filterQuery, hasFilters, parseFilters, type PublicationFilters } from '../app/publication-filters.ts';
import { firstMatches, loadAllPublications, PublicationIndex } from '../app/publication-index.ts';

const FORMATS: Record<string, OutputFormat> = { rss: 'rss', atom: 'atom', json: 'json' };

export interface FeedRoutesDeps {
  store: HubStore;
  cache: FeedCache;
  publicUrl: string;
  /** Cache-Control max-age for readers and CDNs, seconds. */
  maxAgeSeconds: number;
  now: () => Date;
  /** Publications in memory, for filtered feeds; without it one is made here. */
  publications?: PublicationIndex;
}

/** Words for a feed title: "UNODC · Research · \"forced labour\" · 2026-01-01 to 2026-06-30". */
function describeFilters(f: PublicationFilters, names: Record<string, string>): string {
  const parts = [f.member ? (names[f.member] ?? f.member) : '', f.category ?? '', f.language ?? '', f.q ? `"${f.q}"` : ''];
  if (f.from || f.to) parts.push(f.from && f.to ? `${f.from} to ${f.to}` : f.from ? `from ${f.from}` : `until ${f.to}`);
  return parts.filter(Boolean).join(' · ');
}

function splitFile(file: string): { name: string; format: OutputFormat } {
  const dot = file.lastIndexOf('.');
  const format = FORMATS[file.slice(dot + 1)];
  if (dot <= 0 || !format) throw new NotFoundError('Feeds end in .rss, .atom or .json.', 'unknown_format');
  return { name: file.slice(0, dot), format };
}

/** Newest change among the items: when the hub stored or the source last updated any of them. */
function lastChange(items: Publication[], now: string): string {
  let newest = '1970-01-01T00:00:00.000Z';
  for (const p of items) {
    if (p.firstSeen > newest) newest = p.firstSeen;
    // An edit at the source shows as a later `updated`; a date in the future is a source's clock error.
    if (p.updated && p.updated > newest && p.updated <= now) newest = p.updated;
  }
  return newest;
}

function conditional(req: HttpRequest, doc: { etag: string; lastModified: string }): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return inm.split(',').some((t) => t.trim() === doc.etag || t.trim() === '*' || t.trim() === `W/${doc.etag}`);
  const ims = req.headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims); // an HTTP-date (RFC 9110) from a client; Date.parse reads IMF-fixdate exactly
  return Number.isFinite(since) && Math.floor(Date.parse(doc.lastModified) / 1000) <= Math.floor(since / 1000);
}

export function registerFeedRoutes(router: Router, deps: FeedRoutesDeps): void {
  const memberNames = async (): Promise<{ names: Record<string, string>; byId: Map<string, Member> }> => {
    const members = await deps.store.listMembers();
    return { names: Object.fromEntries(members.map((m) => [m.id, m.acronym ?? m.name])), byId: new Map(members.map((m) => [m.id, m])) };
  };

  const index = deps.publications ?? new PublicationIndex(() => loadAllPublications(deps.store), { ttlSeconds: deps.maxAgeSeconds });

  const serve = async (req: HttpRequest, scope: { memberId?: string; filters?: PublicationFilters }, format: OutputFormat, path: string): Promise<HttpResponse> => {
    const limit = parseLimit(req.query.get('limit'), 50, 500);
    const filters = scope.filters;
    const query = filters ? filterQuery(filters, { limit: limit !== 50 ? limit : undefined }) : limit !== 50 ? `limit=${limit}` : '';
    const key = `${path}?${query}`;
    const doc = await deps.cache.get(key, async () => {
      const { names, byId } = await memberNames();
      const member = scope.memberId ? byId.get(scope.memberId) : undefined;
      if (scope.memberId && !member) throw new NotFoundError(`No member "${scope.memberId}".`, 'member_not_found');
      if (filters?.member && !byId.has(filters.member)) throw new NotFoundError(`No member "${filters.member}".`, 'member_not_found');
      const items = filters ? firstMatches(await index.snapshot(), filters, limit) : (await deps.store.listPublications({ memberId: scope.memberId, limit })).items;
      const updated = lastChange(items, deps.now().toISOString());
      const base = deps.publicUrl;
      const self = `${base}${path}${query ? `?${query}` : ''}`;
      const body = renderFeed({
        format,
        title: member ? `${member.acronym ?? member.name} publications (ICAT Syndication Hub)` : filters ? `ICAT member publications: ${describeFilters(filters, names)}` : 'ICAT member publications',
        description: member
          ? `Papers, guidance, research, statements and events published by ${member.name}, a member of the Inter-Agency Coordination Group against Trafficking in Persons.`
          : 'Papers, guidance, research, statements and events from the member organisations of the Inter-Agency Coordination Group against Trafficking in Persons (ICAT), in one feed.',
        selfUrl: self,
        siteUrl: base,
        feedId: `${base}${path.replace(/\.\w+$/, '')}`,
        updated,
        items,
        memberNames: names,
      });
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      return { body, etag, lastModified: updated, contentType: CONTENT_TYPES[format] };
    });
    const headers = {
      'content-type': doc.contentType,
      etag: doc.etag,
      'last-modified': new Date(doc.lastModified).toUTCString(),
      'cache-control': `public, max-age=${deps.maxAgeSeconds}`,
      'access-control-allow-origin': '*',
      vary: 'Accept-Encoding',
    };
    if (conditional(req, doc)) return { status: 304, headers, body: '' };
    return { status: 200, headers, body: doc.body };
  };

  router.on('GET', '/feeds/{file}', async (req, { file }) => {
    const { name, format } = splitFile(file!);
    if (name !== 'all') throw new NotFoundError(`No feed ${req.path}: try /feeds/all.rss or /feeds/members/{memberId}.rss.`, 'feed_not_found');
    if (!FILTER_NAMES.some((n) => req.query.has(n))) return serve(req, {}, format, `/feeds/all.${format}`);
    const { filters, problems } = parseFilters(req.query);
    if (problems.length > 0) {
      const message = `Some filters are not valid: ${problems.map((p) => `${p.field} (${p.code.replace(/_/g, ' ')})`).join(', ')}. Dates are YYYY-MM-DD.`;
      return json(400, { error: { code: 'invalid_filter', message, details: { problems } } });
    }
    return serve(req, hasFilters(filters) ? { filters } : {}, format, `/feeds/all.${format}`);
  });
  router.on('GET', '/feeds/members/{file}', async (req, { file }) => {
    const { name, format } = splitFile(file!);
    return serve(req, { memberId: name }, format, `/feeds/members/${name}.${format}`);
  });
}
