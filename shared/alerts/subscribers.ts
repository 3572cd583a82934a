// The admin's view of one subscriber's data (export and erasure on request), and the purge of
// requests never confirmed: an address nobody confirmed is not kept past its link's expiry.
import { NotFoundError } from '../errors.ts';
import { normaliseAddress } from './address.ts';
import type { AlertsContext } from './context.ts';
import { CONFIRM_TOKEN_SECONDS } from './tokens.ts';

async function idOf(ctx: AlertsContext, rawEmail: string): Promise<string> {
  return ctx.tokens.addressId(normaliseAddress(rawEmail));
}

/** Everything kept about the address, for the admin to hand to the person; NotFoundError when nothing is. */
export async function exportSubscriber(ctx: AlertsContext, rawEmail: string) {
  const id = await idOf(ctx, rawEmail);
  const s = await ctx.subscriptions.getSubscription(id);
  if (!s) throw new NotFoundError('No subscriber with this address.', 'subscriber_not_found');
  const [deliveries, held] = await Promise.all([ctx.subscriptions.listDeliveries(id), ctx.subscriptions.listHeld(id)]);
  return {
    subscription: {
      id: s.id,
      email: s.email,
      status: s.status,
      frequency: s.frequency,
      filters: s.filters,
      created_at: s.createdAt,
      updated_at: s.updatedAt,
      confirmed_at: s.confirmedAt ?? null,
      pending_request: s.pending ? { filters: s.pending.filters, frequency: s.pending.frequency, requested_at: s.pending.requestedAt } : null,
      last_confirmation_sent_at: s.lastConfirmationSentAt ?? null,
      last_digest_at: s.lastDigestAt ?? null,
      next_digest_at: s.nextDigestAt ?? null,
      suspended: s.suspendedAt ? { at: s.suspendedAt, reason: s.suspendedReason ?? null } : null,
    },
    deliveries: deliveries.map((d) => ({ publication_id: d.publicationId, kind: d.kind, state: d.state, at: d.at })),
    held: held.map((p) => ({ publication_id: p.id, title: p.title })),
  };
}

export async function deleteSubscriberByAddress(ctx: AlertsContext, rawEmail: string): Promise<void> {
  const id = await idOf(ctx, rawEmail);
  if (!(await ctx.subscriptions.deleteSubscriber(id))) throw new NotFoundError('No subscriber with this address.', 'subscriber_not_found');
  ctx.log.info('subscriber data deleted by the admin', { subscription_id: id.slice(0, 12) });
}

/** Deletes requests whose confirmation link has expired unused; returns how many. */
export async function purgeUnconfirmed(ctx: AlertsContext): Promise<number> {
  const before = new Date(ctx.now().getTime() - CONFIRM_TOKEN_SECONDS * 1000).toISOString();
  const stale = await ctx.subscriptions.listUnconfirmed(before, 200);
  let purged = 0;
  for (const s of stale) {
    const fresh = await ctx.subscriptions.getSubscription(s.id);
    if (fresh?.status !== 'pending') continue;
    if ((fresh.pending?.requestedAt ?? fresh.createdAt) >= before) continue;
    if (await ctx.subscriptions.deleteSubscriber(s.id)) purged += 1;
  }
  if (purged > 0) ctx.log.info('unconfirmed subscription requests deleted', { purged_count: purged });
  return purged;
}
