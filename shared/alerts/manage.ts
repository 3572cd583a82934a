// What a subscriber does from the links in their mails, without an account: change filters and
// frequency, or leave. Leaving deletes everything kept about the address (subscription, delivery
// records, held matches): an unsubscribed reader is not kept on file.
import { NotFoundError } from '../errors.ts';
import type { Subscription } from '../ports/subscriptions.ts';
import type { AlertsContext } from './context.ts';
import { updateSubscription } from './deliver.ts';
import { parseChoice } from './filters.ts';
import { applyChoice, knownMemberIds } from './subscribe.ts';
import type { TokenPurpose } from './tokens.ts';

const gone = () => new NotFoundError('This link is no longer valid: the subscription does not exist any more.', 'link_invalid');

/** The subscription a manage or unsubscribe link names; NotFoundError when it was deleted since. */
export async function subscriptionForLink(ctx: AlertsContext, token: unknown, purpose: Exclude<TokenPurpose, 'confirm'>): Promise<Subscription> {
  const claims = await ctx.tokens.verify(token, purpose, ctx.now());
  const sub = await ctx.subscriptions.getSubscription(claims.subscriptionId);
  if (!sub || sub.gen !== claims.gen) throw gone();
  return sub;
}

/** Saves new filters and frequency from the manage form (a suspended subscription stays suspended). */
export async function savePreferences(ctx: AlertsContext, token: unknown, input: Record<string, unknown>): Promise<Subscription> {
  const sub = await subscriptionForLink(ctx, token, 'manage');
  const choice = parseChoice(input, await knownMemberIds(ctx), sub.frequency);
  const now = ctx.now();
  const saved = await updateSubscription(ctx, sub.id, (s) => (s.gen === sub.gen ? applyChoice(s, choice, now) : undefined));
  if (!saved || saved.gen !== sub.gen) throw gone();
  ctx.log.info('subscription preferences saved', { subscription_id: sub.id.slice(0, 12), frequency: saved.frequency });
  return saved;
}

/**
 * One-click unsubscribe (RFC 8058): effective at once, idempotent. A genuine link whose subscription
 * is already gone answers the same, since the outcome the reader wants holds.
 */
export async function unsubscribe(ctx: AlertsContext, token: unknown): Promise<void> {
  const claims = await ctx.tokens.verify(token, 'unsubscribe', ctx.now());
  const sub = await ctx.subscriptions.getSubscription(claims.subscriptionId);
  if (!sub || sub.gen !== claims.gen) return;
  await ctx.subscriptions.deleteSubscriber(sub.id);
  ctx.log.info('unsubscribed; subscriber data deleted', { subscription_id: sub.id.slice(0, 12) });
}
