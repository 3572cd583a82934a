// Feeds as OPML: a member's own list (or every feed, for the secretariat), the public directory (the
// hub's feed of each member), the members' source feeds, and importing a member's list by
// registering each of its feeds.
import { readOpml, renderOpml, type OpmlFeedEntry, type OpmlFolder } from '../core/opml-document.ts';
import { toHubError } from '../errors.ts';
import type { Feed, FeedStatus, Member } from '../model.ts';
import type { HubContext } from './context.ts';
import { feedIdFor, normaliseFeedUrl, registerFeed, type RegistrationPolicy } from './feed-registry.ts';
import { runLimited } from './limiter.ts';

const INACTIVE: FeedStatus[] = ['pending', 'paused', 'dead'];

function memberLabel(m: Member | undefined, id: string): string {
  if (!m) return id;
  return m.acronym && m.acronym !== m.name ? `${m.name} (${m.acronym})` : m.name;
}

function entry(f: Feed, member: Member | undefined): OpmlFeedEntry {
  return { title: f.title ?? f.url, xmlUrl: f.url, htmlUrl: member?.website, language: f.defaults?.language };
}

function folders(feeds: Feed[], members: Member[]): OpmlFolder[] {
  const byId = new Map(members.map((m) => [m.id, m]));
  const grouped = new Map<string, Feed[]>();
  for (const f of feeds) grouped.set(f.memberId, [...(grouped.get(f.memberId) ?? []), f]);
  return [...grouped.entries()]
    .map(([id, list]) => {
      const m = byId.get(id);
      const own = list.map((f) => entry(f, m)).sort((a, b) => a.title.localeCompare(b.title));
      return { title: memberLabel(m, id), feeds: own };
    })
    .sort((a, b) => a.title.localeCompare(b.title));
}

/** The caller's feeds (removed ones left out); every member's, grouped by member, for the admin. */
export async function feedsOpml(ctx: HubContext, caller: { admin: boolean; memberId?: string }): Promise<string> {
  const dateCreated = ctx.now();
  if (caller.admin) {
    const [feeds, members] = await Promise.all([ctx.store.listFeeds(), ctx.store.listMembers()]);
    return renderOpml({ title: 'All feeds registered with the ICAT Syndication Hub', dateCreated, folders: folders(feeds.filter((f) => !f.removed), members) });
  }
  const memberId = caller.memberId!;
  const [feeds, member] = await Promise.all([ctx.store.listFeeds({ memberId }), ctx.store.getMember(memberId)]);
  const own = feeds.filter((f) => !f.removed).map((f) => entry(f, member));
  return renderOpml({ title: `${memberLabel(member, memberId)}: feeds registered with the ICAT Syndication Hub`, dateCreated, ownerName: member?.name, feeds: own });
}

/** A member has a feed on the hub once one of its feeds is approved (pending and removed ones do not count). */
function listedMembers(feeds: Feed[], members: Member[]): Member[] {
  const listed = new Set(feeds.filter((f) => !f.removed && f.status !== 'pending').map((f) => f.memberId));
  return members.filter((m) => listed.has(m.id)).sort((a, b) => memberLabel(a, a.id).localeCompare(memberLabel(b, b.id)));
}

/**
 * Public, the file a feed reader imports: the hub's own feed of each member, one per member and
 * nothing else, so each publication comes through one feed only (a joint paper is in each of its
 * members' feeds with the same id, which readers recognise). The merged feed and the members' source
 * feeds are left out: beside these they would bring every publication a second time.
 */
export async function directoryOpml(ctx: HubContext, publicUrl: string): Promise<string> {
  const [feeds, members] = await Promise.all([ctx.store.listFeeds(), ctx.store.listMembers()]);
  const hubFeeds = listedMembers(feeds, members).map(
    (m): OpmlFeedEntry => ({ title: `${memberLabel(m, m.id)}: publications (ICAT Syndication Hub)`, xmlUrl: `${publicUrl}/feeds/members/${encodeURIComponent(m.id)}.rss`, htmlUrl: m.website }),
  );
  return renderOpml({ title: 'ICAT member publications, one feed per member (ICAT Syndication Hub)', dateCreated: ctx.now(), feeds: hubFeeds });
}

/**
 * Public: the members' own source feeds that the hub reads and publishes from (not pending, paused,
 * removed or dead), by member. For those who want the sources themselves, not for importing beside
 * the directory.
 */
