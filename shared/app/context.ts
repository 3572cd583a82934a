// What the use cases need, built once per process (Lambda cold start, local hub, CLI) from validated
// configuration. The use cases never build clients themselves.
import type { Logger } from '../log.ts';
import type { CidrList } from '../net/addresses.ts';
import type { FeedFetcher } from '../ports/fetcher.ts';
import type { PollLease } from '../ports/lease.ts';
import type { Mailer } from '../ports/mailer.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { HubStore } from '../ports/store.ts';

export interface HubContext {
  store: HubStore;
  fetcher: FeedFetcher;
  notifier: Notifier;
  lease: PollLease;
  log: Logger;
  now: () => Date;
  pollIntervalSeconds: number;
  pollConcurrency: number;
  /** Where notices to members go (dead feeds); absent: notices are logged as not sent. */
  mailer?: Mailer;
  mailFrom?: string;
  /** ALLOW_PRIVATE_NETWORKS, so that a refused `localhost` feed address can say what to use instead. */
  allowPrivateNetworks?: CidrList;
  /** Base of links in notices. */
  publicUrl?: string;
  /** Called after publications were created or changed, so caches of rendered feeds can be dropped. */
  onPublicationsChanged?: () => void;
}
