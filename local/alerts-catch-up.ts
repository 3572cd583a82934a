// The local alerts queue lives in memory (fauxqs 1.x), so a hub stopped while alerts waited for the
// mail server would lose them. At start, publications announced in the last two days are put back
// into the queue: the delivery records let each subscriber get each publication at most once, and
// nobody gets a paper first seen before they confirmed, so the replay mails exactly what is missing.
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { announcementBody } from '../shared/ports/notifier.ts';
import type { Publication } from '../shared/model.ts';
import type { PublicationStore } from '../shared/ports/store.ts';
import type { LocalAlerts } from './alerts-runtime.ts';

export const CATCH_UP_HOURS = 48;
const MAX_SCANNED = 2000;

export async function recentlyAnnounced(store: PublicationStore, now: Date, hours = CATCH_UP_HOURS): Promise<Publication[]> {
  const since = new Date(now.getTime() - hours * 3_600_000).toISOString();
  const found: Publication[] = [];
  let cursor: string | undefined;
  let scanned = 0;
  do {
    const page = await store.listPublications({ limit: 200, cursor });
    for (const p of page.items) if (p.announcedAt && p.firstSeen >= since) found.push(p);
    scanned += page.items.length;
    cursor = page.cursor;
    // Newest first by sort date, which is never later than first-seen: older pages hold older papers,
    // except back-dated ones, which the scan limit bounds.
  } while (cursor && scanned < MAX_SCANNED);
  return found;
}

export async function requeueRecentAnnouncements(alerts: LocalAlerts, store: PublicationStore, now: Date): Promise<number> {
  const recent = await recentlyAnnounced(store, now);
  for (let i = 0; i < recent.length; i += 10) {
    await alerts.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: alerts.queueUrl,
        Entries: recent.slice(i, i + 10).map((p, n) => ({ Id: `r${i + n}`, MessageBody: JSON.stringify(announcementBody(p)) })),
      }),
    );
  }
  return recent.length;
}
