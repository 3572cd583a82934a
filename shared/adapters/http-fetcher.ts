// FeedFetcher over node:http / node:https. It alone knows conditional GET, redirects, compression,
// size caps, timeouts and the address guard, and turns every failure into a FetchError a member
// can act on. Plain http.request rather than fetch(): only it lets us supply the connect-time lookup.
import http, { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable, pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { FetchError } from '../errors.ts';
import { allowedLoopbackAlternative, isAddressAllowed, type CidrList } from '../net/addresses.ts';
import { blockedAddressError, createGuardedLookup } from '../net/guarded-lookup.ts';
import type { ConditionalHeaders, FeedFetcher, FetchResult } from '../ports/fetcher.ts';

export interface HttpFetcherOptions {
  /** Non-public ranges the hub may still fetch from (e.g. a test server); empty in production. */
  allowPrivateNetworks: CidrList;
  userAgent?: string;
  /** Whole fetch, redirects and body included. Default 20 s. */
  timeoutMs?: number;
  /** Cap on both the bytes received and the bytes after decompression. Default 15 MiB. */
  maxBytes?: number;
  maxRedirects?: number;
  /** Name resolution, default dns.lookup; every answer still passes the address guard. */
  lookup?: LookupFunction;
  /** Clock (epoch ms) for Retry-After dates. */
  now?: () => number;
}

const MIB = 1024 * 1024;
const ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Settings {
  allow: CidrList;
  lookup: LookupFunction;
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  now: () => number;
  agents: { 'http:': http.Agent; 'https:': https.Agent };
}

export function createHttpFetcher(options: HttpFetcherOptions): FeedFetcher {
  const settings: Settings = {
    allow: options.allowPrivateNetworks,
    lookup: createGuardedLookup(options.allowPrivateNetworks, options.lookup),
    userAgent: options.userAgent ?? 'ICAT-Syndication-Hub/0.1 (+https://github.com/icat/syndication-hub)',
    timeoutMs: options.timeoutMs ?? 20_000,
    maxBytes: options.maxBytes ?? 15 * MIB,
    maxRedirects: options.maxRedirects ?? 5,
    now: options.now ?? Date.now,
    // Own agents: the global ones would share pooled sockets with code that has no guard.
    agents: { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) },
  };
  return { fetch: (url, conditional, signal) => fetchFeed(settings, url, conditional ?? {}, signal) };
}

