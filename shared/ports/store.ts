// Storage ports, shaped by what the hub does with its data. One DynamoDB table implements all three
// (shared/adapters/dynamo/); see README "Storage" for keys and access patterns.
import type { Feed, Member, Publication } from '../model.ts';

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  cursor?: string;
}

/** A change to an existing publication found again in a feed. */
export interface PublicationChange {
  id: string;
  /** New content fields when the item was edited at the source. */
  content?: Partial<Pick<Publication, 'title' | 'link' | 'guid' | 'summary' | 'text' | 'published' | 'publishedRaw' | 'updated' | 'updatedRaw' | 'authors' | 'categories' | 'enclosures' | 'language' | 'contentHash' | 'sortDate' | 'removedFeeds'>>;
  /** Credit another member (and feed) with it: joint papers. */
  credit?: { memberId: string; feedId: string };
}

export interface PublicationStore {
  /** Publications by id (strongly consistent); ids not stored are absent from the map. */
  getPublications(ids: string[]): Promise<Map<string, Publication>>;
  /**
   * Stores each publication unless one with its id already exists, marked as not yet announced and
   * claimed for announcement until `claimUntil`. Returns what it created and the ids that already existed.
   */
  createPublications(publications: Publication[], claimUntil: string): Promise<{ created: Publication[]; existing: string[] }>;
  applyChanges(changes: PublicationChange[]): Promise<void>;
  /** Newest first (by sortDate), across all members or for one member. */
  listPublications(query: { memberId?: string; limit: number; cursor?: string }): Promise<Page<Publication>>;
  /** Publications not yet announced whose announcement claim has lapsed at `now`. */
  listUnannounced(now: string, limit: number): Promise<Publication[]>;
  /** Takes the announcement claim; false when another process holds it or it is already announced. */
  claimAnnouncement(id: string, now: string, claimUntil: string): Promise<boolean>;
  markAnnounced(ids: string[], at: string): Promise<void>;
}

export interface FeedStore {
  getFeed(id: string): Promise<Feed | undefined>;
  /** Creates a feed; ConflictError when the id exists. */
  createFeed(feed: Feed): Promise<void>;
  /** Writes the whole feed state (after a poll or an edit). */
  saveFeed(feed: Feed): Promise<void>;
  deleteFeed(id: string): Promise<void>;
  listFeeds(query?: { memberId?: string }): Promise<Feed[]>;
  /** Feeds whose nextPollAt <= now, not paused, soonest first. */
  listDueFeeds(now: string, limit: number): Promise<Feed[]>;
  /** Takes a short lease so that one feed is never polled twice at once (e.g. a redelivered message). */
  acquirePollLease(feedId: string, now: string, until: string): Promise<boolean>;
  releasePollLease(feedId: string): Promise<void>;
}

export interface MemberStore {
  getMember(id: string): Promise<Member | undefined>;
  /** Creates the member unless it exists; returns false when it existed. */
  createMember(member: Member): Promise<boolean>;
  saveMember(member: Member): Promise<void>;
  listMembers(): Promise<Member[]>;
  /** API keys are stored by their SHA-256 hash only. */
  putApiKey(keyHash: string, memberId: string, createdAt: string): Promise<void>;
  findMemberIdByKeyHash(keyHash: string): Promise<string | undefined>;
  deleteApiKey(keyHash: string): Promise<void>;
  /**
   * Records that a one-time token (a sign-in link's nonce) was used: true the first time, false ever
   * after. `expiresAt` lets the record be cleaned up (TTL in AWS) once the token could not work anyway.
   */
  useOnce(token: string, expiresAt: string): Promise<boolean>;
}

export type HubStore = PublicationStore & FeedStore & MemberStore;
