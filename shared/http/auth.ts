// Who is calling: the admin (bearer ADMIN_TOKEN) or a member (bearer API key).
import { AuthError } from '../errors.ts';
import type { Member } from '../model.ts';
import type { MemberStore } from '../ports/store.ts';
import { memberForKey, safeEqual } from '../app/members.ts';
import type { HttpRequest } from './types.ts';

export interface Caller {
  admin: boolean;
  member?: Member;
  memberId?: string;
  /** Hash of the API key the member called with (to rotate it). */
  keyHash?: string;
}

export function bearer(req: HttpRequest): string | undefined {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1];
}

export class Authenticator {
  constructor(
    private readonly store: MemberStore,
    private readonly adminToken: () => string | undefined,
  ) {}

  async caller(req: HttpRequest): Promise<Caller> {
    const token = bearer(req);
    if (!token) throw new AuthError('unauthenticated', 'Send an API key or the admin token as "Authorization: Bearer ...".');
    const admin = this.adminToken();
    if (admin && safeEqual(token, admin)) return { admin: true };
    const { member, keyHash } = await memberForKey(this.store, token);
    return { admin: false, member, memberId: member.id, keyHash };
  }

  async admin(req: HttpRequest): Promise<Caller> {
    const c = await this.caller(req);
    if (!c.admin) throw new AuthError('forbidden', 'This needs the admin token.');
    return c;
  }

  async member(req: HttpRequest): Promise<Caller & { member: Member; memberId: string }> {
    const c = await this.caller(req);
    if (!c.member || !c.memberId) throw new AuthError('forbidden', 'This needs a member API key.');
    return c as Caller & { member: Member; memberId: string };
  }
}
