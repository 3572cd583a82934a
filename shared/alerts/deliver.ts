// Sending one alert mail exactly once. Before a send, the mailer claims a delivery record per
// (subscription, publication) with a conditional write; a publication already mailed to that
// subscriber (by an earlier delivery of the same queue message, a rollup or a digest) is left out, and
// when nothing is left no mail goes. After the send the records are marked sent; after a failed send
// the claims are given back so a retry can take them. A process that dies between send and mark
// leaves a claim that lapses after DELIVERY_LEASE_MS: only then could the mail go twice, and it would
// carry the same Message-ID.
import type { AlertsContext } from './context.ts';
import { memberLabels } from './context.ts';
import { ConflictError } from '../errors.ts';
import { MailError } from '../ports/mailer.ts';
import type { AlertPublication, DeliveryKind, Subscription } from '../ports/subscriptions.ts';
import { mailLanguage, type SubscriberLinks } from './mails.ts';

export const DELIVERY_LEASE_MS = 5 * 60_000;

export async function linksFor(ctx: AlertsContext, sub: Pick<Subscription, 'id' | 'gen'>): Promise<SubscriberLinks> {
  const base = ctx.mail.publicUrl;
  const [manage, unsubscribe] = await Promise.all([
    ctx.tokens.sign({ purpose: 'manage', subscriptionId: sub.id, gen: sub.gen }),
    ctx.tokens.sign({ purpose: 'unsubscribe', subscriptionId: sub.id, gen: sub.gen }),
  ]);
  return { manage: `${base}/subscriptions/manage?token=${manage}`, unsubscribe: `${base}/unsubscribe?token=${unsubscribe}` };
}

/**
 * Reads, changes and saves a subscription, again from a fresh read when another writer got in first.
 * `change` returns undefined to leave it as it is. Returns what was saved (or found).
 */
export async function updateSubscription(ctx: AlertsContext, id: string, change: (s: Subscription) => Subscription | undefined): Promise<Subscription | undefined> {
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const current = await ctx.subscriptions.getSubscription(id);
    if (!current) return undefined;
    const next = change(current);
    if (!next) return current;
    if (await ctx.subscriptions.saveSubscription({ ...next, updatedAt: ctx.now().toISOString() })) return { ...next, rev: current.rev + 1 };
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));
  }
  throw new ConflictError('subscription_busy', `Subscription ${id.slice(0, 12)} kept changing; try again.`);
}

export async function suspendSubscription(ctx: AlertsContext, id: string, reason: 'bounce' | 'complaint'): Promise<boolean> {
  const now = ctx.now().toISOString();
  const saved = await updateSubscription(ctx, id, (s) => (s.status === 'suspended' ? undefined : { ...s, status: 'suspended', suspendedReason: reason, suspendedAt: now, heldUntil: undefined }));
  if (saved) ctx.log.warn('subscription suspended', { subscription_id: id.slice(0, 12), reason });
  return !!saved;
}

export type SendOutcome = 'sent' | 'nothing' | 'bounced';

/** Mails `items` to the subscriber as one message of `kind`, minus what they already received. */
export async function mailPublications(ctx: AlertsContext, sub: Subscription, items: AlertPublication[], kind: DeliveryKind, digestAt?: Date): Promise<SendOutcome> {
  const now = ctx.now();
  const ids = items.map((p) => p.id);
  const claimed = new Set(await ctx.subscriptions.claimDeliveries(sub.id, ids, kind, now.toISOString(), new Date(now.getTime() + DELIVERY_LEASE_MS).toISOString()));
  if (claimed.size === 0) return 'nothing';
  const mailed = items.filter((p) => claimed.has(p.id));
  const log = ctx.log.child({ subscription_id: sub.id.slice(0, 12), kind });
  try {
    const message = ctx.mails.alert({
      settings: ctx.mail,
      to: sub.email,
      subscriptionId: sub.id,
      frequency: sub.frequency,
      kind: kind === 'alert' && mailed.length > 1 ? 'rollup' : kind,
      items: mailed,
      links: await linksFor(ctx, sub),
      label: await memberLabels(ctx),
      now,
      digestAt,
      language: mailLanguage(sub.language),
    });
    await ctx.mailer.send(message);
    ctx.health.ok(ctx.now());
    await ctx.subscriptions.completeDeliveries(sub.id, [...claimed], { messageId: message.messageId, at: ctx.now().toISOString() });
    log.info('alert mailed', { publication_count: mailed.length });
    return 'sent';
  } catch (err) {
    await ctx.subscriptions.releaseDeliveries(sub.id, [...claimed]).catch((e: unknown) => log.error('could not release delivery claims', { error: (e as Error).message }));
    if (err instanceof MailError && err.failure === 'bounced') {
      await suspendSubscription(ctx, sub.id, 'bounce');
      return 'bounced';
    }
    if (err instanceof MailError && err.failure === 'unavailable') ctx.health.unavailable(ctx.now(), err.message);
    throw err;
  }
}
