// The port through which the hub reads feeds from the web. The HTTP adapter alone knows about
// conditional requests, redirects, compression, size caps and address guards.

export interface ConditionalHeaders {
  etag?: string;
  lastModified?: string;
}

export interface FetchedFeed {
  status: 200;
  body: Buffer;
  /** The Content-Type header as sent, e.g. "application/rss+xml; charset=iso-8859-1". */
  contentType?: string;
  etag?: string;
  lastModified?: string;
  /** The URL the body came from after redirects. */
  finalUrl: string;
  /** A permanent redirect (301/308) was followed: the feed has moved. */
  movedPermanently?: boolean;
  /** Cache-Control max-age in seconds, when sent. */
  maxAgeSeconds?: number;
}

export interface NotModified {
  status: 304;
  finalUrl: string;
  etag?: string;
  lastModified?: string;
  maxAgeSeconds?: number;
}

export type FetchResult = FetchedFeed | NotModified;

export interface FeedFetcher {
  /** Resolves with the body or a 304; rejects with a FetchError (shared/errors.ts) for everything else. */
  fetch(url: string, conditional?: ConditionalHeaders, signal?: AbortSignal): Promise<FetchResult>;
}
