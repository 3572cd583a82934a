// Members and their API keys. Keys are shown once and stored only as SHA-256 hashes.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ICAT_MEMBERS } from '../data/members.ts';
import { AuthError, ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { Member } from '../model.ts';
import type { MemberStore } from '../ports/store.ts';

export const MEMBER_ID = /^[a-z0-9][a-z0-9-]{1,39}$/;
const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]{2,}$/;

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function newApiKey(): string {
  return `ihk_${randomBytes(32).toString('base64url')}`;
}

export function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/** Writes the shipped membership list; existing members are left as they are. Returns how many were added. */
export async function seedMembers(store: MemberStore, now: string): Promise<number> {
  let added = 0;
  for (const m of ICAT_MEMBERS) {
    const member: Member = {
      id: m.id,
      name: m.name,
      acronym: m.acronym,
      website: m.website,
      candidateFeeds: (m.candidateFeeds ?? []).map((url) => ({ url, verified: false as const })),
      createdAt: now,
      active: false,
    };
    if (await store.createMember(member)) added += 1;
  }
  return added;
}

export interface NewMemberInput {
  id?: unknown;
  name?: unknown;
  email?: unknown;
  acronym?: unknown;
  website?: unknown;
}

function validateMember(input: NewMemberInput) {
  const problems: string[] = [];
  const id = typeof input.id === 'string' ? input.id.trim().toLowerCase() : '';
  if (!MEMBER_ID.test(id)) problems.push('id: 2-40 characters, lowercase letters, digits and hyphens, starting with a letter or digit');
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length < 2 || name.length > 200) problems.push('name: 2-200 characters');
  const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
  if (!EMAIL.test(email) || email.length > 254) problems.push('email: a valid contact address for notices about the member\'s feeds');
  const acronym = typeof input.acronym === 'string' && input.acronym.trim() ? input.acronym.trim().slice(0, 40) : undefined;
  let website: string | undefined;
  if (typeof input.website === 'string' && input.website.trim()) {
    try {
      const u = new URL(input.website.trim());
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error();
      website = u.toString();
    } catch {
      problems.push('website: an http(s) URL');
    }
  }
  if (problems.length > 0) throw new ValidationError('invalid_member', `The member is not valid: ${problems.join('; ')}.`, { details: { problems } });
  return { id, name, email, acronym, website };
}

/**
 * Creates a member (or activates a seeded one) and issues its first API key, returned once.
 * A member that already has a key is a conflict: keys are rotated, not re-issued here.
 */
export async function createMember(store: MemberStore, input: NewMemberInput, now: string): Promise<{ member: Member; apiKey: string }> {
  const v = validateMember(input);
  const existing = await store.getMember(v.id);
  if (existing?.active) throw new ConflictError('member_exists', `Member "${v.id}" already exists.`);
  const member: Member = {
    id: v.id,
    name: v.name,
    email: v.email,
    acronym: v.acronym ?? existing?.acronym,
    website: v.website ?? existing?.website,
    candidateFeeds: existing?.candidateFeeds ?? [],
    createdAt: existing?.createdAt ?? now,
    active: true,
  };
  await store.saveMember(member);
  const apiKey = newApiKey();
  await store.putApiKey(hashKey(apiKey), member.id, now);
  return { member, apiKey };
}

export async function memberForKey(store: MemberStore, key: string): Promise<Member> {
  const memberId = await store.findMemberIdByKeyHash(hashKey(key));
  const member = memberId ? await store.getMember(memberId) : undefined;
  if (!member || !member.active) throw new AuthError('unauthenticated', 'This API key is not valid.');
  return member;
}

export async function getMemberOrThrow(store: MemberStore, id: string): Promise<Member> {
  const m = await store.getMember(id);
  if (!m) throw new NotFoundError(`No member "${id}".`, 'member_not_found');
  return m;
}

/** What anyone may see of a member. */
export function publicMember(m: Member) {
  return { id: m.id, name: m.name, acronym: m.acronym ?? null, website: m.website ?? null, active: m.active };
}
