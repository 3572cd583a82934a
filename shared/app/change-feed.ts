// Changing a feed: title, defaults, pause and resume.
import { parseFeedDefaults, parseFeedTitle } from '../core/feed-settings.ts';
import { ValidationError } from '../errors.ts';
import type { Feed } from '../model.ts';
import type { HubContext } from './context.ts';

export async function updateFeed(ctx: HubContext, feed: Feed, input: Record<string, unknown>): Promise<Feed> {
  const known = new Set(['title', 'defaults', 'paused']);
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new ValidationError('invalid_field', `These cannot be changed: ${unknown.join(', ')}. A feed's address cannot change: register the new address and remove the old feed.`);
  if (input.paused !== undefined && typeof input.paused !== 'boolean') throw new ValidationError('invalid_paused', 'paused must be true or false.');
  let next: Feed = { ...feed };
  if ('title' in input) next.title = parseFeedTitle(input.title) ?? feed.title;
  if ('defaults' in input) next.defaults = parseFeedDefaults(input.defaults);
  if (input.paused === true && feed.status !== 'paused') next = { ...next, status: 'paused', pausedFrom: feed.status };
  if (input.paused === false && feed.status === 'paused') {
    next = { ...next, status: feed.pendingReason ? 'pending' : 'ok', pausedFrom: undefined, nextPollAt: ctx.now().toISOString() };
  }
  await ctx.store.saveFeed(next);
  ctx.log.info('feed updated', { feed_id: feed.id, member_id: feed.memberId, fields: Object.keys(input) });
  return next;
}
