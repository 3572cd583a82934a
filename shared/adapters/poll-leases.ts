import type { PollLease } from '../ports/lease.ts';
import type { FeedStore } from '../ports/store.ts';

/** Leases in the table: safe across processes (Lambda). */
export function storeLease(store: Pick<FeedStore, 'acquirePollLease' | 'releasePollLease'>): PollLease {
  return {
    acquire: (feedId, now, until) => store.acquirePollLease(feedId, now, until),
    release: (feedId) => store.releasePollLease(feedId),
  };
}

/** Leases in memory: for the one process that owns a data folder (the local hub, the CLI). */
export function inProcessLease(): PollLease {
  const held = new Set<string>();
  return {
    acquire: async (feedId) => {
      if (held.has(feedId)) return false;
      held.add(feedId);
      return true;
    },
    release: async (feedId) => {
      held.delete(feedId);
    },
  };
}
