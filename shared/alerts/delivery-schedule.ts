// Digest times and contents. Pure: `now` comes in.
//
// Daily digests go out at 07:00 UTC, weekly ones on Mondays at 07:00 UTC. A digest covers the
// announcements logged from the previous digest's time up to its own time, so nothing falls between
// two digests and nothing is in two. If the hub was down over several digest times, one digest
// covers them all when it is back.
import type { AlertPublication, Frequency, LoggedAnnouncement } from '../ports/subscriptions.ts';

export const DIGEST_HOUR_UTC = 7;
/** A digest runs this long after its time, so that announcements logged just before it are in. */
export const DIGEST_SETTLE_MS = 60_000;
/** A digest never reaches back further than this (a subscriber the hub could not mail for weeks). */
export const DIGEST_MAX_DAYS = 35;

type DigestFrequency = Exclude<Frequency, 'instant'>;

function atDigestHour(day: Date): Date {
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), DIGEST_HOUR_UTC));
}

/** The latest digest time at or before `t`. */
export function latestDigestTime(frequency: DigestFrequency, t: Date): Date {
  let d = atDigestHour(t);
  if (d.getTime() > t.getTime()) d = new Date(d.getTime() - 86_400_000);
  if (frequency === 'weekly') {
    const back = (d.getUTCDay() + 6) % 7; // days since Monday
    d = new Date(d.getTime() - back * 86_400_000);
  }
  return d;
}

/** The first digest time strictly after `t`. */
export function nextDigestTime(frequency: DigestFrequency, t: Date): Date {
  const latest = latestDigestTime(frequency, t);
  return new Date(latest.getTime() + (frequency === 'weekly' ? 7 : 1) * 86_400_000);
}

/** The announcements of a digest window [from, until) that pass `keep`, once each. */
export function digestItems(logged: LoggedAnnouncement[], from: string, until: string, keep: (p: AlertPublication) => boolean): AlertPublication[] {
  const floor = new Date(Date.parse(until) - DIGEST_MAX_DAYS * 86_400_000).toISOString();
  const start = from > floor ? from : floor;
  const byId = new Map<string, AlertPublication>();
  for (const l of logged) if (l.loggedAt >= start && l.loggedAt < until && !byId.has(l.publication.id) && keep(l.publication)) byId.set(l.publication.id, l.publication);
  return [...byId.values()];
}

/** The date a publication sorts by: published, clamped to when the hub first saw it (as the merged feeds do). */
export function shownDate(p: AlertPublication): string {
  return p.published && p.published <= p.firstSeen ? p.published : p.firstSeen;
}

export interface MemberGroup {
  memberId: string;
  items: AlertPublication[];
}

/**
 * Grouped by the member that published first (a joint paper appears once), newest first inside a
 * group; groups ordered by their newest publication, then by member id.
 */
/** Newest first by the date a reader sees (published, else first seen), then by id: the order of every list in a mail. */
export function newestFirst(a: AlertPublication, b: AlertPublication): number {
  return shownDate(b).localeCompare(shownDate(a)) || a.id.localeCompare(b.id);
}

export function groupByMember(items: AlertPublication[]): MemberGroup[] {
  const groups = new Map<string, AlertPublication[]>();
  for (const p of items) {
    const key = p.members[0] ?? '';
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.entries()]
    .map(([memberId, list]) => ({ memberId, items: list.sort(newestFirst) }))
    .sort((a, b) => shownDate(b.items[0]!).localeCompare(shownDate(a.items[0]!)) || a.memberId.localeCompare(b.memberId));
}
