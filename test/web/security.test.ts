// Sessions and CSRF for the HTML pages: the codec on its own (tampering, expiry, other keys), the CSRF
// helpers, and then the real hub over loopback: cookie flags, forms refused without a matching token,
// sessions that end when what they name is revoked.
import { randomBytes } from 'node:crypto';
import { parseSetCookie } from 'cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toApiGatewayResult } from '../../shared/http/apigw-adapter.ts';
import { responseCookies, type HttpRequest } from '../../shared/http/types.ts';
import { listField, parseForm, textField } from '../../shared/web/forms.ts';
import { checkCsrf, CsrfError, csrfTokenFor, readCookie, serializeCookie, SESSION_SECONDS, SessionCodec, withCsrfCookie, type Session } from '../../shared/web/security.ts';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.ts';
import { PortalClient, visibleText } from '../helpers/portal-client.ts';

const NOW = new Date('2026-11-02T09:00:00Z');
const key = (b: Buffer) => async () => b;

function request(headers: Record<string, string> = {}): HttpRequest {
  return { method: 'GET', path: '/', query: new URLSearchParams(), headers };
}

describe('session codec', () => {
  const codec = new SessionCodec(key(randomBytes(32)));
  const session: Session = { kind: 'member', memberId: 'ilo', keyId: 'k_0123456789ab', expiresAt: codec.expiry(NOW) };

  it('round-trips a session and ends it after 8 hours', async () => {
    const value = await codec.encode(session);
    expect(await codec.decode(value, NOW)).toEqual(session);
    expect(session.expiresAt - NOW.getTime() / 1000).toBe(SESSION_SECONDS);
    expect(await codec.decode(value, new Date(NOW.getTime() + (SESSION_SECONDS - 1) * 1000))).toEqual(session);
    expect(await codec.decode(value, new Date(NOW.getTime() + SESSION_SECONDS * 1000))).toBeUndefined();
  });

  it('refuses a tampered payload, a forged signature, and a session signed with another key', async () => {
    const value = await codec.encode(session);
    const [, signature] = value.split('.');
    const other = Buffer.from(JSON.stringify({ ...session, memberId: 'unodc' })).toString('base64url');
    expect(await codec.decode(`${other}.${signature}`, NOW)).toBeUndefined();
    const promoted = Buffer.from(JSON.stringify({ kind: 'admin', admin: 'x', expiresAt: session.expiresAt })).toString('base64url');
    expect(await codec.decode(`${promoted}.${signature}`, NOW)).toBeUndefined();
    expect(await codec.decode(`${value.split('.')[0]}.${'A'.repeat(43)}`, NOW)).toBeUndefined();
    expect(await codec.decode(`${value}.extra`, NOW)).toBeUndefined();
    expect(await codec.decode('garbage', NOW)).toBeUndefined();
    const elsewhere = new SessionCodec(key(randomBytes(32)));
    expect(await elsewhere.decode(value, NOW)).toBeUndefined();
  });

  it('names the admin token by a fingerprint that changes with the token and does not contain it', async () => {
    const a = await codec.adminFingerprint(ADMIN_TOKEN);
    expect(a).not.toContain(ADMIN_TOKEN);
    expect(await codec.adminFingerprint(ADMIN_TOKEN)).toBe(a);
    expect(await codec.adminFingerprint(`${ADMIN_TOKEN}x`)).not.toBe(a);
  });
});

describe('CSRF helpers', () => {
  it('makes a token for a visitor without one and sets it on the response, once', () => {
    const req = request();
    const token = csrfTokenFor(req);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(csrfTokenFor(req)).toBe(token);
    const res = withCsrfCookie(req, { status: 200, headers: {}, body: '' }, true);
    expect(res.cookies).toHaveLength(1);
    expect(parseSetCookie(res.cookies![0]!)).toEqual({ name: 'icat_csrf', value: token, path: '/', httpOnly: true, sameSite: 'lax', secure: true });
    const known = request({ cookie: `icat_csrf=${token}` });
    expect(csrfTokenFor(known)).toBe(token);
    expect(withCsrfCookie(known, { status: 200, headers: {}, body: '' }, true).cookies).toBeUndefined();
  });

  it('sets the CSRF cookie beside a cookie the page sets itself (a session), not instead of it', () => {
    const req = request();
    const token = csrfTokenFor(req);
    const signedIn = { status: 200, headers: { 'set-cookie': 'icat_session=s; Path=/' }, body: '' };
    const res = withCsrfCookie(req, signedIn, true);
    expect(responseCookies(res)).toHaveLength(2);
    expect(responseCookies(res)[0]).toBe('icat_session=s; Path=/');
    expect(parseSetCookie(responseCookies(res)[1]!)).toEqual({ name: 'icat_csrf', value: token, path: '/', httpOnly: true, sameSite: 'lax', secure: true });
    expect(toApiGatewayResult(res).cookies).toEqual(responseCookies(res));
  });

  it('accepts a form repeating the cookie, and refuses a missing, different or cross-site one', () => {
    const token = 'a'.repeat(32);
    const form = (v?: string) => new URLSearchParams(v === undefined ? '' : `csrf=${v}`);
    expect(() => checkCsrf(request({ cookie: `icat_csrf=${token}` }), form(token))).not.toThrow();
    expect(() => checkCsrf(request({ cookie: `icat_csrf=${token}`, 'x-csrf-token': token }), form())).not.toThrow();
    expect(() => checkCsrf(request({ cookie: `icat_csrf=${token}` }), form())).toThrow(CsrfError);
    expect(() => checkCsrf(request({ cookie: `icat_csrf=${token}` }), form('b'.repeat(32)))).toThrow(CsrfError);
    expect(() => checkCsrf(request(), form(token))).toThrow(CsrfError);
    expect(() => checkCsrf(request({ cookie: `icat_csrf=${token}`, 'sec-fetch-site': 'cross-site' }), form(token))).toThrow(CsrfError);
  });
});