async function fetchFeed(s: Settings, url: string, conditional: ConditionalHeaders, signal?: AbortSignal): Promise<FetchResult> {
  const ctl = new AbortController();
  const timer = setTimeout(
    () => ctl.abort(new FetchError('timeout', `The server did not deliver the feed within ${s.timeoutMs / 1000} seconds.`)),
    s.timeoutMs,
  );
  const onAbort = () => ctl.abort(new FetchError('aborted', 'The fetch was cancelled.', { cause: signal?.reason }));
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await follow(s, url, conditional, ctl.signal);
  } catch (err) {
    if (ctl.signal.aborted) throw ctl.signal.reason;
    throw err instanceof FetchError ? err : networkError(err, url);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

async function follow(s: Settings, url: string, conditional: ConditionalHeaders, signal: AbortSignal): Promise<FetchResult> {
  let target = parseTarget(url);
  let permanent = true;
  for (let hop = 0; ; hop++) {
    const res = await send(s, target, conditional, signal);
    const status = res.statusCode ?? 0;
    if (REDIRECTS.has(status)) {
      discard(res);
      const location = res.headers.location;
      if (!location) throw new FetchError('http_status', `The server answered ${status} (a redirect) without saying where to.`, { status });
      if (hop >= s.maxRedirects) {
        throw new FetchError('too_many_redirects', `The feed redirected more than ${s.maxRedirects} times; the hub stopped following it.`);
      }
      permanent &&= status === 301 || status === 308;
      target = parseTarget(location, target);
      continue;
    }
    const h = res.headers;
    const meta = {
      finalUrl: target.href,
      ...(h.etag !== undefined && { etag: h.etag }),
      ...(h['last-modified'] !== undefined && { lastModified: h['last-modified'] }),
      ...withMaxAge(h['cache-control']),
    };
    if (status === 304) {
      discard(res);
      return { status: 304, ...meta };
    }
    if (status >= 200 && status < 300 && status !== 204 && status !== 206) {
      const body = await readBody(res, s.maxBytes, signal, target.hostname);
      return {
        status: 200,
        body,
        ...(h['content-type'] !== undefined && { contentType: h['content-type'] }),
        ...meta,
        ...(hop > 0 && permanent && { movedPermanently: true }),
      };
    }
    discard(res);
    throw statusError(status, h, s.now());
  }
}

function parseTarget(url: string, base?: URL): URL {
  let target: URL;
  try {
    target = new URL(url, base);
  } catch (cause) {
    throw new FetchError('invalid_url', `"${url}" is not a valid web address.`, { cause });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new FetchError('unsupported_scheme', `The address ${target.href} is not a web address; the hub only fetches http: and https: feeds.`);
  }
  return target;
}

function send(s: Settings, target: URL, conditional: ConditionalHeaders, signal: AbortSignal): Promise<IncomingMessage> {
  // net.connect skips the lookup for IP literals, so those are checked here. WHATWG URL has
  // already turned forms like http://2130706433/ or http://0x7f.1/ into dotted decimal.
  const literal = target.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(literal) && !isAddressAllowed(literal, s.allow)) return Promise.reject(blockedAddressError(literal, allowedLoopbackAlternative(target.href, s.allow)));
  const headers: Record<string, string> = { 'user-agent': s.userAgent, accept: ACCEPT, 'accept-encoding': 'gzip, deflate, br' };
  if (conditional.etag) headers['if-none-match'] = conditional.etag;
  if (conditional.lastModified) headers['if-modified-since'] = conditional.lastModified;
  return new Promise((resolve, reject) => {
    const client = target.protocol === 'https:' ? https : http;
    const agent = s.agents[target.protocol as 'http:' | 'https:'];
    const req = client.request(target, { method: 'GET', headers, agent, lookup: s.lookup, signal }, resolve);
    req.on('error', (err) => reject(err instanceof FetchError ? err : networkError(err, target.hostname)));
    req.end();
  });
}

/**
 * Drops a body we will not read: small ones are drained so the socket can be reused. A 304 has no
 * body by definition (RFC 9110 15.4.5), whatever its headers say, so its socket always goes back to
 * the pool: dropping it would cost a new connection on every idle poll.
 */
function discard(res: IncomingMessage): void {
  const length = Number(res.headers['content-length'] ?? NaN);
  if (res.statusCode === 304 || res.statusCode === 204 || length <= 64 * 1024) res.resume();
  else res.destroy();
}

async function readBody(res: IncomingMessage, maxBytes: number, signal: AbortSignal, host: string): Promise<Buffer> {
  const tooLarge = () => new FetchError('too_large', `The feed is larger than ${formatSize(maxBytes)}, the most the hub will read.`);
  if (Number(res.headers['content-length'] ?? 0) > maxBytes) {
    res.destroy();
    throw tooLarge();
  }
  const onAbort = () => res.destroy(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    // Layers are undone last-applied first; each output is capped, so a small
    // compressed body cannot unfold into gigabytes (a "zip bomb").
    let source: AsyncIterable<Buffer> = capped(res, maxBytes, tooLarge);
    for (const encoding of contentEncodings(res.headers['content-encoding']).reverse()) {
      source = capped(decompress(source, encoding), maxBytes, tooLarge);
    }
    return await collect(source, res.headers['content-encoding'] ? NaN : Number(res.headers['content-length'] ?? NaN));
  } catch (err) {
    throw err instanceof FetchError || signal.aborted ? err : networkError(err, host);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * The body in one buffer. With its length known, chunks are copied into it as they arrive, so the
 * body is never held twice (as chunks and as their concatenation).
 */
async function collect(source: AsyncIterable<Buffer>, length: number): Promise<Buffer> {
  if (!Number.isSafeInteger(length) || length <= 0) {
    const chunks: Buffer[] = [];
    for await (const chunk of source) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
  const body = Buffer.allocUnsafe(length);
  let filled = 0;
  const extra: Buffer[] = [];
  for await (const chunk of source) {
    // Node's parser stops at Content-Length; more is kept all the same rather than lost.
    if (extra.length > 0 || filled + chunk.length > length) extra.push(chunk);
    else filled += chunk.copy(body, filled);
  }
  if (extra.length > 0) return Buffer.concat([body.subarray(0, filled), ...extra]);
  return filled === length ? body : body.subarray(0, filled);
}

async function* capped(source: AsyncIterable<Buffer>, maxBytes: number, tooLarge: () => FetchError): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > maxBytes) throw tooLarge();
    yield chunk;
  }
}

