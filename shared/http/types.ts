// A transport-neutral request and response, so the same routes serve node:http (the local hub) and
// API Gateway v2 (Lambda).
import { HubError, RateLimitError, toHubError, type ErrorKind } from '../errors.ts';

export interface HttpRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-cased names. */
  headers: Record<string, string | undefined>;
  body?: string;
  sourceIp?: string;
}

export interface HttpResponse {
  status: number;
  /** One value per header; cookies go in `cookies` (a `set-cookie` header here is sent as one more cookie). */
  headers: Record<string, string>;
  body: string | Buffer;
  /** Set-Cookie values, each sent as its own header (API Gateway v2's `cookies`). */
  cookies?: string[];
}

/** The largest request body either runtime reads (the local server and the API Gateway adapter). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A body over MAX_BODY_BYTES: a 413 that names the limit, in either runtime. */
export class BodyTooLargeError extends HubError {
  /** The request without its body, so the answer can suit the client (an HTML page for a browser). */
  readonly request: HttpRequest;
  constructor(request: HttpRequest) {
    super('validation', 'body_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB.`, { details: { limit_bytes: MAX_BODY_BYTES } });
    this.request = request;
  }
}

/** Every Set-Cookie value of a response: the `set-cookie` header, if any, then `cookies`. */
export function responseCookies(res: HttpResponse): string[] {
  const header = Object.entries(res.headers).find(([k]) => k.toLowerCase() === 'set-cookie')?.[1];
  return [...(header !== undefined ? [header] : []), ...(res.cookies ?? [])];
}

/** The response with one more cookie set. */
export function withCookie(res: HttpResponse, cookie: string): HttpResponse {
  return { ...res, cookies: [...(res.cookies ?? []), cookie] };
}

const STATUS: Record<ErrorKind, number> = {
  fetch: 422,
  parse: 422,
  validation: 422,
  auth: 401,
  not_found: 404,
  conflict: 409,
  rate_limit: 429,
  config: 500,
  internal: 500,
};

/** Validation errors that are about the request's form rather than its content. */
const VALIDATION_STATUS: Record<string, number> = {
  invalid_json: 400,
  bad_request: 400,
  invalid_cursor: 400,
  invalid_limit: 400,
  invalid_path: 400,
  body_too_large: 413,
  unsupported_media_type: 415,
  headers_too_large: 431,
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }, body: JSON.stringify(body) };
}

/** `{error: {code, message}}` with the right status; internal errors never reveal their details. */
export function errorResponse(err: unknown): HttpResponse {
  const e = toHubError(err);
  let status = STATUS[e.kind];
  if (e.kind === 'auth' && e.code === 'forbidden') status = 403;
  if (e.kind === 'validation') status = VALIDATION_STATUS[e.code] ?? status;
  const headers: Record<string, string> = {};
  if (e instanceof RateLimitError) headers['retry-after'] = String(e.retryAfterSeconds);
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="icat-hub"';
  const message = status >= 500 ? 'Something went wrong on our side. It has been logged; please try again later.' : e.message;
  const details = status < 500 && e.details ? { details: e.details } : {};
  return json(status, { error: { code: status >= 500 ? 'internal_error' : e.code, message, ...details } }, headers);
}

export function isServerError(err: unknown): boolean {
  return !(err instanceof HubError) || STATUS[err.kind] >= 500;
}

/** `application/json` or any `application/...+json` (RFC 6839), parameters aside. */
export function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(type);
}

/**
 * The JSON object in the body ({} without a body). A body must be declared JSON: a text/plain or form
 * post is refused (415) rather than guessed at, so a cross-site form can never reach a JSON endpoint.
 */
export function readJson(req: HttpRequest): Record<string, unknown> {
  if (!req.body) return {};
  if (!isJsonType(req.headers['content-type'])) {
    const got = (req.headers['content-type'] ?? '').split(';')[0]!.trim().slice(0, 100);
    throw new HubError('validation', 'unsupported_media_type', `Send the body as JSON, with Content-Type: application/json (got ${got ? `"${got}"` : 'none'}).`);
  }
  try {
    const parsed: unknown = JSON.parse(req.body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HubError('validation', 'invalid_json', 'The request body must be a JSON object.');
}
