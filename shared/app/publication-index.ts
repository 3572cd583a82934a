// Every publication in memory, newest first, for the latest-publications page and the filtered
// merged feeds: filtering and paging 10,000 items from memory takes milliseconds, while reading them
// from the table on each request takes seconds. Loaded on first use; after `invalidate()` (the local
// hub calls it whenever a poll stores or changes publications) the next reader waits for a fresh load;
// past the TTL (processes that are not told, such as Lambda) the current copy is served while a fresh
// one loads.
import type { Logger } from '../log.ts';
import type { Publication } from '../model.ts';
import type { PublicationStore } from '../ports/store.ts';
import { indexPublication, matcher, type IndexedPublication, type PublicationFilters } from './publication-filters.ts';

export interface IndexSnapshot {
  /** Newest first, as the merged feeds sort. */
  entries: readonly IndexedPublication[];
  /** Categories by how many publications carry them (most first), each spelt as most often seen. */
  categories: readonly { name: string; count: number }[];
  /** Language tags present, sorted. */
  languages: readonly string[];
  /** Publications credited to each member. */
  memberCounts: ReadonlyMap<string, number>;
  /** Each feed's newest publication (by the date the lists sort on), by feed id. */
  newestByFeed: ReadonlyMap<string, NewestPublication>;
  loadedAt: number;
}

/** The dates of a feed's newest publication. */
export interface NewestPublication {
  /** The publication's own date; absent when it gives none, or one later than the hub first saw it. */
  published?: string;
  /** When the hub first stored it. */
  firstSeen: string;
}

export interface ResultPage {
  items: Publication[];
  total: number;
  /** 1-based; clamped to the last page. */
  page: number;
  pages: number;
}

/** Every publication, newest first, in pages of `pageSize`. */
export async function loadAllPublications(store: Pick<PublicationStore, 'listPublications'>, pageSize = 1000): Promise<Publication[]> {
  const all: Publication[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listPublications({ limit: pageSize, cursor });
    all.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return all;
}

export function buildSnapshot(publications: Publication[], loadedAt: number): IndexSnapshot {
  const entries = publications.map(indexPublication);
  const cats = new Map<string, { spellings: Map<string, number>; count: number }>();
  const languages = new Set<string>();
  const memberCounts = new Map<string, number>();
  const newest = new Map<string, Publication>();
  for (const e of entries) {
    for (const m of e.pub.members) memberCounts.set(m, (memberCounts.get(m) ?? 0) + 1);
    for (const f of e.pub.feeds) {
      const seen = newest.get(f);
      if (!seen || e.pub.sortDate > seen.sortDate) newest.set(f, e.pub);
    }
    e.pub.categories.forEach((c, i) => {
      const key = e.categories[i]!;
      if (!key) return;
      const slot = cats.get(key) ?? { spellings: new Map(), count: 0 };
      slot.count += 1;
      slot.spellings.set(c, (slot.spellings.get(c) ?? 0) + 1);
      cats.set(key, slot);
    });
    if (e.pub.language) languages.add(e.pub.language.toLowerCase());
  }
  const categories = [...cats.values()]
    .map((s) => ({ name: [...s.spellings.entries()].sort((a, b) => b[1] - a[1])[0]![0], count: s.count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const newestByFeed = new Map([...newest].map(([feedId, p]) => [feedId, newestOf(p)]));
  return { entries, categories, languages: [...languages].sort(), memberCounts, newestByFeed, loadedAt };
}

/** A date later than the hub first saw the publication is a clock error at the source: not its own date. */
function newestOf(p: Publication): NewestPublication {
  return p.published && p.published <= p.firstSeen ? { published: p.published, firstSeen: p.firstSeen } : { firstSeen: p.firstSeen };
}

export function queryPage(snapshot: IndexSnapshot, filters: PublicationFilters, page: number, pageSize: number): ResultPage {
  const match = matcher(filters);
  const hits = snapshot.entries.filter(match);
  const pages = Math.max(1, Math.ceil(hits.length / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  const items = hits.slice((current - 1) * pageSize, current * pageSize).map((e) => e.pub);
  return { items, total: hits.length, page: current, pages };
}

/** The first `limit` matches, for feeds: stops scanning as soon as it has them. */
export function firstMatches(snapshot: IndexSnapshot, filters: PublicationFilters, limit: number): Publication[] {
  const match = matcher(filters);
  const out: Publication[] = [];
  for (const e of snapshot.entries) {
    if (out.length >= limit) break;
    if (match(e)) out.push(e.pub);
  }
  return out;
}

export class PublicationIndex {
  private current?: IndexSnapshot;
  private loading?: Promise<IndexSnapshot>;
  private generation = 0;
  private loadedGeneration = -1;
  /** Refreshes behind a served copy that failed, since the process started (readers kept the older copy). */
  failedRefreshes = 0;

  constructor(
    private readonly load: () => Promise<Publication[]>,
    private readonly options: { ttlSeconds?: number; clock?: () => number; log?: Logger } = {},
  ) {}

  /** Publications were stored or changed: the next reader gets a fresh copy. */
  invalidate(): void {
    this.generation += 1;
  }

  async snapshot(): Promise<IndexSnapshot> {
    const clock = this.options.clock ?? Date.now;
    const ttl = (this.options.ttlSeconds ?? 60) * 1000;
    const snap = this.current;
    if (snap && this.loadedGeneration === this.generation) {
      // Past the TTL: serve this copy and load the next one behind it.
      if (clock() - snap.loadedAt >= ttl) {
        void this.reload().catch((err: unknown) => {
          // Nobody awaits this load: readers keep the copy they have, which grows older until a load works.
          this.failedRefreshes += 1;
          this.options.log?.warn('publication index refresh failed; serving the older copy', {
            error: err instanceof Error ? err.message : String(err),
            copy_age_seconds: Math.round((clock() - snap.loadedAt) / 1000),
            publication_count: snap.entries.length,
            failed_refreshes: this.failedRefreshes,
          });
        });
      }
      return snap;
    }
    return this.reload();
  }

  private reload(): Promise<IndexSnapshot> {
    this.loading ??= (async () => {
      try {
        // A change announced while loading may have missed this read: load again (at most twice more).
        for (let attempt = 0; ; attempt += 1) {
          const generation = this.generation;
          const publications = await this.load();
          const snap = buildSnapshot(publications, (this.options.clock ?? Date.now)());
          this.current = snap;
          this.loadedGeneration = generation;
          if (generation === this.generation || attempt >= 2) return snap;
        }
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
