// E-mail alert subscriptions and what the mailer keeps about them, in the hub's one DynamoDB table
// (shared/adapters/dynamo/subscription-store.ts; README "Storage" for keys and access patterns).
import type { Enclosure } from '../model.ts';

export type Frequency = 'instant' | 'daily' | 'weekly';
export const FREQUENCIES: readonly Frequency[] = ['instant', 'daily', 'weekly'];

/** pending: asked for, not confirmed yet; suspended: the address bounced or complained. */
export type SubscriptionStatus = 'pending' | 'active' | 'suspended' | 'unsubscribed';

/** Empty lists mean "any". */
export interface AlertFilters {
  members: string[];
  categories: string[];
  languages: string[];
  keywords: string[];
}

/** A subscription request waiting for its confirmation link to be followed. */
export interface PendingRequest {
  filters: AlertFilters;
  frequency: Frequency;
  /** Carried by the confirmation link: only the latest request's link confirms. */
  nonce: string;
  requestedAt: string;
  /** The language of the page (or API request) the request came from: its mails are in it. */
  language?: string;
}

export interface Subscription {
  /** Keyed hash (HMAC) of the normalised address: keys never hold the address in clear. */
  id: string;
  /** The normalised address. Never logged, never returned by a public endpoint. */
  email: string;
  status: SubscriptionStatus;
  filters: AlertFilters;
  frequency: Frequency;
  /** The language mails are written in ("en", "fr", "es"): the one the subscriber asked in; English when absent. */
  language?: string;
  /** Random, per subscription; manage and unsubscribe links carry it, so deleting the subscriber revokes them. */
  gen: string;
  createdAt: string;
  updatedAt: string;
  confirmedAt?: string;
  pending?: PendingRequest;
  /** At most one confirmation mail an hour per address. */
  lastConfirmationSentAt?: string;
  /** Digests: the next digest covers announcements from here on, and is due at `nextDigestAt`. */
  lastDigestAt?: string;
  nextDigestAt?: string;
  /** Instant alerts: when each publication mailed in the last ten minutes went out (burst rollup). */
  recentAlerts: string[];
  lastRollupAt?: string;
  /** Matches held back during a burst go out together at this time. */
  heldUntil?: string;
  suspendedReason?: 'bounce' | 'complaint';
  suspendedAt?: string;
  unsubscribedAt?: string;
  /** Revision for optimistic concurrency: a save succeeds only over the revision it read. */
  rev: number;
}

/** What an alert needs of a publication: the announcement body (see shared/adapters/sns-notifier.ts). */
export interface AlertPublication {
  id: string;
  title: string;
  link?: string;
  summary?: string;
  published?: string;
  members: string[];
  categories: string[];
  language?: string;
  enclosures: Enclosure[];
  firstSeen: string;
}

export type DeliveryKind = 'alert' | 'rollup' | 'digest';

/** One publication mailed (or being mailed) to one subscriber: what makes every send happen once. */
export interface DeliveryRecord {
  publicationId: string;
  state: 'sending' | 'sent';
  kind: DeliveryKind;
  at: string;
  messageId?: string;
}

export interface LoggedAnnouncement {
  publication: AlertPublication;
  /** When the alerts queue first delivered it: digests cover announcements by this time. */
  loggedAt: string;
}

export interface SubscriptionStore {
  getSubscription(id: string): Promise<Subscription | undefined>;
  /** Creates it (rev 1) unless one with its id exists; false when it existed. */
  createSubscription(sub: Subscription): Promise<boolean>;
  /** Writes `sub` as revision `sub.rev + 1` if the stored one is still `sub.rev`; false otherwise. */
  saveSubscription(sub: Subscription): Promise<boolean>;
  /** The subscription and everything kept about it (deliveries, held matches); false when none. */
  deleteSubscriber(id: string): Promise<boolean>;

  /** Active subscriptions with instant delivery. */
  listInstantSubscriptions(): Promise<Subscription[]>;
  /** Active digest subscriptions whose next digest is due at or before `until`, soonest first. */
  listDueDigests(until: string, limit: number): Promise<Subscription[]>;
  /** Subscriptions with held burst matches due at or before `until`. */
  listDueHeld(until: string, limit: number): Promise<Subscription[]>;
  /** Subscriptions never confirmed whose latest request is older than `before` (their address is deleted then). */
  listUnconfirmed(before: string, limit: number): Promise<Subscription[]>;

  /**
   * Claims the right to mail each publication to the subscriber: granted when it was never mailed,
   * or when an earlier claim lapsed without being completed. Returns the ids claimed.
   */
  claimDeliveries(subscriptionId: string, publicationIds: string[], kind: DeliveryKind, now: string, leaseUntil: string): Promise<string[]>;
  completeDeliveries(subscriptionId: string, publicationIds: string[], sent: { messageId: string; at: string }): Promise<void>;
  /** Gives claims back after a failed send (completed deliveries are never released). */
  releaseDeliveries(subscriptionId: string, publicationIds: string[]): Promise<void>;
  listDeliveries(subscriptionId: string): Promise<DeliveryRecord[]>;

  holdAlerts(subscriptionId: string, publications: AlertPublication[], at: string): Promise<void>;
  listHeld(subscriptionId: string): Promise<AlertPublication[]>;
  removeHeld(subscriptionId: string, publicationIds: string[]): Promise<void>;

  /** Keeps announcements for digests; the first `loggedAt` of a publication stays. */
  logAnnouncements(publications: AlertPublication[], at: string): Promise<void>;
  /** Announcements logged in [from, until), at most the last 40 days. */
  listLogged(from: string, until: string): Promise<LoggedAnnouncement[]>;
}
