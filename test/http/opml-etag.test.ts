// The public OPML files are revalidated by their ETag: the tag follows what the file lists, not the
// second it was generated in.
import { describe, expect, it } from 'vitest';
import type { HubContext } from '../../shared/app/context.ts';
import { registerOpmlRoutes } from '../../shared/http/routes-opml.ts';
import type { Authenticator } from '../../shared/http/auth.ts';
import { Router } from '../../shared/http/router.ts';
import type { HttpRequest } from '../../shared/http/types.ts';
import { silentLogger } from '../../shared/log.ts';
import type { Feed, Member } from '../../shared/model.ts';

const member: Member = { id: 'iom', name: 'International Organization for Migration', acronym: 'IOM', candidateFeeds: [], createdAt: '2026-01-01T00:00:00.000Z', active: true };
const feed = { id: 'f1', memberId: 'iom', url: 'https://www.iom.int/news/feed', status: 'ok' } as unknown as Feed;

describe('OPML ETags', () => {
  it('answers 304 to a revalidation a minute later when nothing changed, and 200 once a member joins', async () => {
    let now = new Date('2026-12-07T10:00:00Z');
    const members = [member];
    const ctx = { store: { listFeeds: async () => [feed], listMembers: async () => members }, now: () => now, log: silentLogger } as unknown as HubContext;
    const router = new Router(silentLogger);
    registerOpmlRoutes(router, { ctx, auth: {} as Authenticator, publicUrl: 'https://hub.example', registration: {} });
    const get = (path: string, etag?: string) => router.handle({ method: 'GET', path, query: new URLSearchParams(), headers: etag ? { 'if-none-match': etag } : {} } as HttpRequest);
    for (const path of ['/feeds/directory.opml', '/feeds/sources.opml']) {
      const first = await get(path);
      expect(first.status).toBe(200);
      now = new Date(now.getTime() + 60_000);
      expect((await get(path, first.headers.etag)).status).toBe(304);
      members.push({ ...member, id: `m${members.length}`, name: `Member ${members.length}`, acronym: `M${members.length}` });
      feed.memberId = members.at(-1)!.id;
      const changed = await get(path, first.headers.etag);
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).not.toBe(first.headers.etag);
    }
  });
});
