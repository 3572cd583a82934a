// Registering, listing and removing feeds. A feed is fetched and parsed before it is accepted, through
// the same fetcher (and so the same address guard) as every poll. A web page given instead of a feed
// is searched for the feeds it advertises (autodiscovery).
import { createHash } from 'node:crypto';
import { decodeBody } from '../core/decode.ts';
import { discoverFeeds } from '../core/discover.ts';
import { parseFeedDefaults, parseFeedTitle } from '../core/feed-settings.ts';
import { parseFeed } from '../core/parse.ts';
import { AuthError, FetchError, HubError, NotFoundError, ParseError, RateLimitError, ValidationError, toHubError } from '../errors.ts';
import type { Feed, Member, NormalisedFeed } from '../model.ts';
import { allowedLoopbackAlternative, isLocalhostName, type CidrList } from '../net/addresses.ts';
import type { FetchedFeed } from '../ports/fetcher.ts';
import type { HubContext } from './context.ts';
import { ownershipOf } from './ownership.ts';

export function feedIdFor(memberId: string, url: string): string {
  return `f${createHash('sha256').update(`${memberId}\n${url}`).digest('hex').slice(0, 20)}`;
}

/** `allow`: ALLOW_PRIVATE_NETWORKS, so that a refused `localhost` address can say what to use instead. */
export function normaliseFeedUrl(raw: unknown, allow?: CidrList): string {
  if (typeof raw !== 'string' || raw.trim() === '' || raw.length > 2048) throw new ValidationError('invalid_url', 'Give the feed address as "url", an http(s) URL of at most 2048 characters.');
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new ValidationError('invalid_url', `"${raw.slice(0, 200)}" is not a URL.`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ValidationError('unsupported_scheme', `Only http and https feed addresses are accepted, not ${u.protocol}.`);
  if (u.username || u.password) throw new ValidationError('invalid_url', 'Feed addresses must not carry a user name or password.');
  // RFC 6761: localhost names always mean this machine, whatever DNS says. A feed on this machine
  // (allowed with ALLOW_PRIVATE_NETWORKS) is registered by its address.
  if (isLocalhostName(u.hostname)) {
    const host = u.hostname.toLowerCase().replace(/\.$/, '');
    const instead = allow && allowedLoopbackAlternative(u.href, allow);
    throw new ValidationError(
      'blocked_address',
      instead
        ? `The host ${host} is this machine, which ALLOW_PRIVATE_NETWORKS lets the hub read only by its address: use ${instead}`
        : `The host ${host} is this machine; the hub only fetches feeds from the public internet.`,
      { details: { host, ...(instead && { instead }) } },
    );
  }
  u.hash = '';
  return u.toString();
}

export interface FeedFindings {
  format: NormalisedFeed['format'];
  version?: string;
  /** Null when the feed has no title. */
  title: string | null;
  itemCount: number;
  newestItem: string | null;
  warnings: string[];
  /** The web page the feed was found on, when the address given was a page and not the feed. */
  discoveredFrom?: string;
}

/** What the fetch said about the feed's server. */
export interface ServedFrom {
  finalUrl?: string;
  etag?: string;
  lastModified?: string;
}

// The parser reports missing dates and guids in its own words; the findings say it once, in theirs.
const SAID_BELOW = /^(?:No item has a|\d+ of \d+ items have no) (?:date|guid)/;

export function findingsOf(parsed: NormalisedFeed, url: string, served: ServedFrom = {}): FeedFindings {
  const items = parsed.items;
  const dates = items.map((i) => i.published?.iso ?? i.updated?.iso).filter((d): d is string => !!d).sort();
  const lacking = (k: number, what: string, consequence: string) =>
    `${k === items.length ? 'All items have' : `Some items (${k} of ${items.length}) have`} no ${what}; ${consequence}`;
  const warnings: string[] = [];
  const undated = items.filter((i) => !i.published && !i.updated).length;
  if (undated > 0) warnings.push(lacking(undated, 'date', 'the hub dates such items when it first sees them.'));
  const noGuid = items.filter((i) => !i.guid).length;
  if (noGuid > 0) warnings.push(lacking(noGuid, 'guid', 'they are told apart by their link or content.'));
  warnings.push(...parsed.warnings.filter((w) => !SAID_BELOW.test(w)));
  const finalUrl = served.finalUrl ?? url;
  if (finalUrl.startsWith('http:')) warnings.push('The feed is not served over https.');
  else if (url.startsWith('http:')) warnings.push(`The address redirects to ${finalUrl}; register that address to save a redirect on every poll.`);
  if (served.finalUrl !== undefined && !served.etag && !served.lastModified) {
    warnings.push('The server does not support conditional requests (no ETag or Last-Modified), so every poll downloads the whole feed.');
  }
  return { format: parsed.format, version: parsed.version, title: parsed.title ?? null, itemCount: items.length, newestItem: dates.at(-1) ?? null, warnings };
}

// The fetcher words a 404 or 410 for a feed the hub has read before ("no longer at this address");
// at a first registration nothing was ever there as far as the hub knows.
const FIRST_FETCH_STATUS: Record<number, string> = {
  404: 'there is no feed at this address. Check the URL (copy it from the site\'s feed link).',
  410: 'the server says this address has been removed. Check the URL (copy it from the site\'s feed link).',
};

/** A fetch or parse failure as the reason a registration is refused (422), keeping the code. */
function refusal(err: unknown): HubError {
  const e = toHubError(err);
  if (e.kind !== 'fetch' && e.kind !== 'parse') return e;
  const status = e instanceof FetchError && e.status !== undefined ? { status: e.status } : {};
  const firstFetch = e.code === 'http_status' && status.status !== undefined ? FIRST_FETCH_STATUS[status.status] : undefined;
  const message = firstFetch ? `The server answered ${status.status}: ${firstFetch}` : e.message;
  return new HubError('validation', e.code, message, { cause: e, details: { ...e.details, reason: e.kind, ...status } });
}

async function fetchFirst(ctx: HubContext, url: string): Promise<FetchedFeed> {
  const fetched = await ctx.fetcher.fetch(url);
  if (fetched.status !== 200) throw new ValidationError('not_a_feed', 'The server answered 304 Not Modified to a first request.');
  return fetched;
}

export interface Inspection {
  /** The feed's address: the one given, or the one discovered on the page given. */
  url: string;
  parsed: NormalisedFeed;
  findings: FeedFindings;
}

/**
 * Fetches and parses a URL as a feed; when it is a web page advertising exactly one feed, that feed.
 * Failures are 422-class errors with the fetcher's or parser's code; a page advertising several feeds
 * is `several_feeds_found` with the candidates.
 */
export async function inspectFeed(ctx: HubContext, url: string): Promise<Inspection> {
  let fetched: FetchedFeed | undefined;
  try {
    fetched = await fetchFirst(ctx, url);
    const parsed = parseFeed({ body: fetched.body, contentType: fetched.contentType, url });
    return { url, parsed, findings: findingsOf(parsed, url, fetched) };
  } catch (err) {
    if (!fetched || !(err instanceof ParseError) || err.code !== 'not_a_feed_html') throw refusal(err);
    return discoverFrom(ctx, url, fetched, err);
  }
}

async function discoverFrom(ctx: HubContext, pageUrl: string, page: FetchedFeed, htmlError: ParseError): Promise<Inspection> {
  // Relative links are relative to where the page really came from, after redirects.
  const candidates = discoverFeeds(decodeBody(page.body, page.contentType).text, page.finalUrl);
  if (candidates.length === 0) throw refusal(htmlError);
  if (candidates.length > 1) {
    throw new ValidationError('several_feeds_found', `This address is a web page that offers ${candidates.length} feeds; register the one you mean.`, {
      details: { candidates: candidates.map((c) => ({ url: c.url, title: c.title ?? null, type: c.type })) },
    });
  }
  const url = normaliseFeedUrl(candidates[0]!.url, ctx.allowPrivateNetworks);
  try {
    const fetched = await fetchFirst(ctx, url);
    const parsed = parseFeed({ body: fetched.body, contentType: fetched.contentType, url });
    return { url, parsed, findings: { ...findingsOf(parsed, url, fetched), discoveredFrom: pageUrl } };
  } catch (err) {
    const e = refusal(err);
    throw new HubError(e.kind, e.code, `The web page offers the feed ${url}, but: ${e.message}`, { cause: e, details: { ...e.details, discovered_url: url } });
  }
}

/** Limits on registering, set by the HTTP layer (README "Limits"). */
export interface RegistrationPolicy {
  /** Feeds a member may have at once (removed ones do not count). */
  maxFeedsPerMember?: number;
  /** The member's registrations per hour. */
  budget?: RegistrationBudget;
}

export interface RegistrationBudget {
  take(memberId: string): { allowed: boolean; retryAfterSeconds: number };
  refund(memberId: string): void;
}

// Refused by the address or scheme guard (at once, or at a redirect): nothing was fetched from the
// refused address, so the attempt does not count against the member's hourly registrations.
const GUARD_CODES = new Set(['blocked_address', 'unsupported_scheme', 'invalid_url']);

async function refuseExisting(ctx: HubContext, memberId: string, url: string): Promise<Feed | undefined> {
  const id = feedIdFor(memberId, url);
  const existing = await ctx.store.getFeed(id);
  if (existing && !existing.removed) {
    throw new HubError('conflict', 'feed_exists', `The feed ${url} is already registered for your organisation.`, { details: { feed_id: id } });
  }
  return existing;
}

export async function registerFeed(
  ctx: HubContext,
  member: Member,
  input: { url?: unknown; title?: unknown; defaults?: unknown },
  policy: RegistrationPolicy = {},
): Promise<{ feed: Feed; findings: FeedFindings }> {
  const given = normaliseFeedUrl(input.url, ctx.allowPrivateNetworks);
  const title = typeof input.title === 'string' && input.title.trim() === '' ? undefined : parseFeedTitle(input.title);
  const defaults = parseFeedDefaults(input.defaults);
  let existing = await refuseExisting(ctx, member.id, given);
  const max = policy.maxFeedsPerMember;
  if (max !== undefined && (await ctx.store.listFeeds({ memberId: member.id })).filter((f) => !f.removed).length >= max) {
    throw new HubError('conflict', 'feed_limit_reached', `Your organisation has ${max} feeds registered, the most the hub keeps for one member; remove one first.`, { details: { limit: max } });
  }
  const budget = policy.budget;
  const granted = budget?.take(member.id);
  if (granted && !granted.allowed) {
    throw new RateLimitError(`Your organisation has registered too many feeds in the last hour; try again in ${granted.retryAfterSeconds} seconds.`, granted.retryAfterSeconds);
  }
  let inspection: Inspection;
  try {
    inspection = await inspectFeed(ctx, given);
  } catch (err) {
    if (budget && err instanceof HubError && GUARD_CODES.has(err.code)) budget.refund(member.id);
    throw err;
  }
  const { url, parsed, findings } = inspection;
  if (url !== given) existing = await refuseExisting(ctx, member.id, url);
  const id = feedIdFor(member.id, url);
  const ownership = ownershipOf(member, url);
  const now = ctx.now().toISOString();
  const feed: Feed = {
    id,
    memberId: member.id,
    url,
    title: title ?? parsed.title,
    format: parsed.format,
    status: ownership.status,
    createdAt: now,
    consecutiveErrors: 0,
    nextPollAt: now,
    minIntervalSeconds: parsed.minIntervalSeconds,
    itemsSeen: 0,
    ...(ownership.reason !== undefined && { pendingReason: ownership.reason }),
    ...(defaults !== undefined && { defaults }),
  };
  if (existing) await ctx.store.saveFeed(feed);
  else await ctx.store.createFeed(feed);
  ctx.log.info('feed registered', { feed_id: id, member_id: member.id, feed_url: url, status: feed.status, item_count: findings.itemCount, discovered: url !== given });
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
