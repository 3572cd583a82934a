// The site's own stylesheet, scripts and icons, served from shared/web/assets/. Pages link them with a
// version taken from the content (`/assets/site.css?v=3f2a...`), so a versioned URL can be cached for
// a year and a new release is fetched at once; an ETag answers revalidations of unversioned URLs.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { HttpRequest, HttpResponse } from '../http/types.ts';

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
};
const NAME = /^[a-z0-9][a-z0-9-]{0,62}\.(css|js|svg|ico)$/;
const YEAR = 31_536_000;

interface Asset {
  body: Buffer;
  etag: string;
  version: string;
  type: string;
}

const loaded = new Map<string, Asset | null>();

/** Read once, when first asked for; a name outside the folder's plain files is never read. */
function asset(name: string): Asset | undefined {
  const known = loaded.get(name);
  if (known !== undefined) return known ?? undefined;
  const ext = NAME.exec(name)?.[1];
  let found: Asset | null = null;
  if (ext) {
    try {
      const body = readFileSync(new URL(`./assets/${name}`, import.meta.url));
      const hash = createHash('sha256').update(body).digest('base64url');
      found = { body, etag: `"${hash.slice(0, 27)}"`, version: hash.slice(0, 10), type: TYPES[ext]! };
    } catch {
      found = null;
    }
  }
  loaded.set(name, found);
  return found ?? undefined;
}

/** The URL pages link to: versioned by content when the file is there. */
export function assetUrl(name: string): string {
  const a = asset(name);
  return a ? `/assets/${name}?v=${a.version}` : `/assets/${name}`;
}

export function serveAsset(req: HttpRequest, name: string): HttpResponse | undefined {
  const a = asset(name);
  if (!a) return undefined;
  const versioned = req.query.get('v') === a.version;
  const headers: Record<string, string> = {
    'content-type': a.type,
    etag: a.etag,
    'cache-control': versioned ? `public, max-age=${YEAR}, immutable` : 'public, max-age=300',
    'x-content-type-options': 'nosniff',
  };
  const inm = req.headers['if-none-match'];
  if (inm !== undefined && inm.split(',').some((t) => t.trim() === a.etag || t.trim() === `W/${a.etag}`)) return { status: 304, headers, body: '' };
  return { status: 200, headers, body: a.body };
}
