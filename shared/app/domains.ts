// Proving that a member controls a domain: the hub gives a token; the member publishes it at
// https://{domain}/.well-known/icat-hub-verification.txt or in a DNS TXT record at
// _icat-hub-verification.{domain}; the hub checks, and then releases the member's pending feeds on
// that domain. The secretariat can also vouch for a domain (method "admin").
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { Feed, Member, MemberDomain } from '../model.ts';
import type { DomainVerifier } from '../ports/domain-verifier.ts';
import type { HubContext } from './context.ts';
import { hostOfUrl, hostWithin } from './ownership.ts';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function normaliseDomain(raw: unknown): string {
  const d = typeof raw === 'string' ? raw.trim().toLowerCase().replace(/\.$/, '') : '';
  const valid = d.length <= 253 && (isIP(d) !== 0 || (d.includes('.') && d.split('.').every((l) => LABEL.test(l))));
  if (!valid) throw new ValidationError('invalid_domain', `"${String(raw).slice(0, 100)}" is not a domain name (like unodc.org).`);
  return d;
}

export const txtName = (domain: string) => `_icat-hub-verification.${domain}`;

export function instructions(ctxUrl: string | undefined, d: MemberDomain) {
  return {
    domain: d.domain,
    token: d.token,
    verified: !!d.verifiedAt,
    verified_at: d.verifiedAt ?? null,
    method: d.method ?? null,
    how: {
      well_known: { url: `https://${d.domain}/.well-known/icat-hub-verification.txt`, content: d.token },
      dns_txt: { name: txtName(d.domain), value: d.token },
      then: `POST ${ctxUrl ?? ''}/api/members/me/domains/${d.domain}/verify`,
    },
  };
}

/** Starts (or repeats) a verification; the same unverified domain keeps its token. */
export async function requestDomain(ctx: HubContext, member: Member, raw: unknown): Promise<MemberDomain> {
  const domain = normaliseDomain(raw);
  const existing = member.domains?.find((d) => d.domain === domain);
  if (existing) return existing;
  if ((member.domains?.length ?? 0) >= 20) throw new ConflictError('too_many_domains', 'A member can have at most 20 domains.');
  const entry: MemberDomain = { domain, token: `icat-hub-verification=${randomBytes(18).toString('base64url')}`, requestedAt: ctx.now().toISOString() };
  await ctx.store.saveMember({ ...member, domains: [...(member.domains ?? []), entry] });
  return entry;
}

/** Checks the well-known file, then DNS; on success marks the domain verified and releases pending feeds. */
export async function verifyDomain(ctx: HubContext, verifier: DomainVerifier, member: Member, raw: unknown): Promise<{ domain: MemberDomain; released: Feed[] }> {
  const domain = normaliseDomain(raw);
  const entry = member.domains?.find((d) => d.domain === domain);
  if (!entry) throw new NotFoundError(`Ask for a token for ${domain} first (POST /api/members/me/domains).`, 'domain_not_requested');
  if (entry.verifiedAt) return { domain: entry, released: [] };
  let method: MemberDomain['method'];
  if ((await verifier.wellKnown(domain))?.split(/\s+/).includes(entry.token)) method = 'well-known';
  else if ((await verifier.txt(txtName(domain))).some((t) => t.trim() === entry.token)) method = 'dns';
  if (!method) {
    throw new ValidationError(
      'domain_not_verified',
      `The token was found neither at https://${domain}/.well-known/icat-hub-verification.txt nor in a TXT record at ${txtName(domain)}. Publish it in one of them and try again (DNS changes can take a while).`,
    );
  }
  return markVerified(ctx, member, domain, method);
}

/** Records a verified domain (also used when the secretariat vouches for one) and releases pending feeds on it. */
export async function markVerified(ctx: HubContext, member: Member, raw: unknown, method: NonNullable<MemberDomain['method']>): Promise<{ domain: MemberDomain; released: Feed[] }> {
  const domain = normaliseDomain(raw);
  const now = ctx.now().toISOString();
  const others = (member.domains ?? []).filter((d) => d.domain !== domain);
  const prior = member.domains?.find((d) => d.domain === domain);
  const entry: MemberDomain = { domain, token: prior?.token ?? '', requestedAt: prior?.requestedAt ?? now, verifiedAt: prior?.verifiedAt ?? now, method: prior?.method ?? method };
  await ctx.store.saveMember({ ...member, domains: [...others, entry] });
  const released: Feed[] = [];
  for (const feed of await ctx.store.listFeeds({ memberId: member.id })) {
    if (feed.removed || !feed.pendingReason || !hostWithin(hostOfUrl(feed.url), domain)) continue;
    released.push(await approveFeed(ctx, feed));
  }
  ctx.log.info('domain verified', { member_id: member.id, domain, method: entry.method, released_count: released.length });
  return { domain: entry, released };
}

/** Lets a pending feed publish; it is polled at the next tick. */
export async function approveFeed(ctx: HubContext, feed: Feed): Promise<Feed> {
  if (!feed.pendingReason) return feed;
  const approved: Feed = {
    ...feed,
    pendingReason: undefined,
    status: feed.status === 'pending' ? 'ok' : feed.status,
    pausedFrom: feed.pausedFrom === 'pending' ? 'ok' : feed.pausedFrom,
    // Fetch it in full again: a 304 would skip the items it was holding back.
    etag: undefined,
    lastModified: undefined,
    nextPollAt: ctx.now().toISOString(),
  };
  await ctx.store.saveFeed(approved);
  return approved;
}
