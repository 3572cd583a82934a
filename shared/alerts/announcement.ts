// The announcement on the topic `publications` (its shape: shared/ports/notifier.ts), read back by the
// alerts queue. Checked field by field: a message that is not an announcement is an error the admin
// sees in the dead-letter queue, never a half-filled alert.
import type { AnnouncementBody } from '../ports/notifier.ts';
import { ValidationError } from '../errors.ts';
import type { Enclosure } from '../model.ts';
import type { AlertPublication } from '../ports/subscriptions.ts';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

function enclosures(v: unknown): Enclosure[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((e) => {
    const url = str((e as { url?: unknown } | null)?.url);
    if (!url) return [];
    const { type, length } = e as { type?: unknown; length?: unknown };
    return [{ url, ...(typeof type === 'string' ? { type } : {}), ...(typeof length === 'number' ? { length } : {}) }];
  });
}

export function parseAnnouncement(body: string): AlertPublication {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw new ValidationError('bad_announcement', 'The message is not JSON.', { cause: err });
  }
  const a = (parsed ?? {}) as Partial<Record<keyof AnnouncementBody, unknown>>;
  const id = str(a.id);
  const title = str(a.title);
  const firstSeen = str(a.first_seen);
  if (!id || !title || !firstSeen || Number.isNaN(Date.parse(firstSeen))) throw new ValidationError('bad_announcement', 'The message is not an announcement: it needs id, title and first_seen.');
  const published = str(a.published);
  return {
    id,
    title,
    ...(str(a.link) ? { link: str(a.link) } : {}),
    ...(str(a.summary) ? { summary: str(a.summary) } : {}),
    ...(published && !Number.isNaN(Date.parse(published)) ? { published } : {}),
    members: strings(a.members),
    categories: strings(a.categories),
    ...(str(a.language) ? { language: str(a.language) } : {}),
    enclosures: enclosures(a.enclosures),
    firstSeen,
  };
}

/** True when the body looks like an announcement (as opposed to a mail-service notification). */
export function looksLikeAnnouncement(parsed: unknown): boolean {
  const a = parsed as { id?: unknown; first_seen?: unknown } | null;
  return !!a && typeof a === 'object' && typeof a.id === 'string' && 'first_seen' in a;
}
