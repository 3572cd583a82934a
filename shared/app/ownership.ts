// Which feeds need approval: a feed whose host is one of the member's verified domains (or a
// subdomain of one) is accepted at once; any other is held as `pending` until the member verifies the
// domain or an admin approves the feed. Pending feeds are polled for validation; their items are not
// published.
import type { FeedStatus, Member } from '../model.ts';

export function hostOfUrl(url: string): string {
  return new URL(url).hostname.toLowerCase().replace(/\.$/, '');
}

/** True when `host` is `domain` or one of its subdomains. */
export function hostWithin(host: string, domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, '');
  return host === d || host.endsWith(`.${d}`);
}

export function verifiedDomainFor(member: Member, url: string): string | undefined {
  const host = hostOfUrl(url);
  return member.domains?.find((d) => d.verifiedAt && hostWithin(host, d.domain))?.domain;
}

export interface Ownership {
  status: Extract<FeedStatus, 'ok' | 'pending'>;
  /** For a pending feed: what the member can do about it. */
  reason?: string;
}

export function ownershipOf(member: Member, url: string): Ownership {
  if (verifiedDomainFor(member, url)) return { status: 'ok' };
  const host = hostOfUrl(url);
  return {
    status: 'pending',
    reason: `${host} is not one of your verified domains. Verify it (POST /api/members/me/domains) or ask the ICAT secretariat to approve this feed; until then it is checked but its items are not published.`,
  };
}