export async function sourcesOpml(ctx: HubContext): Promise<string> {
  const [feeds, members] = await Promise.all([ctx.store.listFeeds(), ctx.store.listMembers()]);
  const active = feeds.filter((f) => !f.removed && !INACTIVE.includes(f.status));
  return renderOpml({ title: 'ICAT members\' source feeds, as read by the ICAT Syndication Hub', dateCreated: ctx.now(), folders: folders(active, members) });
}

export type ImportStatus = 'registered' | 'pending' | 'exists' | 'failed';

export interface ImportResult {
  url: string;
  status: ImportStatus;
  feed_id?: string;
  error?: { code: string; message: string };
}

/**
 * Registers each feed of an OPML document (folders flattened, each address once) as POST /api/feeds
 * would, a few at a time and at most two at once per host, and reports each one's outcome.
 */
export async function importOpml(ctx: HubContext, member: Member, xml: string, policy: RegistrationPolicy = {}): Promise<ImportResult[]> {
  const outlines = readOpml(xml);
  const seen = new Set<string>();
  const results: ImportResult[] = [];
  const work: { index: number; url: string; title?: string }[] = [];
  for (const o of outlines) {
    try {
      const url = normaliseFeedUrl(o.xmlUrl, ctx.allowPrivateNetworks);
      if (seen.has(url)) continue;
      seen.add(url);
      work.push({ index: results.length, url, title: o.title });
      results.push({ url, status: 'failed' });
    } catch (err) {
      const e = toHubError(err);
      results.push({ url: o.xmlUrl.slice(0, 2048), status: 'failed', error: { code: e.code, message: e.message } });
    }
  }
  // The feed limit is checked here with a running count: registrations running side by side would
  // each see the same stored count and overshoot the limit together.
  let active = (await ctx.store.listFeeds({ memberId: member.id })).filter((f) => !f.removed).length;
  const max = policy.maxFeedsPerMember;
  const each: RegistrationPolicy = { budget: policy.budget };
  await runLimited(work, { concurrency: 4, perKey: 2, keyOf: (w) => new URL(w.url).hostname }, async (w) => {
    results[w.index] = await importOne(ctx, member, w, each, max, () => {
      if (max !== undefined && active >= max) return false;
      active += 1;
      return true;
    }, () => void (active -= 1));
  });
  ctx.log.info('feeds imported', { member_id: member.id, outline_count: outlines.length, registered_count: results.filter((r) => r.status === 'registered' || r.status === 'pending').length });
  return results;
}

async function importOne(
  ctx: HubContext,
  member: Member,
  w: { url: string; title?: string },
  policy: RegistrationPolicy,
  max: number | undefined,
  reserve: () => boolean,
  release: () => void,
): Promise<ImportResult> {
  if (await existsFor(ctx, member.id, w.url)) return { url: w.url, status: 'exists', feed_id: feedIdFor(member.id, w.url) };
  if (!reserve()) {
    const message = `Your organisation has ${max} feeds registered, the most the hub keeps for one member; remove one first.`;
    return { url: w.url, status: 'failed', error: { code: 'feed_limit_reached', message } };
  }
  try {
    const { feed } = await registerFeed(ctx, member, { url: w.url, title: w.title }, policy);
    return { url: w.url, status: feed.status === 'pending' ? 'pending' : 'registered', feed_id: feed.id };
  } catch (err) {
    release();
    const e = toHubError(err);
    if (e.code === 'feed_exists') return { url: w.url, status: 'exists', feed_id: String(e.details?.feed_id ?? feedIdFor(member.id, w.url)) };
    if (e.kind === 'internal') {
      // As the HTTP layer does: details go to the log, never to the member.
      ctx.log.error('feed import failed', { member_id: member.id, feed_url: w.url, error: e.message });
      return { url: w.url, status: 'failed', error: { code: 'internal_error', message: 'Something went wrong on our side; try this feed again later.' } };
    }
    return { url: w.url, status: 'failed', error: { code: e.code, message: e.message } };
  }
}

async function existsFor(ctx: HubContext, memberId: string, url: string): Promise<boolean> {
  const f = await ctx.store.getFeed(feedIdFor(memberId, url));
  return f !== undefined && !f.removed;
}
