// Members: creation (admin), their own details, API keys, domains; feed approval (admin).
import type { HubContext } from '../app/context.ts';
import { approveFeed, instructions, markVerified, requestDomain, verifyDomain } from '../app/domains.ts';
import { feedForCaller } from '../app/feed-registry.ts';
import { createMember, getMemberOrThrow, publicMember, revokeKey, rotateKey } from '../app/members.ts';
import { AuthError } from '../errors.ts';
import type { Member } from '../model.ts';
import type { DomainVerifier } from '../ports/domain-verifier.ts';
import type { Authenticator } from './auth.ts';
import { feedHealthView } from './routes-health.ts';
import type { Router } from './router.ts';
import { json, readJson } from './types.ts';

/** What a member (or the admin) sees of a member: never key hashes or tokens of other members. */
function memberView(ctx: HubContext, m: Member) {
  return {
    ...publicMember(m),
    email: m.email ?? null,
    candidate_feeds: m.candidateFeeds,
    created_at: m.createdAt,
    domains: (m.domains ?? []).map((d) => instructions(ctx.publicUrl, d)),
    keys: (m.keys ?? []).map((k) => ({ id: k.id, created_at: k.createdAt })),
  };
}

export function registerMemberRoutes(router: Router, ctx: HubContext, auth: Authenticator, verifier: DomainVerifier): void {
  router.on('POST', '/api/members', async (req) => {
    await auth.admin(req);
    const { member, apiKey } = await createMember(ctx.store, readJson(req), ctx.now().toISOString());
    ctx.log.info('member created', { member_id: member.id });
    return json(201, { member: memberView(ctx, member), api_key: apiKey, note: 'Keep this key: it is shown only once.' });
  });

  router.on('GET', '/api/members', async () => json(200, { items: (await ctx.store.listMembers()).map(publicMember) }));

  router.on('GET', '/api/members/me', async (req) => json(200, memberView(ctx, (await auth.member(req)).member)));

  router.on('POST', '/api/members/me/keys', async (req) => {
    const { member, keyHash } = await auth.member(req);
    const { apiKey, id } = await rotateKey(ctx.store, member, keyHash, ctx.now().toISOString());
    ctx.log.info('api key rotated', { member_id: member.id, key_id: id });
    return json(201, { id, api_key: apiKey, note: 'Keep this key: it is shown only once. The key used for this request no longer works.' });
  });

  router.on('DELETE', '/api/members/me/keys/{keyId}', async (req, { keyId }) => {
    const { member } = await auth.member(req);
    await revokeKey(ctx.store, member, keyId!);
    return { status: 204, headers: {}, body: '' };
  });

  router.on('POST', '/api/members/me/domains', async (req) => {
    const { member } = await auth.member(req);
    const domain = await requestDomain(ctx, member, readJson(req).domain);
    return json(201, instructions(ctx.publicUrl, domain));
  });

  router.on('POST', '/api/members/me/domains/{domain}/verify', async (req, { domain }) => {
    const { member } = await auth.member(req);
    const result = await verifyDomain(ctx, verifier, member, domain);
    return json(200, { ...instructions(ctx.publicUrl, result.domain), released_feeds: result.released.map((f) => f.id) });
  });

  router.on('GET', '/api/members/{id}', async (req, { id }) => {
    const caller = await auth.caller(req);
    if (!caller.admin && caller.memberId !== id) throw new AuthError('forbidden', 'You can see only your own organisation.');
    return json(200, memberView(ctx, await getMemberOrThrow(ctx.store, id!)));
  });

  router.on('POST', '/api/members/{id}/domains', async (req, { id }) => {
    await auth.admin(req);
    const result = await markVerified(ctx, await getMemberOrThrow(ctx.store, id!), readJson(req).domain, 'admin');
    return json(200, { ...instructions(ctx.publicUrl, result.domain), released_feeds: result.released.map((f) => f.id) });
  });

  router.on('DELETE', '/api/members/{id}/keys/{keyId}', async (req, { id, keyId }) => {
    await auth.admin(req);
    await revokeKey(ctx.store, await getMemberOrThrow(ctx.store, id!), keyId!);
    ctx.log.info('api key revoked by admin', { member_id: id, key_id: keyId });
    return { status: 204, headers: {}, body: '' };
  });

  router.on('POST', '/api/feeds/{id}/approve', async (req, { id }) => {
    const caller = await auth.admin(req);
    const feed = await approveFeed(ctx, await feedForCaller(ctx, id!, caller));
    ctx.log.info('feed approved', { feed_id: feed.id, member_id: feed.memberId });
    return json(200, feedHealthView(feed));
  });
}
