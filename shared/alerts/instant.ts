// Instant alerts: a batch of announcements from the alerts queue is logged for digests, matched
// against every active instant subscription, and mailed (one mail per publication, or rolled up in a
// burst, see burst.ts). Held burst matches are mailed by `flushHeld`, run on a timer.
import { runLimited } from '../app/limiter.ts';
import { MailError } from '../ports/mailer.ts';
import type { AlertPublication, Subscription } from '../ports/subscriptions.ts';
import { planInstant, recordSent } from './burst.ts';
import type { AlertsContext } from './context.ts';
import { mailPublications, updateSubscription } from './deliver.ts';
import { matches } from './filters.ts';

/** done: every matching subscriber has it; failed: retry later; unavailable: the mail service is down. */
export type PublicationResult = 'done' | 'failed' | 'unavailable';

const PARALLEL_SUBSCRIBERS = 4;

const isUnavailable = (err: unknown) => err instanceof MailError && err.failure === 'unavailable';

export async function deliverAnnouncements(ctx: AlertsContext, publications: AlertPublication[]): Promise<Map<string, PublicationResult>> {
  const results = new Map<string, PublicationResult>(publications.map((p) => [p.id, 'done']));
  if (publications.length === 0) return results;
  await ctx.subscriptions.logAnnouncements(publications, ctx.now().toISOString());
  const subscribers = await ctx.subscriptions.listInstantSubscriptions();
  let down = false;
  await runLimited(subscribers, { concurrency: PARALLEL_SUBSCRIBERS }, async (sub) => {
    // Only papers first seen after the subscriber confirmed: a replayed announcement (see
    // local/alerts-catch-up.ts) must not reach someone who subscribed since.
    const matched = publications.filter((p) => matches(p, sub.filters) && (!sub.confirmedAt || p.firstSeen >= sub.confirmedAt));
    if (matched.length === 0 || down) return;
    try {
      await deliverInstant(ctx, sub, matched);
    } catch (err) {
      if (isUnavailable(err)) {
        down = true;
        return;
      }
      for (const p of matched) results.set(p.id, 'failed');
      ctx.log.warn('instant alert not sent; will retry', { subscription_id: sub.id.slice(0, 12), error: (err as Error).message });
    }
  });
  // With the mail service down, every publication of the batch waits; what did go out is recorded
  // and will not go again.
  if (down) for (const p of publications) results.set(p.id, 'unavailable');
  return results;
}

/** Mails (or holds) matches for one subscriber, re-reading it first: an unsubscribe wins at once. */
export async function deliverInstant(ctx: AlertsContext, sub: Subscription, incoming: AlertPublication[]): Promise<void> {
  const fresh = await ctx.subscriptions.getSubscription(sub.id);
  if (!fresh) return;
  const held = fresh.heldUntil ? await ctx.subscriptions.listHeld(fresh.id) : [];
  if (fresh.status !== 'active' || fresh.frequency !== 'instant') {
    if (held.length > 0) await ctx.subscriptions.removeHeld(fresh.id, held.map((p) => p.id));
    if (fresh.heldUntil) await updateSubscription(ctx, fresh.id, (s) => ({ ...s, heldUntil: undefined }));
    return;
  }
  const now = ctx.now();
  const plan = planInstant({ now, recentAlerts: fresh.recentAlerts, lastRollupAt: fresh.lastRollupAt, held, heldUntil: fresh.heldUntil, incoming });
  if (plan.action === 'hold') {
    await ctx.subscriptions.holdAlerts(fresh.id, incoming, now.toISOString());
    await updateSubscription(ctx, fresh.id, (s) => (s.heldUntil === plan.until ? undefined : { ...s, heldUntil: plan.until }));
    return;
  }
  if (plan.action === 'each') {
    // A hold whose matches are gone (removed by an unsubscribe in between) must not stay due forever.
    if (fresh.heldUntil && held.length === 0) await updateSubscription(ctx, fresh.id, (s) => ({ ...s, heldUntil: undefined }));
    let sent = 0;
    try {
      for (const p of plan.items) {
        const outcome = await mailPublications(ctx, fresh, [p], 'alert');
        if (outcome === 'bounced') return;
        if (outcome === 'sent') sent += 1;
      }
    } finally {
      if (sent > 0) await updateSubscription(ctx, fresh.id, (s) => ({ ...s, recentAlerts: recordSent(s.recentAlerts, now, sent) }));
    }
    return;
  }
  const outcome = await mailPublications(ctx, fresh, plan.items, 'rollup');
  if (held.length > 0) await ctx.subscriptions.removeHeld(fresh.id, held.map((p) => p.id));
  await updateSubscription(ctx, fresh.id, (s) => ({
    ...s,
    heldUntil: undefined,
    ...(outcome === 'sent' ? { lastRollupAt: now.toISOString(), recentAlerts: recordSent(s.recentAlerts, now, plan.items.length) } : {}),
  }));
}

/** Mails the burst matches whose time has come. Stops at the first sign the mail service is down. */
export async function flushHeld(ctx: AlertsContext): Promise<{ subscribers: number; unavailable: boolean }> {
  const due = await ctx.subscriptions.listDueHeld(ctx.now().toISOString(), 500);
  let done = 0;
  for (const sub of due) {
    try {
      await deliverInstant(ctx, sub, []);
      done += 1;
    } catch (err) {
      if (isUnavailable(err)) return { subscribers: done, unavailable: true };
      ctx.log.warn('held alerts not sent; will retry', { subscription_id: sub.id.slice(0, 12), error: (err as Error).message });
    }
  }
  return { subscribers: done, unavailable: false };
}
