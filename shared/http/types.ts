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
  headers: Record<string, string>;
  body: string | Buffer;
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

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }, body: JSON.stringify(body) };
}

/** `{error: {code, message}}` with the right status; internal errors never reveal their details. */
export function errorResponse(err: unknown): HttpResponse {
  const e = toHubError(err);
  let status = STATUS[e.kind];
  if (e.kind === 'auth' && e.code === 'forbidden') status = 403;
  if (e.kind === 'validation' && (e.code === 'invalid_json' || e.code === 'bad_request' || e.code === 'invalid_cursor' || e.code === 'invalid_limit')) status = 400;
  if (e.code === 'body_too_large') status = 413;
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

export function readJson(req: HttpRequest): Record<string, unknown> {
  if (!req.body) return {};
  try {
    const parsed: unknown = JSON.parse(req.body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HubError('validation', 'invalid_json', 'The request body must be a JSON object.');
}
