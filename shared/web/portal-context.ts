// What the portal and secretariat routes share: sessions and sign-in built once per app, the page
// view of a request, and a route wrapper that turns any failure into a page (never JSON), checks the
// CSRF token of every post and asks for the right kind of session.
import type { AlertsHttp } from './routes-alerts.ts';
import type { HubContext } from '../app/context.ts';
import type { RegistrationPolicy } from '../app/feed-registry.ts';
import { AuthError } from '../errors.ts';
import type { Handler } from '../http/router.ts';
import { isServerError, type HttpRequest, type HttpResponse } from '../http/types.ts';
import type { Member } from '../model.ts';
import type { DomainVerifier } from '../ports/domain-verifier.ts';
import { parseForm } from './forms.ts';
import { problemPage } from './pages/portal-actions.ts';
import type { View } from './pages/portal-parts.ts';
import { pageLanguage, redirect } from './respond.ts';
import { checkCsrf, clearSessionCookie, csrfTokenFor, derivedKey, secureCookies, SessionCodec, sessionCookie, type Session } from './security.ts';
import { SignInLinks, WebSignIn, type SignedIn } from './sign-in-links.ts';
import type { PollNow } from '../app/poll-runner.ts';
import { isMessageKey } from '../i18n/index.ts';
import type { PublicationIndex } from '../app/publication-index.ts';
// The portal's and the secretariat's messages (loaded with the signed-in pages only).
import '../i18n/portal.ts';

export interface PortalDeps {
  ctx: HubContext;
  signIn: WebSignIn;
  sessions: SessionCodec;
  /** Cookies carry Secure (everywhere but plain http on this machine). */
  secure: boolean;
  verifier: DomainVerifier;
  registration: RegistrationPolicy;
  alerts?: AlertsHttp;
  publicUrl: string;
  /** How "poll every feed now" runs (default: in this process). */
  pollNow?: PollNow;
  /** Publications in memory, for each feed's newest publication (absent: not shown). */
  publications?: PublicationIndex;
}

export interface PortalOptions {
  ctx: HubContext;
  publicUrl: string;
  adminToken: () => string | undefined;
  verifier: DomainVerifier;
  registration: RegistrationPolicy;
  alerts?: AlertsHttp;
  pollNow?: PollNow;
  publications?: PublicationIndex;
}

export function createPortalDeps(o: PortalOptions): PortalDeps {
  const tokens = o.alerts?.ctx.tokens;
  const sessions = new SessionCodec(derivedKey(tokens, 'session'));
  const links = new SignInLinks(derivedKey(tokens, 'sign-in-link'), o.ctx.now, (nonce, expiresAt) => o.ctx.store.useOnce(nonce, expiresAt));
  const signIn = new WebSignIn({ ctx: o.ctx, sessions, links, adminToken: o.adminToken, publicUrl: o.publicUrl });
  return { ctx: o.ctx, signIn, sessions, secure: secureCookies(o.publicUrl), verifier: o.verifier, registration: o.registration, alerts: o.alerts, publicUrl: o.publicUrl, pollNow: o.pollNow, publications: o.publications };
}

export type Nav = 'portal' | 'admin';

export function viewFor(req: HttpRequest, nav: Nav, who: SignedIn | undefined): View {
  const { lang, t } = pageLanguage(req);
  const query = req.query.toString();
  // After a post, the language switch returns to the section's home, which a GET can show.
  const path = req.method === 'GET' ? `${req.path}${query ? `?${query}` : ''}` : `/${nav}`;
  const label = who?.kind === 'admin' ? t('portal.secretariat') : who ? (who.member.acronym ?? who.member.name) : undefined;
  return { lang, t, csrf: csrfTokenFor(req), path, ...(label !== undefined && who && { signedIn: { label, admin: who.kind === 'admin' } }) };
}

export interface PageRequest {
  req: HttpRequest;
  params: Record<string, string>;
  who: SignedIn | undefined;
  view: View;
  /** The posted form (CSRF already checked); empty for GET. */
  form: URLSearchParams;
}

/** A page route: failures become pages; posts are CSRF-checked before anything else happens. */
export function pageRoute(deps: PortalDeps, nav: Nav, handler: (p: PageRequest) => Promise<HttpResponse>): Handler {
  return async (req, params) => {
    let who: SignedIn | undefined;
    try {
      who = await deps.signIn.current(req);
      const form = req.method === 'POST' ? parseForm(req) : new URLSearchParams();
      if (req.method === 'POST') checkCsrf(req, form);
      return await handler({ req, params, who, view: viewFor(req, nav, who), form });
    } catch (err) {
      if (isServerError(err)) deps.ctx.log.error('page failed', { method: req.method, path: req.path, error: err instanceof Error ? err.message : String(err) });
      return problemPage(viewFor(req, nav, who), err, nav);
    }
  };
}

export type MemberPageRequest = PageRequest & { member: Member; keyHash?: string };

/** A member's page: without a member session, a GET shows the sign-in page and a post is refused. */
export function memberRoute(deps: PortalDeps, handler: (p: MemberPageRequest) => Promise<HttpResponse>, signedOut: (p: PageRequest) => Promise<HttpResponse>): Handler {
  return pageRoute(deps, 'portal', async (p) => {
    if (p.who?.kind !== 'member') {
      if (p.req.method === 'GET') return signedOut(p);
      throw new AuthError('unauthenticated', 'Sign in first.');
    }
    return handler({ ...p, member: p.who.member, ...(p.who.keyHash !== undefined && { keyHash: p.who.keyHash }) });
  });
}

/** The secretariat's page: without an admin session, a GET shows the sign-in page and a post is refused. */
export function adminRoute(deps: PortalDeps, handler: (p: PageRequest) => Promise<HttpResponse>, signedOut: (p: PageRequest) => Promise<HttpResponse>): Handler {
  return pageRoute(deps, 'admin', async (p) => {
    if (p.who?.kind !== 'admin') {
      if (p.req.method === 'GET') return signedOut(p);
      throw new AuthError('unauthenticated', 'Sign in first.');
    }
    return handler(p);
  });
}

export async function startSession(deps: PortalDeps, session: Session, location: string): Promise<HttpResponse> {
  return redirect(location, { 'set-cookie': sessionCookie(await deps.sessions.encode(session), deps.secure) });
}

export function endSession(deps: PortalDeps, location: string): HttpResponse {
  return redirect(location, { 'set-cookie': clearSessionCookie(deps.secure) });
}

/** A notice named in the query after a redirect: only known names, in the reader's language. */
export function noticeFrom(v: View, req: HttpRequest, known: readonly string[]): string | undefined {
  const name = req.query.get('notice');
  const key = `portal.notice.${name}`;
  if (!name || !known.includes(name) || !isMessageKey(key)) return undefined;
  const n = Number(req.query.get('n') ?? '0');
  return v.t(key, { n: Number.isInteger(n) && n >= 0 && n < 1e6 ? n : 0 });
}
