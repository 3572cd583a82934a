// The domain model. Plain data only: everything here crosses the store, the wire and the CLI.

export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'json';

export interface Enclosure {
  url: string;
  type?: string;
  length?: number;
}

/** A date as the feed gave it: `iso` is UTC ISO 8601 when it could be parsed, `raw` is always kept. */
export interface FeedDate {
  iso?: string;
  raw: string;
}

/** One item of a parsed feed, normalised; the same shape whatever the source format. */
export interface NormalisedItem {
  /** Stable, collision-free id (see shared/core/ids.ts for how it is derived). */
  id: string;
  guid?: string;
  title: string;
  /** Canonical link: absolute, resolved against xml:base and the feed URL, tracking parameters removed. */
  link?: string;
  published?: FeedDate;
  updated?: FeedDate;
  /** Sanitised HTML. */
  summary?: string;
  /** Plain text of the summary. */
  text?: string;
  authors: string[];
  categories: string[];
  enclosures: Enclosure[];
  language?: string;
}

export interface NormalisedFeed {
  format: FeedFormat;
  /** e.g. "rss 2.0", "atom 1.0", "json 1.1" */
  version?: string;
  /** Absent when the feed has none: placeholders are the pages' business. */
  title?: string;
  link?: string;
  description?: string;
  language?: string;
  /** Poll hints the feed gives (RSS <ttl>, sy:updatePeriod/updateFrequency), in seconds. */
  minIntervalSeconds?: number;
  items: NormalisedItem[];
  /** Set when the document held more items than the hub takes from one document (only the newest are in `items`). */
  itemsInDocument?: number;
  /** Problems that did not stop the parse, in words a member understands. */
  warnings: string[];
}

/** A stored publication: a normalised item credited to one or more members. */
export interface Publication {
  id: string;
  title: string;
  link?: string;
  guid?: string;
  summary?: string;
  text?: string;
  published?: string;
  publishedRaw?: string;
  updated?: string;
  updatedRaw?: string;
  authors: string[];
  categories: string[];
  enclosures: Enclosure[];
  language?: string;
  /** Member ids credited, first one first. */
  members: string[];
  /** Feed ids that carried it. */
  feeds: string[];
  /** When the hub first stored it (UTC ISO 8601). */
  firstSeen: string;
  /** The date the merged feeds sort on: published, clamped to firstSeen when it is later than that. */
  sortDate: string;
  /** Hash of the content fields, to tell an edited item from an unchanged one. */
  contentHash: string;
  /** Set when the publication has been announced on the topic. */
  announcedAt?: string;
  /** Feeds among `feeds` that have since been removed: the publication stays, marked as such. */
  removedFeeds?: string[];
}

export type FeedStatus = 'ok' | 'not_modified' | 'error' | 'pending' | 'paused' | 'dead';

/** One UTC day of a feed's checks (the feed keeps the last 30). */
export interface CheckDay {
  /** YYYY-MM-DD */
  day: string;
  /** Checks recorded that day (a routine 304 is recorded at least once a day, not every time). */
  checks: number;
  errors: number;
  newItems: number;
  /** Status code of the last recorded check, when the server answered. */
  lastStatusCode?: number;
}

/** What a member sets on a feed: applied to its items that do not say for themselves. */
export interface FeedDefaults {
  language?: string;
  categories?: string[];
}

export interface FeedError {
  code: string;
  message: string;
  at: string;
  status?: number;
}

export interface Feed {
  id: string;
  memberId: string;
  url: string;
  title?: string;
  format?: FeedFormat;
  status: FeedStatus;
  createdAt: string;
  etag?: string;
  lastModified?: string;
  lastFetchAt?: string;
  lastSuccessAt?: string;
  lastStatusCode?: number;
  consecutiveErrors: number;
  lastError?: FeedError;
  /** When the scheduler may next poll it (UTC ISO 8601). */
  nextPollAt: string;
  /** Poll interval the feed itself asks for (ttl / sy:updatePeriod / Cache-Control), seconds. */
  minIntervalSeconds?: number;
  itemsSeen: number;
  removed?: boolean;
  removedAt?: string;
  /** Why the feed is pending: its host is not one of the member's verified domains. */
  pendingReason?: string;
  /** Status to return to on resume (a paused feed remembers whether it was pending). */
  pausedFrom?: FeedStatus;
  defaults?: FeedDefaults;
  /** When the current run of errors began (cleared on success). */
  errorsSince?: string;
  /** When the member was told the feed is dead (cleared, and a recovery notice sent, on success). */
  deadNoticeAt?: string;
  /** When the last new item arrived, and the mean interval between new items (seconds). */
  lastNewItemAt?: string;
  meanNewItemIntervalSeconds?: number;
  /** The server sent ETag or Last-Modified at least once. */
  conditionalSupported?: boolean;
  history?: CheckDay[];
  /**
   * Items in the last document fetched, when that was more than the hub takes from one document
   * (MAX_ITEMS_PER_DOCUMENT, newest first); cleared by a document within the limit.
   */
  itemsInDocument?: number;
}

export interface Member {
  id: string;
  name: string;
  acronym?: string;
  website?: string;
  /** Contact for notices about the member's feeds. Never logged, never public. */
  email?: string;
  /** The language notices to the member are written in ("en", "fr", "es"); English when absent. */
  language?: string;
  /** Suggestions only: never polled until registered as a feed. */
  candidateFeeds: { url: string; verified: false }[];
  createdAt: string;
  /** True once an admin created it through the API (a key was issued). */
  active: boolean;
  /** Domains the member proved it controls; feeds on them (and their subdomains) need no approval. */
  domains?: MemberDomain[];
  /** The member's live API keys: an id to name them by and the SHA-256 of the key (never the key). */
  keys?: { id: string; hash: string; createdAt: string }[];
}

export interface MemberDomain {
  domain: string;
  /** The value to publish at https://{domain}/.well-known/icat-hub-verification.txt or in a DNS TXT record. */
  token: string;
  requestedAt: string;
  verifiedAt?: string;
  method?: 'well-known' | 'dns' | 'admin';
}

/** What one poll of one feed came to. */
export interface PollOutcome {
  feedId: string;
  memberId: string;
  url: string;
  /** `pending`: checked, but not published until the member's domain is verified or an admin approves. */
  result: 'new' | 'unchanged' | 'not_modified' | 'pending' | 'error' | 'skipped';
  newCount: number;
  updatedCount: number;
  error?: FeedError;
}

export interface CycleSummary {
  feedsPolled: number;
  notModified: number;
  unchanged: number;
  pending: number;
  newPublications: number;
  updatedPublications: number;
  errors: number;
  announced: number;
  outcomes: PollOutcome[];
}
