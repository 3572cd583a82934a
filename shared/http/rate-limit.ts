// In-memory token buckets: per client IP on public requests, per member for registrations. Each
// process counts alone (in AWS, each Lambda instance), so these are a first line; API Gateway's
// throttling is the outer limit. Memory stays bounded: idle buckets are dropped, and when too many
// keys are live at once the least recently used go first.
import { isIP } from 'node:net';
import { RateLimitError } from '../errors.ts';
import { errorResponse, type HttpRequest, type HttpResponse } from './types.ts';

/** The limits the HTTP app applies; the same names as in HubConfig (README "Limits"). */
export interface HttpLimits {
  maxFeedsPerMember: number;
  registrationsPerHour: number;
  /** Requests per minute per client address without valid credentials; 0: no limit. */
  publicRateLimit: number;
  /** Proxies in front of the hub that append to X-Forwarded-For. */
  trustProxy: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { maxFeedsPerMember: 50, registrationsPerHour: 20, publicRateLimit: 120, trustProxy: 0 };

export interface RateLimiterOptions {
  /** Requests allowed in a burst, and per window on average. */
  limit: number;
  windowSeconds: number;
  /** Epoch ms. */
  now: () => number;
  /** Keys kept at most; default 10,000. */
  maxKeys?: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** When refused: seconds until one request is allowed again (at least 1). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  // Map keeps insertion order; a bucket is re-inserted on each use, so the first entries are the
  // least recently used.
  private readonly buckets = new Map<string, Bucket>();
  private readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(private readonly options: RateLimiterOptions) {
    if (!(options.limit > 0) || !(options.windowSeconds > 0)) throw new RangeError('limit and windowSeconds must be positive');
    this.windowMs = options.windowSeconds * 1000;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string, cost = 1): RateDecision {
    const now = this.options.now();
    const bucket = this.refilled(key, now);
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    this.evict(now);
    // The epsilon absorbs floating-point dust: a refill of exactly one token must count as one.
    if (bucket.tokens >= cost - 1e-9) {
      bucket.tokens = Math.max(0, bucket.tokens - cost);
      return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
    }
    const wait = ((cost - bucket.tokens) * this.options.windowSeconds) / this.options.limit;
    const retryAfterSeconds = Math.max(1, Math.ceil(wait - 1e-6));
    return { allowed: false, remaining: Math.floor(bucket.tokens), retryAfterSeconds };
  }

  /** Gives tokens back (a request that turned out to cost nothing), never above the limit. */
  refund(key: string, cost = 1): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.options.limit, bucket.tokens + cost);
  }

  private refilled(key: string, now: number): Bucket {
    const b = this.buckets.get(key);
    if (!b) return { tokens: this.options.limit, at: now };
    // A clock that steps back must not mint tokens or lock a key out.
    const elapsed = Math.max(0, now - b.at);
    return { tokens: Math.min(this.options.limit, b.tokens + (elapsed * this.options.limit) / this.windowMs), at: now };
  }

  private evict(now: number): void {
    // A bucket untouched for a whole window is full again, the same as no bucket at all.
    for (const [key, b] of this.buckets) {
      if (now - b.at < this.windowMs) break;
      this.buckets.delete(key);
    }
    while (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
  }
}

/**
 * The address a request came from. `trustProxyHops` is how many proxies in front of the hub append to
 * X-Forwarded-For; 0 (the default) ignores the header, which any client can write.
 */
export function clientIp(req: HttpRequest, trustProxyHops = 0): string {
  const direct = req.sourceIp ?? 'unknown';
  if (trustProxyHops <= 0) return direct;
  const forwarded = (req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  // Nearest first: the peer, then what each trusted proxy saw, right to left.
  const chain = [direct, ...forwarded.reverse()];
  const candidate = chain[Math.min(trustProxyHops, chain.length - 1)] ?? direct;
  return isIP(candidate) ? candidate : direct;
}

export interface PublicGateOptions {
  perMinute: number;
  trustProxy: number;
  now: () => number;
  /** True when the request carries credentials that hold; such requests have their own limits. */
  authenticated: (req: HttpRequest) => Promise<boolean>;
}

/**
 * Per client address, for requests without valid credentials: a 429 with Retry-After once the
 * address has used its requests, else undefined (go on). A request with a bearer token that does not
 * authenticate counts too, so a made-up token neither escapes the limit nor guesses keys freely.
 */
export function createPublicGate(options: PublicGateOptions): (req: HttpRequest) => Promise<HttpResponse | undefined> {
  if (options.perMinute <= 0) return async () => undefined;
  const limiter = new RateLimiter({ limit: options.perMinute, windowSeconds: 60, now: options.now });
  return async (req) => {
    if (req.headers.authorization !== undefined && (await options.authenticated(req))) return undefined;
    const decision = limiter.take(clientIp(req, options.trustProxy));
    if (decision.allowed) return undefined;
    const wait = decision.retryAfterSeconds;
    return errorResponse(new RateLimitError(`Too many requests from your address; try again in ${wait} second${wait === 1 ? '' : 's'}.`, wait));
  };
}
