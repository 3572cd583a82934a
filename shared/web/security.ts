// Cookies, CSRF protection and signed sessions for the HTML pages.
//
// CSRF: double submit. A random value lives in an HttpOnly, SameSite=Lax cookie (`icat_csrf`) and is
// repeated in every state-changing form as the hidden field `csrf` (or the `x-csrf-token` header for
// same-origin scripts); a post whose two values differ, or that the browser marks as cross-site
// (Sec-Fetch-Site), is refused. A cross-site page can neither read the cookie nor make the browser send
// it with a cross-site POST, so it cannot produce a matching pair.
//
//   page:  renderPage({ ..., csrfToken: csrfTokenFor(req) })  and  <input type="hidden" name="csrf" value="...">
//   post:  checkCsrf(req, parseForm(req))  (throws CsrfError, a 403)
//   app:   withCsrfCookie(req, res, secure) sets the cookie when csrfTokenFor had to make one.
//
// Sessions: a cookie holding the session as base64url JSON and its HMAC-SHA256 (key derived from
// TOKEN_SECRET), HttpOnly, SameSite=Strict, Path=/, Secure unless the hub runs on this machine over
// http, valid 8 hours from sign-in. Nothing is kept on the server; a session names the key it signed in
// with, so revoking that key (or changing the admin token) ends it.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { stringifySetCookie } from 'cookie';
import { AuthError } from '../errors.ts';
import { responseCookies, withCookie, type HttpRequest, type HttpResponse } from '../http/types.ts';
import { readCookie } from './respond.ts';

// Cookies are Secure unless PUBLIC_URL is plain http on this machine: respond.ts `secureCookies`.
export { readCookie, secureCookies } from './respond.ts';

export const SESSION_COOKIE = 'icat_session';
export const CSRF_COOKIE = 'icat_csrf';
export const CSRF_FIELD = 'csrf';
export const SESSION_SECONDS = 8 * 3600;

const CSRF_VALUE = /^[A-Za-z0-9_-]{32}$/;

export interface CookieOptions {
  sameSite: 'Strict' | 'Lax';
  secure: boolean;
  /** Absent: a browser-session cookie. 0: delete it. */
  maxAgeSeconds?: number;
}

/** A Set-Cookie value (the `cookie` package): Path=/, HttpOnly, the SameSite given, Secure when asked; the value URL-encoded. */
export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  return stringifySetCookie(name, value, {
    path: '/',
    httpOnly: true,
    sameSite: o.sameSite === 'Strict' ? 'strict' : 'lax',
    secure: o.secure,
    ...(o.maxAgeSeconds !== undefined && { maxAge: o.maxAgeSeconds }),
  });
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// ---- CSRF ----

// A value made during a request without a CSRF cookie, so the response can set it (withCsrfCookie).
const minted = new WeakMap<HttpRequest, string>();

/** The CSRF token to put in this request's forms: the visitor's cookie value, or a new one. */
export function csrfTokenFor(req: HttpRequest): string {
  const existing = readCookie(req, CSRF_COOKIE);
  if (existing && CSRF_VALUE.test(existing)) return existing;
  let value = minted.get(req);
  if (!value) {
    value = randomBytes(24).toString('base64url');
    minted.set(req, value);
  }
  return value;
}

export class CsrfError extends AuthError {
  constructor() {
    super('forbidden', 'This form could not be accepted: it was not sent from this site\'s own page, or the page was too old. Go back, reload the page and try again.');
  }
}

/** Throws CsrfError unless the form (or x-csrf-token header) repeats the visitor's CSRF cookie. */
export function checkCsrf(req: HttpRequest, form: URLSearchParams): void {
  if (req.headers['sec-fetch-site'] === 'cross-site') throw new CsrfError();
  const cookie = readCookie(req, CSRF_COOKIE);
  const given = form.get(CSRF_FIELD) ?? req.headers['x-csrf-token'];
  if (!cookie || !given || !CSRF_VALUE.test(cookie) || !safeEqual(cookie, given)) throw new CsrfError();
}

/** Sets the CSRF cookie on the response when this request needed a new one, beside any other cookie it sets. */
export function withCsrfCookie(req: HttpRequest, res: HttpResponse, secure: boolean): HttpResponse {
  const value = minted.get(req);
  if (!value || responseCookies(res).some((c) => c.startsWith(`${CSRF_COOKIE}=`))) return res;
  return withCookie(res, serializeCookie(CSRF_COOKIE, value, { sameSite: 'Lax', secure }));
}

// ---- Sessions ----

export type Session =
  | { kind: 'admin'; /** fingerprint of the admin token signed in with */ admin: string; expiresAt: number }
  | { kind: 'member'; memberId: string; /** the API key signed in with; absent for a mailed link */ keyId?: string; expiresAt: number };

/** A secret key, read once (TOKEN_SECRET may come from Secrets Manager). */
export type KeySource = () => Promise<Buffer>;

/**
 * A key for `label`, derived from TOKEN_SECRET through the alerts' token service: the HMAC of a label
 * that holds no "@" can never equal the key of an address. Without the token service (no alerts), a
 * random key for this process: sessions and links then end when it stops.
 */
export function derivedKey(tokens: { addressId(value: string): Promise<string> } | undefined, label: string): KeySource {
  let key: Promise<Buffer> | undefined;
  return () => {
    key ??= tokens ? tokens.addressId(`icat-hub/web/${label}`).then((hex) => Buffer.from(hex, 'hex')) : Promise.resolve(randomBytes(32));
    key.catch(() => (key = undefined));
    return key;
  };
}

export const hmac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest('base64url');

export class SessionCodec {
  constructor(private readonly key: KeySource) {}

  async encode(session: Session): Promise<string> {
    const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
    return `${payload}.${hmac(await this.key(), `session\n${payload}`)}`;
  }

  /** The session in a cookie value, when it is genuine and unexpired; undefined otherwise. */
  async decode(value: string | undefined, now: Date): Promise<Session | undefined> {
    if (!value || value.length > 1024) return undefined;
    const [payload, signature, extra] = value.split('.');
    if (!payload || !signature || extra !== undefined) return undefined;
    if (!safeEqual(signature, hmac(await this.key(), `session\n${payload}`))) return undefined;
    let s: Partial<Record<string, unknown>>;
    try {
      s = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    if (typeof s.expiresAt !== 'number' || s.expiresAt * 1000 <= now.getTime()) return undefined;
    if (s.kind === 'admin' && typeof s.admin === 'string') return { kind: 'admin', admin: s.admin, expiresAt: s.expiresAt };
    if (s.kind === 'member' && typeof s.memberId === 'string' && (s.keyId === undefined || typeof s.keyId === 'string')) {
      return { kind: 'member', memberId: s.memberId, ...(typeof s.keyId === 'string' && { keyId: s.keyId }), expiresAt: s.expiresAt };
    }
    return undefined;
  }

  /** Names the admin token in a session without revealing it; changes when the token changes. */
  async adminFingerprint(adminToken: string): Promise<string> {
    return hmac(await this.key(), `admin\n${adminToken}`).slice(0, 22);
  }

  expiry(now: Date): number {
    return Math.floor(now.getTime() / 1000) + SESSION_SECONDS;
  }
}

export function sessionCookie(value: string, secure: boolean): string {
  return serializeCookie(SESSION_COOKIE, value, { sameSite: 'Strict', secure, maxAgeSeconds: SESSION_SECONDS });
}

export function clearSessionCookie(secure: boolean): string {
  return serializeCookie(SESSION_COOKIE, '', { sameSite: 'Strict', secure, maxAgeSeconds: 0 });
}
