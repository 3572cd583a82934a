// Registering, listing and removing feeds. A feed is fetched and parsed before it is accepted, through
// the same fetcher (and so the same address guard) as every poll.
import { createHash } from 'node:crypto';
import { parseFeed } from '../core/parse.ts';
import { AuthError, ConflictError, HubError, NotFoundError, ValidationError, toHubError } from '../errors.ts';
import type { Feed, Member, NormalisedFeed } from '../model.ts';
import type { HubContext } from './context.ts';

export function feedIdFor(memberId: string, url: string): string {
  return `f${createHash('sha256').update(`${memberId}\n${url}`).digest('hex').slice(0, 20)}`;
}

export function normaliseFeedUrl(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '' || raw.length > 2048) throw new ValidationError('invalid_url', 'Give the feed address as "url", an http(s) URL of at most 2048 characters.');
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new ValidationError('invalid_url', `"${raw.slice(0, 200)}" is not a URL.`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ValidationError('invalid_url', 'Only http and https feed addresses are accepted.');
  if (u.username || u.password) throw new ValidationError('invalid_url', 'Feed addresses must not carry a user name or password.');
  u.hash = '';
  return u.toString();
}

export interface FeedFindings {
  format: NormalisedFeed['format'];
  version?: string;
  title: string;
  itemCount: number;
  newestItem: string | null;
  warnings: string[];
}

export function findingsOf(parsed: NormalisedFeed, url: string): FeedFindings {
  const dates = parsed.items.map((i) => i.published?.iso ?? i.updated?.iso).filter((d): d is string => !!d).sort();
  const warnings = [...parsed.warnings];
  if (url.startsWith('http:')) warnings.push('The feed is not served over https.');
  return { format: parsed.format, version: parsed.version, title: parsed.title, itemCount: parsed.items.length, newestItem: dates.at(-1) ?? null, warnings };
}

/** Fetches and parses a URL as a feed; a FetchError or ParseError becomes a 422-class ValidationError with the reason. */
export async function inspectFeed(ctx: HubContext, url: string): Promise<{ parsed: NormalisedFeed; findings: FeedFindings }> {
  try {
    const fetched = await ctx.fetcher.fetch(url);
    if (fetched.status !== 200) throw new ValidationError('not_a_feed', 'The server answered 304 Not Modified to a first request.');
    const parsed = parseFeed({ body: fetched.body, contentType: fetched.contentType, url });
    return { parsed, findings: findingsOf(parsed, url) };
  } catch (err) {
    const e = toHubError(err);
    if (e.kind === 'fetch' || e.kind === 'parse') throw new HubError('validation', e.code, e.message, { cause: e, details: { reason: e.kind } });
    throw e;
  }
}

export async function registerFeed(ctx: HubContext, member: Member, input: { url?: unknown; title?: unknown }): Promise<{ feed: Feed; findings: FeedFindings }> {
  const url = normaliseFeedUrl(input.url);
  const title = typeof input.title === 'string' && input.title.trim() ? input.title.trim().slice(0, 200) : undefined;
  const id = feedIdFor(member.id, url);
  const existing = await ctx.store.getFeed(id);
  if (existing && !existing.removed) throw new ConflictError('feed_exists', 'This feed is already registered for your organisation.');
  const { parsed, findings } = await inspectFeed(ctx, url);
  const now = ctx.now().toISOString();
  const feed: Feed = {
    id,
    memberId: member.id,
    url,
    title: title ?? parsed.title,
    format: parsed.format,
    status: 'ok',
    createdAt: now,
    consecutiveErrors: 0,
    nextPollAt: now,
    minIntervalSeconds: parsed.minIntervalSeconds,
    itemsSeen: 0,
  };
  if (existing) await ctx.store.saveFeed(feed);
  else await ctx.store.createFeed(feed);
  ctx.log.info('feed registered', { feed_id: id, member_id: member.id, feed_url: url, item_count: findings.itemCount });
  return { feed, findings };
}

/** The caller's own feed, or any feed for an admin; a member asking for another member's feed is refused. */
export async function feedForCaller(ctx: HubContext, id: string, caller: { admin: boolean; memberId?: string }): Promise<Feed> {
  const feed = await ctx.store.getFeed(id);
  if (!feed || feed.removed) throw new NotFoundError(`No feed "${id}".`, 'feed_not_found');
  if (!caller.admin && feed.memberId !== caller.memberId) throw new AuthError('forbidden', 'This feed belongs to another member.');
  return feed;
}

/** Stops polling; publications already stored stay, still credited, marked as from a removed feed. */
export async function removeFeed(ctx: HubContext, feed: Feed): Promise<void> {
  await ctx.store.saveFeed({ ...feed, removed: true, removedAt: ctx.now().toISOString(), status: 'paused' });
  let marked = 0;
  let cursor: string | undefined;
  do {
    const page = await ctx.store.listPublications({ memberId: feed.memberId, limit: 500, cursor });
    const changes = page.items
      .filter((p) => p.feeds.includes(feed.id) && !p.removedFeeds?.includes(feed.id))
      .map((p) => ({ id: p.id, content: { removedFeeds: [...(p.removedFeeds ?? []), feed.id] } }));
    await ctx.store.applyChanges(changes);
    marked += changes.length;
    cursor = page.cursor;
  } while (cursor);
  ctx.log.info('feed removed', { feed_id: feed.id, member_id: feed.memberId, publication_count: marked });
}

export function feedView(f: Feed) {
  return {
    id: f.id,
    member_id: f.memberId,
    url: f.url,
    title: f.title ?? null,
    format: f.format ?? null,
    status: f.status,
    created_at: f.createdAt,
    last_fetch_at: f.lastFetchAt ?? null,
    last_success_at: f.lastSuccessAt ?? null,
    last_status_code: f.lastStatusCode ?? null,
    consecutive_errors: f.consecutiveErrors,
    last_error: f.lastError ?? null,
    next_poll_at: f.nextPollAt,
    items_seen: f.itemsSeen,
  };
}
