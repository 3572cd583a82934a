/**
 * Keeps one feed from being polled twice at once. In AWS a redelivered queue message can start a
 * second poll in another Lambda, so the lease lives in the table; the local hub is the only process
 * on its data folder, so a lease in memory does the same job without a write per poll.
 */
export interface PollLease {
  acquire(feedId: string, now: string, until: string): Promise<boolean>;
  release(feedId: string): Promise<void>;
}