function contentEncodings(header: string | undefined): string[] {
  const codings = (header ?? '').split(',').map((c) => c.trim().toLowerCase());
  const known = codings.filter((c) => c !== '' && c !== 'identity');
  const unknown = known.find((c) => !['gzip', 'x-gzip', 'deflate', 'br'].includes(c));
  if (unknown) throw new FetchError('bad_encoding', `The server compressed the feed with "${unknown}", which the hub cannot read.`);
  return known;
}

function decoderFor(encoding: string, head: Buffer): zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress {
  // Lenient flush, as browsers are: a body cut short after complete blocks still yields them.
  const lenient = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (encoding === 'br') return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
  if (encoding !== 'deflate') return zlib.createGunzip(lenient);
  // "deflate" should be zlib-wrapped (RFC 9110 8.4.1.2) but some servers send raw deflate:
  // a zlib header is method 8 in the low nibble and a 16-bit value divisible by 31.
  const zlibWrapped = head.length >= 2 && (head[0]! & 0x0f) === 8 && ((head[0]! << 8) | head[1]!) % 31 === 0;
  return zlibWrapped ? zlib.createInflate(lenient) : zlib.createInflateRaw(lenient);
}

async function* decompress(source: AsyncIterable<Buffer>, encoding: string): AsyncGenerator<Buffer> {
  const upstream = source[Symbol.asyncIterator]();
  const first = await upstream.next();
  if (first.done) return;
  let upstreamError: unknown;
  const input = Readable.from(
    (async function* () {
      try {
        yield first.value;
        for (let next = await upstream.next(); !next.done; next = await upstream.next()) yield next.value;
      } catch (err) {
        upstreamError = err;
        throw err;
      } finally {
        await upstream.return?.();
      }
    })(),
  );
  const decoder = decoderFor(encoding, first.value);
  pipeline(input, decoder, () => {});
  try {
    for await (const chunk of decoder) yield chunk as Buffer;
  } catch (err) {
    if (upstreamError !== undefined) throw upstreamError;
    throw new FetchError('bad_encoding', `The feed is sent as ${encoding}-compressed, but the data is corrupt.`, { cause: err });
  }
}

