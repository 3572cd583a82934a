// OPML: GET /api/feeds.opml (a member's feeds, or all for the admin), the public
// GET /feeds/directory.opml (the hub's feed of each member, for feed readers) and
// GET /feeds/sources.opml (the members' own source feeds), and POST /api/feeds/import.
import { createHash } from 'node:crypto';
import type { HubContext } from '../app/context.ts';
import type { RegistrationPolicy } from '../app/feed-registry.ts';
import { directoryOpml, feedsOpml, importOpml, sourcesOpml } from '../app/opml.ts';
import type { Authenticator } from './auth.ts';
import type { Router } from './router.ts';
import { json, type HttpRequest, type HttpResponse } from './types.ts';

export const OPML_CONTENT_TYPE = 'text/x-opml; charset=utf-8';
const IMPORT_TYPES = ['text/x-opml', 'application/xml', 'text/xml', 'application/opml+xml'];

export interface OpmlRoutesDeps {
  ctx: HubContext;
  auth: Authenticator;
  publicUrl: string;
  registration: RegistrationPolicy;
  /** Cache-Control max-age of the public directory, seconds. */
  directoryMaxAgeSeconds?: number;
}

function opml(req: HttpRequest, body: string, headers: Record<string, string>): HttpResponse {
  // The tag names the content: the document's creation time (a new one each second) is left out, so
  // a reader's revalidation gets 304 until a feed or a member changes.
  const content = body.replace(/<dateCreated>[^<]*<\/dateCreated>/, '');
  const etag = `"${createHash('sha256').update(content).digest('base64url').slice(0, 27)}"`;
  const all = { 'content-type': OPML_CONTENT_TYPE, etag, ...headers };
  const inm = req.headers['if-none-match'];
  if (inm !== undefined && inm.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) return { status: 304, headers: all, body: '' };
  return { status: 200, headers: all, body };
}

export function registerOpmlRoutes(router: Router, deps: OpmlRoutesDeps): void {
  const { ctx, auth } = deps;

  router.on('GET', '/api/feeds.opml', async (req) => {
    const caller = await auth.caller(req);
    return opml(req, await feedsOpml(ctx, caller), { 'cache-control': 'no-store', 'content-disposition': 'attachment; filename="feeds.opml"' });
  });

  const publicOpml = (req: HttpRequest, body: string) => opml(req, body, { 'cache-control': `public, max-age=${deps.directoryMaxAgeSeconds ?? 300}`, 'access-control-allow-origin': '*' });
  router.on('GET', '/feeds/directory.opml', async (req) => publicOpml(req, await directoryOpml(ctx, deps.publicUrl)));
  router.on('GET', '/feeds/sources.opml', async (req) => publicOpml(req, await sourcesOpml(ctx)));

  router.on('POST', '/api/feeds/import', async (req) => {
    const { member } = await auth.member(req);
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!IMPORT_TYPES.includes(type)) {
      return json(415, { error: { code: 'unsupported_media_type', message: `Send the OPML document itself as the body, with Content-Type text/x-opml or application/xml (got "${type.slice(0, 100) || 'none'}").` } });
    }
    const results = await importOpml(ctx, member, req.body ?? '', deps.registration);
    return json(200, { results });
  });
}
