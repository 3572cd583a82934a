// Serves the router over node:http (the local hub).
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { BodyTooLargeError, errorResponse, MAX_BODY_BYTES, responseCookies, type HttpRequest, type HttpResponse } from './types.ts';
import { HubError } from '../errors.ts';

/** Node's own limit on the request line and headers together (its default, 16 KiB). */
export const MAX_HEADER_BYTES = 16 * 1024;

export interface NodeServerOptions {
  /**
   * Shapes an error answer the server makes itself (body too large, headers too large, a failure
   * outside the routes) for the client that asked, as the app does for its own errors: the site's
   * HTML error page for a browser asking for a page. Default: the JSON error as it is.
   */
  present?: (req: HttpRequest, res: HttpResponse) => HttpResponse;
}

/**
 * The body, or undefined when it is larger than the cap. Past the cap the rest is read and dropped
 * rather than the stream destroyed: destroying it resets the connection, and the client would never
 * read the 413.
 */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.off('data', onData);
      req.off('end', onEnd);
      chunks.length = 0;
      req.resume();
      resolve(undefined);
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

/** Path and query of a request target, split by hand: `new URL` would read `//x/y` as host x, path /y. */
export function splitTarget(target: string): { path: string; query: URLSearchParams } {
  let t = target;
  // The absolute form (RFC 9112 3.2.2), sent to proxies: keep only the path and query.
  if (!t.startsWith('/') && /^[a-z][a-z0-9+.-]*:\/\//i.test(t)) t = t.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/';
  const hash = t.indexOf('#');
  if (hash >= 0) t = t.slice(0, hash);
  const q = t.indexOf('?');
  return { path: (q >= 0 ? t.slice(0, q) : t) || '/', query: new URLSearchParams(q >= 0 ? t.slice(q + 1) : '') };
}

export function toHttpRequest(req: IncomingMessage, body: string): HttpRequest {
  const { path, query } = splitTarget(req.url ?? '/');
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return { method: req.method ?? 'GET', path, query, headers, body: body || undefined, sourceIp: req.socket.remoteAddress };
}

/** The status line, headers and body of a response, with gzip when the client takes it. */
function wire(out: HttpResponse, acceptEncoding: string | undefined): { headers: Record<string, string | string[]>; body?: Buffer } {
  let body = typeof out.body === 'string' ? Buffer.from(out.body) : out.body;
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(out.headers)) if (k.toLowerCase() !== 'set-cookie') headers[k] = v;
  const cookies = responseCookies(out);
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const compressible = /json|xml|text|html/.test(out.headers['content-type'] ?? '');
  if (compressible && body.length > 1024 && acceptEncoding && /\bgzip\b/.test(acceptEncoding)) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  const empty = out.status === 304 || out.status === 204;
  if (!empty) headers['content-length'] = String(body.length);
  headers['x-content-type-options'] = 'nosniff';
  return { headers, body: empty ? undefined : body };
}

function send(res: ServerResponse, out: HttpResponse, acceptEncoding: string | undefined): void {
  const { headers, body } = wire(out, acceptEncoding);
  res.writeHead(out.status, headers);
  res.end(body);
}

/**
 * What can be read of a request Node refused to parse (its line or headers too long): the method and
 * path, and those headers that arrived whole before the cut, so the answer can still suit the client.
 */
export function partialRequest(raw: Buffer | undefined, sourceIp: string | undefined): HttpRequest {
  const text = (raw ?? Buffer.alloc(0)).subarray(0, 64 * 1024).toString('latin1');
  const lines = text.split('\r\n');
  const [method, target] = (lines[0] ?? '').split(' ');
  const headers: Record<string, string | undefined> = {};
  // The last line may be cut short: only complete lines count.
  for (const line of lines.slice(1, -1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  // Cut before the Accept header (an address of tens of kilobytes): what is known is the path, and the
  // presenter decides by it (pages get the HTML page, the API and feeds JSON).
  if (headers.accept === undefined && !text.includes('\r\n\r\n')) headers.accept = 'text/html';
  const { path } = splitTarget(target && target.startsWith('/') ? target.slice(0, 2048) : '/');
  return { method: /^[A-Z]+$/.test(method ?? '') ? method! : 'GET', path, query: new URLSearchParams(), headers, sourceIp };
}

export function createNodeServer(handle: (req: HttpRequest) => Promise<HttpResponse>, options: NodeServerOptions = {}): Server {
  const present = options.present ?? ((_req: HttpRequest, res: HttpResponse) => res);
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, async (req, res) => {
    let out: HttpResponse;
    let request: HttpRequest | undefined;
    try {
      const body = await readBody(req);
      request = toHttpRequest(req, body ?? '');
      if (body === undefined) {
        // The rest of the body is still arriving: answer, read it to the end, then close.
        const refused = present(request, errorResponse(new BodyTooLargeError(request)));
        out = { ...refused, headers: { ...refused.headers, connection: 'close' } };
      } else {
        out = await handle(request);
      }
    } catch (err) {
      out = errorResponse(err);
      if (request) out = present(request, out);
    }
    send(res, out, req.headers['accept-encoding']);
  });
  // Node answers a request line or headers over maxHeaderSize with a bare 431 and no body; answer it
  // as any other error instead. The event can come more than once for one socket: answer once.
  const answered = new WeakSet<Socket>();
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    if (answered.has(socket) || !socket.writable) return void socket.destroy();
    answered.add(socket);
    if (err.code !== 'HPE_HEADER_OVERFLOW') {
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const req = partialRequest(err.rawPacket, socket.remoteAddress);
    const tooLarge = new HubError('validation', 'headers_too_large', `The address or the headers of the request are larger than ${MAX_HEADER_BYTES / 1024} KiB together.`, {
      details: { limit_bytes: MAX_HEADER_BYTES },
    });
    const out = present(req, errorResponse(tooLarge));
    const { headers, body } = wire({ ...out, headers: { ...out.headers, connection: 'close' } }, undefined);
    const head = Object.entries(headers).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}: ${x}`));
    socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${out.status} ${STATUS_CODES[out.status] ?? 'Error'}\r\n${head.join('\r\n')}\r\n\r\n`, 'latin1'), body ?? Buffer.alloc(0)]));
  });
  return server;
}
