// Errors as a browser should see them. The routes, the router and both transports answer errors as
// JSON ({error: {code, message}}); a browser asking for a page (Accept: text/html, a path outside the
// API, the feeds and the assets) gets the site's own error page instead, in its language, with the
// same status and the headers that matter (Allow, Retry-After).
import type { HttpRequest, HttpResponse } from '../http/types.ts';
import { messageMain } from './pages/subscribe-form.ts';
import { pageOf, render } from './page.ts';
import { htmlResponse } from './respond.ts';
import type { MessageKey } from '../i18n/index.ts';

const MACHINE = /^\/(?:api|feeds|assets)(?:\/|$)|^\/healthz$/;

/** A request for a web page, rather than for the API, a feed or an asset. */
export function wantsPage(req: HttpRequest): boolean {
  return !MACHINE.test(req.path) && (req.headers.accept ?? '').includes('text/html');
}

/** Title and text keys of the page for an error status. */
function keysFor(status: number, code: string | undefined): { title: MessageKey; body: MessageKey } {
  if (status === 404) return { title: 'site.notFound.title', body: 'site.notFound.body' };
  if (status >= 500) return { title: 'site.error.title', body: 'site.error.body' };
  if (code === 'invalid_path') return { title: 'site.badAddress.title', body: 'site.badAddress.body' };
  if (status === 413) return { title: 'site.tooLarge.title', body: 'site.tooLarge.body' };
  if (status === 431) return { title: 'site.tooLong.title', body: 'site.tooLong.body' };
  if (status === 429) return { title: 'site.tooMany.title', body: 'site.tooMany.body' };
  return { title: 'site.refused.title', body: 'site.refused.body' };
}

function errorCode(res: HttpResponse): string | undefined {
  try {
    const parsed = JSON.parse(typeof res.body === 'string' ? res.body : res.body.toString('utf8')) as { error?: { code?: unknown } };
    return typeof parsed?.error?.code === 'string' ? parsed.error.code : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON error answered to a browser's page request, as the site's HTML error page; anything else as it is. */
export function htmlErrors(req: HttpRequest, res: HttpResponse): HttpResponse {
  if (res.status < 400 || !wantsPage(req) || !(res.headers['content-type'] ?? '').includes('json')) return res;
  const p = pageOf(req);
  const keys = keysFor(res.status, errorCode(res));
  const main = messageMain(p.t(keys.title), p.t(keys.body), { href: '/', label: p.t('site.notFound.home') });
  const kept = Object.fromEntries(Object.entries(res.headers).filter(([k]) => ['allow', 'retry-after', 'connection', 'www-authenticate'].includes(k.toLowerCase())));
  const out = htmlResponse(res.status, req.method === 'HEAD' ? '' : render(p, { title: p.t(keys.title), main }), kept);
  return res.cookies ? { ...out, cookies: res.cookies } : out;
}