describe('cookies', () => {
  it('reads the first cookie of a name, URL-decoded, spaces around it ignored, a malformed value absent', () => {
    const req = request({ cookie: 'a=1;  lang = es ; icat_csrf=x%2Fy%3D; lang=fr; bad=%E0%A4%A' });
    expect(readCookie(req, 'lang')).toBe('es');
    expect(readCookie(req, 'icat_csrf')).toBe('x/y=');
    expect(readCookie(req, 'bad')).toBeUndefined();
    expect(readCookie(req, 'missing')).toBeUndefined();
    expect(readCookie(req, 'constructor')).toBeUndefined();
    expect(readCookie(request(), 'lang')).toBeUndefined();
  });

  it('writes HttpOnly, Path=/, the SameSite given, Secure when asked, a lifetime when given, the value encoded', () => {
    expect(parseSetCookie(serializeCookie('lang', 'es; x', { sameSite: 'Lax', secure: false, maxAgeSeconds: 60 }))).toEqual({ name: 'lang', value: 'es; x', path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60 });
    expect(serializeCookie('lang', 'es; x', { sameSite: 'Lax', secure: false })).toMatch(/^lang=es%3B%20x;/);
    expect(parseSetCookie(serializeCookie('icat_session', '', { sameSite: 'Strict', secure: true, maxAgeSeconds: 0 }))).toEqual({ name: 'icat_session', value: '', path: '/', httpOnly: true, sameSite: 'strict', secure: true, maxAge: 0 });
  });
});

describe('form bodies', () => {
  const post = (body: string, type = 'application/x-www-form-urlencoded'): HttpRequest => ({ method: 'POST', path: '/', query: new URLSearchParams(), headers: { 'content-type': type }, body });
  const codeOf = (f: () => unknown) => {
    try {
      f();
      return undefined;
    } catch (err) {
      return (err as { code?: string }).code;
    }
  };

  it('reads fields as names and values only, cleaned and trimmed', () => {
    const form = parseForm(post('__proto__=x&constructor=y&name=%20Ana%00%07%20&domains=a.org%2C%20b.org%0Aa.org%3B%3Bc.org'));
    expect(form.get('__proto__')).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(textField(form, 'name')).toBe('Ana');
    expect(textField(form, 'missing')).toBe('');
    expect(listField(form, 'domains')).toEqual(['a.org', 'b.org', 'c.org']);
    expect([...parseForm({ ...post(''), body: undefined, headers: {} })]).toEqual([]);
  });

  it('refuses another content type, a large body, too many fields and a very long value', () => {
    expect(codeOf(() => parseForm(post('{"a":1}', 'application/json')))).toBe('unsupported_media_type');
    expect(codeOf(() => parseForm(post(`a=${'x'.repeat(65 * 1024)}`)))).toBe('body_too_large');
    expect(codeOf(() => parseForm(post(Array.from({ length: 201 }, (_, i) => `f${i}=1`).join('&'))))).toBe('too_many_fields');
    expect(codeOf(() => parseForm(post(`a=${'x'.repeat(10_001)}`)))).toBe('field_too_long');
  });
});

