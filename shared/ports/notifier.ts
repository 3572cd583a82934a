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
