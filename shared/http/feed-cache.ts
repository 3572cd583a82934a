// Rendered feeds are cached in memory: readers poll the same few documents over and over, and a render
// costs a store query. Entries live `ttlSeconds` at most and are dropped at once when this process
// stores new publications (the local hub; in AWS the poller is another process, so the TTL bounds
// staleness, as does the CDN in front).

export interface CachedDocument {
  body: string;
  etag: string;
  lastModified: string;
  contentType: string;
}

export class FeedCache {
  private readonly entries = new Map<string, { doc: CachedDocument; expires: number }>();
  private generation = 0;

  constructor(
    private readonly ttlSeconds: number,
    private readonly clock: () => number = Date.now,
    private readonly maxEntries = 500,
  ) {}

  async get(key: string, build: () => Promise<CachedDocument>): Promise<CachedDocument> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.clock()) return hit.doc;
    const generation = this.generation;
    const doc = await build();
    // Do not keep a document built from data that an invalidation has since made stale.
    if (generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { doc, expires: this.clock() + this.ttlSeconds * 1000 });
    }
    return doc;
  }

  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
