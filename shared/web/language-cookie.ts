// A page asked for in a language (`?lang=fr`, as the language links and shared URLs carry it) keeps
// that language for what follows: the forms it posts and the pages after it, as /language does.
import { responseCookies, withCookie, type HttpRequest, type HttpResponse } from '../http/types.ts';
import { supportedLanguage } from '../i18n/languages.ts';
import { LANG_COOKIE, readCookie } from './respond.ts';
import { serializeCookie } from './security.ts';

const YEAR_SECONDS = 365 * 86_400;

export function rememberLanguage(req: HttpRequest, res: HttpResponse, secure: boolean): HttpResponse {
  const asked = supportedLanguage(req.query.get('lang'));
  if (!asked || readCookie(req, LANG_COOKIE) === asked || !(res.headers['content-type'] ?? '').startsWith('text/html')) return res;
  if (responseCookies(res).some((c) => c.startsWith(`${LANG_COOKIE}=`))) return res;
  return withCookie(res, serializeCookie(LANG_COOKIE, asked, { sameSite: 'Lax', secure, maxAgeSeconds: YEAR_SECONDS }));
}
