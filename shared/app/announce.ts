// Announcing is at-least-once with a claim: a publication is created already claimed by the poller
// that stored it, announced, then marked. If the process dies or SNS fails in between, the claim
// lapses and the next sweep (every cycle) claims and announces it. A claim is a conditional write, so
// two sweepers or a redelivered poll never announce the same publication twice while one holds it.
import type { Publication } from '../model.ts';
import type { HubContext } from './context.ts';

/** How long a claim holds before a sweep may take it over. */
export const CLAIM_SECONDS = 120;

export function claimUntil(now: Date): string {
  return new Date(now.getTime() + CLAIM_SECONDS * 1000).toISOString();
}

/** Announces publications this process holds the claim for; returns how many went out. */
export async function announceClaimed(ctx: HubContext, publications: Publication[]): Promise<number> {
  if (publications.length === 0) return 0;
  const { announced, failed } = await ctx.notifier.announce(publications);
  if (announced.length > 0) await ctx.store.markAnnounced(announced, ctx.now().toISOString());
  for (const f of failed) ctx.log.warn('announcement failed; will retry on a later cycle', { publication_id: f.id, error: f.error });
  return announced.length;
}

/** Finds stored publications that were never announced (a crash, an SNS error) and announces them. */
export async function sweepUnannounced(ctx: HubContext, limit = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const now = ctx.now();
    const candidates = await ctx.store.listUnannounced(now.toISOString(), Math.min(100, limit - total));
    if (candidates.length === 0) break;
    const claimed: Publication[] = [];
    for (const p of candidates) if (await ctx.store.claimAnnouncement(p.id, now.toISOString(), claimUntil(now))) claimed.push(p);
    if (claimed.length === 0) break;
    const sent = await announceClaimed(ctx, claimed);
    total += sent;
    if (sent < claimed.length || total >= limit) break;
  }
  if (total > 0) ctx.log.info('recovered unannounced publications', { announced_count: total });
  return total;
}