function formatSize(bytes: number): string {
  if (bytes % MIB === 0) return `${bytes / MIB} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function withMaxAge(cacheControl: string | undefined): { maxAgeSeconds?: number } {
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?\s*(?:,|$)/i.exec(cacheControl ?? '');
  return match ? { maxAgeSeconds: Number(match[1]) } : {};
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** HTTP-date in its three forms (RFC 9110 5.6.7): IMF-fixdate, RFC 850, asctime. Epoch ms. */
export function parseHttpDate(text: string): number | undefined {
  const t = text.trim();
  const imf = /^[a-z]{3}, (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/i.exec(t);
  const rfc850 = /^[a-z]+, (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/i.exec(t);
  const asc = /^[a-z]{3} ([a-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i.exec(t);
  const parts = imf
    ? [imf[3], imf[2], imf[1], imf[4], imf[5], imf[6]]
    : rfc850
      ? [String(2000 + Number(rfc850[3]) - (Number(rfc850[3]) >= 70 ? 100 : 0)), rfc850[2], rfc850[1], rfc850[4], rfc850[5], rfc850[6]]
      : asc
        ? [asc[6], asc[1], asc[2], asc[3], asc[4], asc[5]]
        : undefined;
  if (!parts) return undefined;
  const [year, month, day, hh, mm, ss] = parts.map((p, i) => (i === 1 ? MONTHS.indexOf(p!.toLowerCase()) : Number(p)));
  const ms = Date.UTC(year!, month!, day!, hh!, mm!, ss!);
  // Reject dates Date.UTC would roll over (31 Feb, 25:00).
  const back = new Date(ms);
  return month! >= 0 && back.getUTCDate() === day && back.getUTCHours() === hh && back.getUTCMinutes() === mm ? ms : undefined;
}

function retryAfterSeconds(header: string | undefined, arrivedAt: number): number | undefined {
  if (header === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header);
  const date = parseHttpDate(header);
  return date === undefined ? undefined : Math.max(0, Math.ceil((date - arrivedAt) / 1000));
}

function statusError(status: number, headers: IncomingHttpHeaders, arrivedAt: number): FetchError {
  const said = `The server answered ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
  const retry = retryAfterSeconds(headers['retry-after'], arrivedAt);
  const wait = retry === undefined ? '' : ` It asked the hub to wait ${retry} seconds.`;
  const options = { status, ...(retry !== undefined && { retryAfterSeconds: retry }) };
  if (status === 429) return new FetchError('rate_limited', `${said}: the hub polled too often.${wait}`, options);
  if (status === 503) return new FetchError('unavailable', `${said}: the site is temporarily unavailable.${wait}`, options);
  const why =
    status === 404
      ? 'the feed is no longer at this address.'
      : status === 410
        ? 'the feed has been removed for good.'
        : status === 401 || status === 403
          ? 'it refused access to the feed.'
          : status >= 500
            ? 'it had an internal error.'
            : 'it would not deliver the feed.';
  return new FetchError('http_status', `${said}: ${why}`, options);
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_FAIL', 'EAI_NONAME']);

function errorCode(err: unknown): string {
  const e = err as { code?: unknown; errors?: unknown[] } | undefined;
  if (typeof e?.code === 'string') return e.code;
  // With several addresses to try, Node reports an AggregateError of the attempts.
  return Array.isArray(e?.errors) && e.errors.length > 0 ? errorCode(e.errors[0]) : '';
}

/** Maps socket, DNS and TLS failures to FetchError codes; `where` is a URL or host name. */
function networkError(err: unknown, where: string): FetchError {
  const host = URL.canParse(where) ? new URL(where).hostname : where;
  const code = errorCode(err);
  const make = (kind: string, message: string) => new FetchError(kind, message, { cause: err, details: { host, ...(code && { cause_code: code }) } });
  if (DNS_CODES.has(code)) {
    const why = code === 'EAI_AGAIN' ? 'the name lookup failed for now' : 'the name does not exist in DNS';
    return make('dns_error', `Could not find the server ${host}: ${why}.`);
  }
  if (code === 'ECONNREFUSED') return make('connection_refused', `The server ${host} refused the connection.`);
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return make('connection_reset', `The server ${host} closed the connection before the feed was complete.`);
  }
  if (code === 'ETIMEDOUT') return make('timeout', `The server ${host} did not answer in time.`);
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET|EPROTO|HOSTNAME_MISMATCH|ALTNAME/.test(code)) {
    return make('tls_error', `The secure connection to ${host} failed: its certificate or TLS setup is not valid (${code}).`);
  }
  if (code.startsWith('HPE_')) return make('bad_response', `The server ${host} sent a reply that is not valid HTTP.`);
  const message = err instanceof Error ? err.message : String(err);
  return make('network_error', `Could not fetch from ${host}: ${message}.`);
}
