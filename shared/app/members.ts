// Members and their API keys. Keys are shown once and stored only as SHA-256 hashes.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ICAT_MEMBERS } from '../data/icat-members.ts';
import { AuthError, ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { Member } from '../model.ts';
import type { MemberStore } from '../ports/store.ts';
import { normaliseDomain } from './domains.ts';
import { LANGUAGES, supportedLanguage } from '../i18n/languages.ts';

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
  /** Domains the secretariat vouches for: feeds on them need no approval. */
  domains?: unknown;
  /** The language of notices to the member: "en", "fr" or "es" (English when absent). */
  language?: unknown;
}

/** The short id a key is named by (never enough to use it). */
export const keyIdOf = (keyHash: string) => `k_${keyHash.slice(0, 12)}`;

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
  const domains: string[] = [];
  if (input.domains !== undefined) {
    if (!Array.isArray(input.domains) || input.domains.length > 20) problems.push('domains: a list of at most 20 domain names');
    else
      for (const d of input.domains) {
        try {
          domains.push(normaliseDomain(d));
        } catch (err) {
          problems.push(`domains: ${(err as Error).message}`);
        }
      }
  }
  const language = input.language === undefined || input.language === null || input.language === '' ? undefined : supportedLanguage(input.language);
  if (input.language !== undefined && input.language !== null && input.language !== '' && !language) problems.push(`language: one of ${LANGUAGES.join(', ')}`);
  if (problems.length > 0) throw new ValidationError('invalid_member', `The member is not valid: ${problems.join('; ')}.`, { details: { problems } });
  return { id, name, email, acronym, website, domains, language };
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
    language: v.language ?? existing?.language,
    candidateFeeds: existing?.candidateFeeds ?? [],
    createdAt: existing?.createdAt ?? now,
    active: true,
    domains: v.domains.map((domain) => ({ domain, token: '', requestedAt: now, verifiedAt: now, method: 'admin' as const })),
  };
  const { apiKey, hash } = await issueKey(store, member.id, now);
  member.keys = [{ id: keyIdOf(hash), hash, createdAt: now }];
  await store.saveMember(member);
  return { member, apiKey };
}

async function issueKey(store: MemberStore, memberId: string, now: string): Promise<{ apiKey: string; hash: string }> {
  const apiKey = newApiKey();
  const hash = hashKey(apiKey);
  await store.putApiKey(hash, memberId, now);
  return { apiKey, hash };
}

/** A new key for the member; the key used to ask for it stops working at once. */
export async function rotateKey(store: MemberStore, member: Member, currentKeyHash: string | undefined, now: string): Promise<{ apiKey: string; id: string }> {
  const { apiKey, hash } = await issueKey(store, member.id, now);
  const kept = (member.keys ?? []).filter((k) => k.hash !== currentKeyHash);
  await store.saveMember({ ...member, keys: [...kept, { id: keyIdOf(hash), hash, createdAt: now }] });
  if (currentKeyHash) await store.deleteApiKey(currentKeyHash);
  return { apiKey, id: keyIdOf(hash) };
}

export async function revokeKey(store: MemberStore, member: Member, keyId: string): Promise<void> {
  const key = member.keys?.find((k) => k.id === keyId);
  if (!key) throw new NotFoundError(`No key "${keyId}" for ${member.id}.`, 'key_not_found');
  await store.deleteApiKey(key.hash);
  await store.saveMember({ ...member, keys: member.keys!.filter((k) => k.id !== keyId) });
}

export async function memberForKey(store: MemberStore, key: string): Promise<{ member: Member; keyHash: string }> {
  const keyHash = hashKey(key);
  const memberId = await store.findMemberIdByKeyHash(keyHash);
  const member = memberId ? await store.getMember(memberId) : undefined;
  if (!member || !member.active) throw new AuthError('unauthenticated', 'This API key is not valid.');
  return { member, keyHash };
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