describe('sessions and CSRF on the running hub', () => {
  let hub: TestHub;
  let apiKey: string;

  beforeAll(async () => {
    // In process: a test below changes the admin token in the running hub's configuration, which the
    // functions of the Lambda topology read once at init (as they read the secret, cached, in AWS).
    hub = await startTestHub({ PUBLIC_RATE_LIMIT: '0' }, { topology: 'in-process' });
    apiKey = (await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id: 'ilo', name: 'International Labour Organization', acronym: 'ILO', email: 'feeds@ilo.example' } })).json.api_key;
  });
  afterAll(() => hub?.close());

  it('sets HttpOnly cookies: the CSRF one Lax, the session one Strict for 8 hours, not Secure on http://localhost', async () => {
    const c = new PortalClient(hub.url);
    const first = await c.visit();
    expect(first.setCookies).toHaveLength(1);
    expect(parseSetCookie(first.setCookies[0]!)).toEqual({ name: 'icat_csrf', value: expect.stringMatching(/^[\w-]{32}$/), path: '/', httpOnly: true, sameSite: 'lax' });
    const signedIn = await c.post('/portal/sign-in', { key: apiKey });
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe('/portal');
    expect(signedIn.setCookies).toHaveLength(1);
    expect(parseSetCookie(signedIn.setCookies[0]!)).toEqual({ name: 'icat_session', value: expect.stringMatching(/^[\w-]+\.[\w-]+$/), path: '/', httpOnly: true, sameSite: 'strict', maxAge: 28800 });
    expect(signedIn.setCookies[0]).not.toContain(apiKey);
    const out = await c.post('/portal/sign-out');
    expect(parseSetCookie(out.setCookies[0]!)).toEqual({ name: 'icat_session', value: '', path: '/', httpOnly: true, sameSite: 'strict', maxAge: 0 });
    expect(visibleText((await c.get('/portal')).text)).toContain('With your API key');
  });

  it('refuses a form without the CSRF token, with another one, or from another site: 403 page, nothing done', async () => {
    const c = new PortalClient(hub.url);
    await c.visit();
    for (const attempt of [
      () => c.post('/portal/sign-in', { key: apiKey }, { csrf: false }),
      () => c.post('/portal/sign-in', { key: apiKey }, { csrf: 'x'.repeat(32) }),
      () => c.post('/portal/sign-in', { key: apiKey }, { headers: { 'sec-fetch-site': 'cross-site' } }),
    ]) {
      const res = await attempt();
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(visibleText(res.text)).toContain('The form has expired');
      expect(res.setCookies.some((s) => s.startsWith('icat_session='))).toBe(false);
    }
    // Signed in, a change without the token changes nothing.
    await c.post('/portal/sign-in', { key: apiKey });
    const refused = await c.post('/portal/domains', { domain: 'ilo.example' }, { csrf: false });
    expect(refused.status).toBe(403);
    expect((await hub.api('GET', '/api/members/me', { token: apiKey })).json.domains).toEqual([]);
  });

  it('treats a tampered session cookie as no session', async () => {
    const c = new PortalClient(hub.url);
    await c.visit();
    await c.post('/portal/sign-in', { key: apiKey });
    const [payload, signature] = c.cookies.get('icat_session')!.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    c.cookies.set('icat_session', `${Buffer.from(JSON.stringify({ ...claims, memberId: 'unodc' })).toString('base64url')}.${signature}`);
    expect(visibleText((await c.get('/portal')).text)).toContain('With your API key');
    const post = await c.post('/portal/domains', { domain: 'ilo.example' });
    expect(post.status).toBe(401);
    c.cookies.set('icat_session', `${Buffer.from(JSON.stringify({ kind: 'admin', admin: 'x', expiresAt: claims.expiresAt })).toString('base64url')}.${signature}`);
    expect(visibleText((await c.get('/admin')).text)).toContain('Admin token');
  });

  it('ends a key session when the key is revoked, and an admin session when the admin token changes', async () => {
    const c = new PortalClient(hub.url);
    await c.visit();
    await c.post('/portal/sign-in', { key: apiKey });
    expect(visibleText((await c.get('/portal')).text)).toContain('Signed in for International Labour Organization (ILO)');
    const rotated = await hub.api('POST', '/api/members/me/keys', { token: apiKey });
    apiKey = rotated.json.api_key;
    expect(visibleText((await c.get('/portal')).text)).toContain('With your API key');

    const a = new PortalClient(hub.url);
    await a.visit('/admin');
    expect((await a.post('/admin/sign-in', { token: 'not-the-token-at-all' })).status).toBe(401);
    expect((await a.post('/admin/sign-in', { token: ADMIN_TOKEN })).status).toBe(303);
    expect(visibleText((await a.get('/admin')).text)).toContain('At a glance');
    const config = hub.runtime.config as { adminToken: string };
    const before = config.adminToken;
    config.adminToken = `${before}-changed`;
    try {
      expect(visibleText((await a.get('/admin')).text)).toContain('Admin token');
    } finally {
      config.adminToken = before;
    }
  });

  it('answers an oversized form with a page, not a crash', async () => {
    const c = new PortalClient(hub.url);
    await c.visit();
    const res = await c.post('/portal/sign-in', { key: 'x'.repeat(9_000), pad: 'y'.repeat(9_000), more: Array.from({ length: 8 }, () => 'z'.repeat(9_000)) });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('marks cookies Secure when the hub is not on this machine over http', async () => {
    const remote = await startTestHub({ PUBLIC_RATE_LIMIT: '0', PUBLIC_URL: 'https://hub.example.org' });
    try {
      const c = new PortalClient(remote.url);
      expect(parseSetCookie((await c.visit()).setCookies[0]!)).toMatchObject({ name: 'icat_csrf', httpOnly: true, sameSite: 'lax', secure: true });
      const signedIn = await c.post('/admin/sign-in', { token: ADMIN_TOKEN });
      expect(parseSetCookie(signedIn.setCookies[0]!)).toMatchObject({ name: 'icat_session', httpOnly: true, sameSite: 'strict', secure: true, maxAge: 28800 });
    } finally {
      await remote.close();
    }
  });
});
