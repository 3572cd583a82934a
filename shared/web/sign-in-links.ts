// Signing in to the member portal and the secretariat pages.
//
// - A member signs in with one of its API keys, or with a link mailed to its registered contact
//   address: the link works once, for 15 minutes, and the answer to the request is the same whether
//   or not the address belongs to a member (and at most three links go to one member per 15 minutes).
// - The secretariat signs in with the admin token.
// A session is then a signed cookie (security.ts); each request checks that what it names still
// holds: the member is active and, for a key sign-in, the key has not been revoked or replaced.
import { randomBytes } from 'node:crypto';
import { normaliseAddress } from '../alerts/address.ts';
import type { HubContext } from '../app/context.ts';
import { keyIdOf, memberForKey } from '../app/members.ts';
import { AuthError, ValidationError } from '../errors.ts';
import { RateLimiter } from '../http/rate-limit.ts';
import type { HttpRequest } from '../http/types.ts';
import type { Member } from '../model.ts';
import { translator, type Language } from '../i18n/index.ts';
import { hmac, readCookie, safeEqual, SESSION_COOKIE, type KeySource, type Session, type SessionCodec } from './security.ts';
// The portal's and the secretariat's messages (loaded with the signed-in pages only).
import '../i18n/portal.ts';

export const SIGN_IN_LINK_SECONDS = 15 * 60;

/**
 * Single-use sign-in links. A link is "<member>.<expiry>.<nonce>.<signature>": the signature proves
 * the hub made it, and its use is recorded in the table (a conditional write), so it works once
 * whichever process (or Lambda instance) it reaches, restarts included.
 */
export class SignInLinks {
  constructor(
    private readonly key: KeySource,
    private readonly now: () => Date,
    private readonly useOnce: (nonce: string, expiresAt: string) => Promise<boolean>,
  ) {}

  async create(memberId: string): Promise<string> {
    const nowMs = this.now().getTime();
    const nonce = randomBytes(18).toString('base64url');
    const expiresAt = Math.floor(nowMs / 1000) + SIGN_IN_LINK_SECONDS;
    const payload = `${memberId}.${expiresAt.toString(36)}.${nonce}`;
    return `${payload}.${hmac(await this.key(), `sign-in\n${payload}`)}`;
  }

  /** The member id of a genuine, unexpired, unused link; the link is used up. ValidationError otherwise. */
  async redeem(token: unknown): Promise<string> {
    const parts = typeof token === 'string' && token.length <= 300 ? token.split('.') : [];
    const [memberId, expiry, nonce, signature] = parts;
    const payload = parts.slice(0, 3).join('.');
    if (parts.length !== 4 || !memberId || !expiry || !nonce || !signature || !safeEqual(signature, hmac(await this.key(), `sign-in\n${payload}`))) {
      throw new ValidationError('invalid_link', 'This sign-in link is not valid. Check that it was copied whole, or ask for a new one.');
    }
    if (parseInt(expiry, 36) * 1000 <= this.now().getTime()) throw new ValidationError('expired_link', 'This sign-in link has expired. Ask for a new one.');
    if (!(await this.useOnce(`sign-in:${nonce}`, new Date(parseInt(expiry, 36) * 1000).toISOString())))
      throw new ValidationError('used_link', 'This sign-in link has already been used. Ask for a new one.');
    return memberId;
  }
}

/** Who a request is signed in as, checked against the store on every request. */
export type SignedIn = { kind: 'admin' } | { kind: 'member'; member: Member; keyHash?: string };

export interface WebSignInOptions {
  ctx: HubContext;
  sessions: SessionCodec;
  links: SignInLinks;
  adminToken: () => string | undefined;
  publicUrl: string;
}

export class WebSignIn {
  // Sign-in mails per member: enough to retry, too few to flood a contact address.
  private readonly mailBudget: RateLimiter;

  constructor(private readonly o: WebSignInOptions) {
    this.mailBudget = new RateLimiter({ limit: 3, windowSeconds: SIGN_IN_LINK_SECONDS, now: () => o.ctx.now().getTime() });
  }

