// HTML responses and what every page needs from its request: the security headers, the reader's
// language, cookies. Pages are server-rendered and work without script; the Content-Security-Policy
// allows only this origin's stylesheet and script, so nothing inline ever runs.
import { parseCookie } from 'cookie';
import type { HttpRequest, HttpResponse } from '../http/types.ts';
import { chooseLanguage, translator, type Language, type Translate } from '../i18n/index.ts';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * For pages whose URL carries a secret (links from mails): nothing may be fetched but the page's own
 * stylesheet and script, and no Referer leaves with the token.
 */
export const TOKEN_PAGE_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex',
};

/** The cookie that keeps a language chosen with the switch (read by every page). */
export const LANG_COOKIE = 'lang';

/** Every HTML page: not cached by shared caches (pages carry CSRF tokens and a chosen language). */
export function htmlResponse(status: number, body: string, extraHeaders: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'same-origin',
      vary: 'Accept-Language, Cookie',
      ...extraHeaders,
    },
    body,
  };
}

/** A redirect after a form post or a switch (303: the browser follows with GET). */
export function redirect(location: string, extraHeaders: Record<string, string> = {}, status = 303): HttpResponse {
  return { status, headers: { location, 'cache-control': 'no-store', 'content-type': 'text/plain; charset=utf-8', ...extraHeaders }, body: '' };
}

/** The first cookie of that name the request carries (the `cookie` package), URL-decoded; absent when its value is not valid percent-encoding. */
export function readCookie(req: HttpRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookie(header, { decode: decodeOrNothing })[name] : undefined;
}

function decodeOrNothing(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Cookies are Secure except when the hub is served over plain http on this machine. */
export function secureCookies(publicUrl: string): boolean {
  try {
    const u = new URL(publicUrl);
    const local = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
    return !(u.protocol === 'http:' && local);
  } catch {
    return true;
  }
}

/** The reader's language: ?lang=, then the switch's cookie, then Accept-Language, then English. */
export function pageLanguage(req: HttpRequest): { lang: Language; t: Translate } {
  const lang = chooseLanguage(req.query.get('lang') ?? readCookie(req, LANG_COOKIE), req.headers['accept-language']);
  return { lang, t: translator(lang) };
}

/** A local path to return to (no scheme, no other host), else undefined. */
export function localPath(raw: string | null | undefined): string | undefined {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\') || raw.length > 2000) return undefined;
  return /[\u0000-\u001f]/.test(raw) ? undefined : raw;
}
