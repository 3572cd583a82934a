// Daily and weekly digests: for each subscriber whose digest is due, one mail with every matching
// announcement logged since their previous digest, grouped by member, newest first; no mail when
// nothing matched. The window moves on only once the mail went (or there was nothing to send), so a
// mail service that is down delays a digest and loses nothing.
import { MailError } from '../ports/mailer.ts';
import type { Subscription } from '../ports/subscriptions.ts';
import type { AlertsContext } from './context.ts';
import { mailPublications, updateSubscription } from './deliver.ts';
import { matches } from './filters.ts';
import { flushHeld } from './instant.ts';
import { purgeUnconfirmed } from './subscribers.ts';
import { DIGEST_MAX_DAYS, DIGEST_SETTLE_MS, digestItems, latestDigestTime, nextDigestTime } from './delivery-schedule.ts';

export interface DigestRun {
  mailed: number;
  empty: number;
  failed: number;
  unavailable: boolean;
}

function windowStart(s: Subscription): string {
  return s.lastDigestAt ?? s.confirmedAt ?? s.createdAt;
}

export async function runDigests(ctx: AlertsContext): Promise<DigestRun> {
  const run: DigestRun = { mailed: 0, empty: 0, failed: 0, unavailable: false };
  const cutoff = new Date(ctx.now().getTime() - DIGEST_SETTLE_MS);
  const due = await ctx.subscriptions.listDueDigests(cutoff.toISOString(), 1000);
  if (due.length === 0) return run;
  // One read of the announcement log serves every subscriber due now.
  const floor = new Date(cutoff.getTime() - DIGEST_MAX_DAYS * 86_400_000).toISOString();
  const earliest = due.map(windowStart).reduce((a, b) => (a < b ? a : b));
  const logged = await ctx.subscriptions.listLogged(earliest > floor ? earliest : floor, cutoff.toISOString());

  for (const sub of due) {
    const fresh = await ctx.subscriptions.getSubscription(sub.id);
    if (!fresh || fresh.status !== 'active' || fresh.frequency === 'instant' || !fresh.nextDigestAt || fresh.nextDigestAt > cutoff.toISOString()) continue;
    const frequency = fresh.frequency;
    const digestAt = latestDigestTime(frequency, cutoff);
    const items = digestItems(logged, windowStart(fresh), digestAt.toISOString(), (p) => matches(p, fresh.filters));
    try {
      const outcome = items.length > 0 ? await mailPublications(ctx, fresh, items, 'digest', digestAt) : 'nothing';
      if (outcome === 'bounced') continue;
      if (outcome === 'sent') run.mailed += 1;
      else run.empty += 1;
      await updateSubscription(ctx, fresh.id, (s) =>
        s.status !== 'active' || s.frequency !== frequency ? undefined : { ...s, lastDigestAt: digestAt.toISOString(), nextDigestAt: nextDigestTime(frequency, digestAt).toISOString() },
      );
    } catch (err) {
      if (err instanceof MailError && err.failure === 'unavailable') {
        run.unavailable = true;
        break;
      }
      run.failed += 1;
      ctx.log.warn('digest not sent; will retry', { subscription_id: fresh.id.slice(0, 12), error: (err as Error).message });
    }
  }
  if (run.mailed + run.empty + run.failed > 0) ctx.log.info('digests run', { mailed_count: run.mailed, empty_count: run.empty, failed_count: run.failed });
  return run;
}

export interface TickResult {
  held: number;
  digests: DigestRun;
  purged: number;
}

/**
 * What the timer (local) or the scheduled function (AWS) runs: held burst alerts, due digests, and the
 * purge of requests never confirmed.
 */
export async function runAlertsTick(ctx: AlertsContext): Promise<TickResult> {
  const purged = await purgeUnconfirmed(ctx);
  const held = await flushHeld(ctx);
  if (held.unavailable) return { held: held.subscribers, digests: { mailed: 0, empty: 0, failed: 0, unavailable: true }, purged };
  return { held: held.subscribers, digests: await runDigests(ctx), purged };
}
