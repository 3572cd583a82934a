import { describe, expect, it } from 'vitest';
import { BURST_GATHER_MS, BURST_LIMIT, planInstant, recordSent } from '../../shared/alerts/burst.ts';
import type { AlertPublication } from '../../shared/ports/subscriptions.ts';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 2, 9, 0, 0) + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();
const pubs = (n: number, from = 0): AlertPublication[] =>
  Array.from({ length: n }, (_, i) => ({ id: `p${from + i}`, title: `Paper ${from + i}`, members: ['unodc'], categories: [], enclosures: [], firstSeen: iso(0) }));

describe('instant alerts and bursts', () => {
  it('mails up to five matches in ten minutes one by one', () => {
    expect(planInstant({ now: at(0), recentAlerts: [], held: [], incoming: pubs(1) })).toEqual({ action: 'each', items: pubs(1) });
    expect(planInstant({ now: at(0), recentAlerts: [], held: [], incoming: pubs(BURST_LIMIT) }).action).toBe('each');
    const recent = [iso(1), iso(2), iso(3), iso(4)];
    expect(planInstant({ now: at(5), recentAlerts: recent, held: [], incoming: pubs(1, 10) }).action).toBe('each');
  });

  it('gathers a burst of more than five for a minute, then rolls it into one mail', () => {
    const plan = planInstant({ now: at(0), recentAlerts: [], held: [], incoming: pubs(20) });
    expect(plan).toEqual({ action: 'hold', items: pubs(20), until: new Date(at(0).getTime() + BURST_GATHER_MS).toISOString() });
    // The queue hands the burst over in batches: each joins the same hold, whose time does not move.
    const next = planInstant({ now: at(0.2), recentAlerts: [], held: pubs(20), heldUntil: plan.action === 'hold' ? plan.until : '', incoming: pubs(100, 20) });
    expect(next).toEqual({ action: 'hold', items: pubs(120), until: new Date(at(0).getTime() + BURST_GATHER_MS).toISOString() });
    // When the gathering ends, everything held goes as one mail.
    expect(planInstant({ now: at(1), recentAlerts: [], held: pubs(120), heldUntil: iso(1), incoming: [] })).toEqual({ action: 'rollup', items: pubs(120) });
    // Five already mailed in the window: the sixth starts a burst.
    const sixth = planInstant({ now: at(5), recentAlerts: [iso(1), iso(2), iso(3), iso(4), iso(4.5)], held: [], incoming: pubs(1, 10) });
    expect(sixth.action).toBe('hold');
  });

  it('holds further matches until ten minutes after the last rollup', () => {
    const plan = planInstant({ now: at(3), recentAlerts: [], lastRollupAt: iso(0), held: [], incoming: pubs(7) });
    expect(plan).toEqual({ action: 'hold', items: pubs(7), until: iso(10) });
    // More arriving while some are held joins them.
    const more = planInstant({ now: at(6), recentAlerts: [], lastRollupAt: iso(0), held: pubs(7), heldUntil: iso(10), incoming: pubs(2, 7) });
    expect(more).toEqual({ action: 'hold', items: pubs(9), until: iso(10) });
    // At the release time everything held goes as one mail.
    expect(planInstant({ now: at(10), recentAlerts: [], lastRollupAt: iso(0), held: pubs(9), heldUntil: iso(10), incoming: [] })).toEqual({ action: 'rollup', items: pubs(9) });
  });

  it('never mails a publication twice within one plan', () => {
    const plan = planInstant({ now: at(20), recentAlerts: [], lastRollupAt: iso(0), held: pubs(3), heldUntil: iso(10), incoming: pubs(5, 1) });
    expect(plan.items.map((p) => p.id)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
  });

  it('forgets alerts older than ten minutes', () => {
    const recent = [iso(0), iso(1), iso(2), iso(3), iso(4)];
    expect(planInstant({ now: at(9.5), recentAlerts: recent, held: [], incoming: pubs(1) }).action).toBe('hold');
    expect(planInstant({ now: at(10.5), recentAlerts: recent, held: [], incoming: pubs(1) }).action).toBe('each');
    expect(recordSent(recent, at(12), 2)).toEqual([iso(3), iso(4), iso(12), iso(12)]);
  });

  it('limits a steady trickle to one mail per ten minutes once the burst has begun', () => {
    let recent: string[] = [];
    let lastRollupAt: string | undefined;
    let held: AlertPublication[] = [];
    let heldUntil: string | undefined;
    const mails: { minute: number; count: number }[] = [];
    for (let minute = 0; minute < 60; minute += 1) {
      const now = at(minute);
      const release = heldUntil !== undefined && heldUntil <= now.toISOString();
      const incoming = pubs(1, minute);
      for (const batch of release ? [[], incoming] : [incoming]) {
        const plan = planInstant({ now, recentAlerts: recent, lastRollupAt, held, heldUntil, incoming: batch });
        if (plan.action === 'hold') {
          held = plan.items;
          heldUntil = plan.until;
          continue;
        }
        if (plan.items.length === 0) continue;
        if (plan.action === 'rollup') mails.push({ minute, count: plan.items.length }), (lastRollupAt = now.toISOString());
        else for (const _p of plan.items) mails.push({ minute, count: 1 });
        recent = recordSent(recent, now, plan.items.length);
        held = [];
        heldUntil = undefined;
      }
    }
    expect(mails.slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((minute) => ({ minute, count: 1 })));
    // Nothing lost: every publication was mailed or is still held for the next rollup.
    expect(mails.reduce((n, m) => n + m.count, 0) + held.length).toBe(60);
    const later = mails.slice(5);
    expect(later.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < later.length; i += 1) expect(later[i]!.minute - later[i - 1]!.minute).toBeGreaterThanOrEqual(10);
  });
});