  async current(req: HttpRequest): Promise<SignedIn | undefined> {
    const session = await this.o.sessions.decode(readCookie(req, SESSION_COOKIE), this.o.ctx.now());
    if (!session) return undefined;
    if (session.kind === 'admin') {
      const token = this.o.adminToken();
      return token && safeEqual(session.admin, await this.o.sessions.adminFingerprint(token)) ? { kind: 'admin' } : undefined;
    }
    const member = await this.o.ctx.store.getMember(session.memberId);
    if (!member?.active) return undefined;
    if (session.keyId === undefined) return { kind: 'member', member };
    const key = member.keys?.find((k) => k.id === session.keyId);
    return key ? { kind: 'member', member, keyHash: key.hash } : undefined;
  }

  async withKey(rawKey: string): Promise<Session> {
    const { member, keyHash } = await memberForKey(this.o.ctx.store, rawKey.trim());
    return this.memberSession(member.id, keyIdOf(keyHash));
  }

  async asAdmin(rawToken: string): Promise<Session> {
    const token = this.o.adminToken();
    if (!token || !safeEqual(rawToken.trim(), token)) throw new AuthError('unauthenticated', 'This is not the admin token.');
    return { kind: 'admin', admin: await this.o.sessions.adminFingerprint(token), expiresAt: this.o.sessions.expiry(this.o.ctx.now()) };
  }

  async withLink(token: unknown): Promise<Session> {
    const member = await this.o.ctx.store.getMember(await this.o.links.redeem(token));
    if (!member?.active) throw new ValidationError('invalid_link', 'This sign-in link is not valid. Ask for a new one.');
    return this.memberSession(member.id);
  }

  memberSession(memberId: string, keyId?: string): Session {
    return { kind: 'member', memberId, ...(keyId !== undefined && { keyId }), expiresAt: this.o.sessions.expiry(this.o.ctx.now()) };
  }

  /**
   * Mails a sign-in link when `rawEmail` is an active member's contact address. Says nothing either
   * way: the caller shows the same page whatever happened. Throws only for a malformed address.
   */
  async mailLink(rawEmail: unknown, lang: Language): Promise<void> {
    const { ctx } = this.o;
    const email = normaliseAddress(rawEmail);
    const member = (await ctx.store.listMembers()).find((m) => m.active && m.email && sameAddress(m.email, email));
    if (!member || !ctx.mailer) {
      ctx.log.info('sign-in link not sent', { reason: member ? 'no_mailer' : 'unknown_address' });
      return;
    }
    if (!this.mailBudget.take(member.id).allowed) {
      ctx.log.warn('sign-in link not sent', { reason: 'too_many_requests', member_id: member.id });
      return;
    }
    const t = translator(lang);
    const link = `${this.o.publicUrl.replace(/\/$/, '')}/portal/sign-in/link?token=${await this.o.links.create(member.id)}`;
    const text = t('signin.mail.body', { name: member.acronym ?? member.name, link, minutes: SIGN_IN_LINK_SECONDS / 60 });
    const now = ctx.now();
    const host = new URL(this.o.publicUrl).hostname;
    try {
      await ctx.mailer.send({
        from: ctx.mailFrom ?? `ICAT Syndication Hub <no-reply@${host}>`,
        to: member.email!,
        subject: t('signin.mail.subject'),
        text,
        html: `<p>${text.split('\n\n').map(escapeMail).join('</p>\n<p>')}</p>`,
        messageId: `<sign-in.${randomBytes(12).toString('hex')}@${host}>`,
        date: now,
        headers: {},
      });
      ctx.log.info('sign-in link sent', { member_id: member.id });
    } catch (err) {
      ctx.log.error('sign-in link could not be sent', { member_id: member.id, error: (err as Error).message });
    }
  }
}

function sameAddress(stored: string, given: string): boolean {
  try {
    return normaliseAddress(stored) === given;
  } catch {
    return false;
  }
}

// Links become clickable; everything else is text.
function escapeMail(paragraph: string): string {
  const esc = paragraph.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return esc.replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`).replace(/\n/g, '<br>');
}
