// One error hierarchy. Each error carries a stable `code` a user can act on and keeps its `cause`.
// The core never speaks HTTP: shared/http maps kinds to status codes.

export type ErrorKind =
  | 'fetch' // the network, a timeout, an HTTP status, a blocked address
  | 'parse' // the bytes are not a feed we can read
  | 'validation' // the request or input is wrong
  | 'auth' // who you are / what you may do
  | 'not_found'
  | 'conflict'
  | 'rate_limit'
  | 'config'
  | 'internal';

export class HubError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  /** Extra facts safe to show a user (never secrets or personal data). */
  readonly details?: Record<string, unknown>;

  constructor(kind: ErrorKind, code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.code = code;
    this.details = options?.details;
  }
}

export class FetchError extends HubError {
  /** HTTP status when the server answered. */
  readonly status?: number;
  /** Seconds the server asked us to wait (Retry-After), when it did. */
  readonly retryAfterSeconds?: number;

  constructor(
    code: string,
    message: string,
    options?: { cause?: unknown; status?: number; retryAfterSeconds?: number; details?: Record<string, unknown> },
  ) {
    super('fetch', code, message, options);
    this.status = options?.status;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

export class ParseError extends HubError {
  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super('parse', code, message, options);
  }
}

export class ValidationError extends HubError {
  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super('validation', code, message, options);
  }
}

export class AuthError extends HubError {
  /** 'unauthenticated' -> 401, 'forbidden' -> 403 */
  constructor(code: 'unauthenticated' | 'forbidden', message: string) {
    super('auth', code, message);
  }
}

export class NotFoundError extends HubError {
  constructor(message: string, code = 'not_found') {
    super('not_found', code, message);
  }
}

export class ConflictError extends HubError {
  constructor(code: string, message: string) {
    super('conflict', code, message);
  }
}

export class RateLimitError extends HubError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('rate_limit', 'rate_limited', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class ConfigError extends HubError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super('config', 'invalid_config', `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}

/** Wraps anything thrown into a HubError, keeping the original as `cause`. */
export function toHubError(err: unknown): HubError {
  if (err instanceof HubError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new HubError('internal', 'internal_error', message, { cause: err });
}
