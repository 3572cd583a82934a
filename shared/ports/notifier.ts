import type { Publication } from '../model.ts';

export interface AnnounceResult {
  /** Ids published on the topic. */
  announced: string[];
  /** Ids the topic refused or that could not be sent; they stay pending and are retried later. */
  failed: { id: string; error: string }[];
}

/** Announces new publications to whoever listens (the SNS topic `publications`). */
export interface Notifier {
  announce(publications: Publication[]): Promise<AnnounceResult>;
}

/** Summaries in an announcement are cut to this many characters. */
const MAX_SUMMARY = 1000;

/**
 * The body of an announcement on the topic `publications`, as every subscriber reads it (the alerts
 * queue among them): the wire shape is this port's, whatever adapter carries it.
 */
export interface AnnouncementBody {
  id: string;
  title: string;
  link: string | null;
  summary: string | null;
  published: string | null;
  members: string[];
  categories: string[];
  language: string | null;
  enclosures: { url: string; type?: string; length?: number }[];
  first_seen: string;
}

export function announcementBody(p: Publication): AnnouncementBody {
  const text = p.text ?? '';
  return {
    id: p.id,
    title: p.title,
    link: p.link ?? null,
    summary: text ? (text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text) : null,
    published: p.published ?? null,
    members: p.members,
    categories: p.categories,
    language: p.language ?? null,
    enclosures: p.enclosures,
    first_seen: p.firstSeen,
  };
}
