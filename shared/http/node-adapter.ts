// Serves the router over node:http (the local hub).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { errorResponse, type HttpRequest, type HttpResponse } from './types.ts';
import { HubError } from '../errors.ts';

const MAX_BODY = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HubError('validation', 'body_too_large', 'The request body is larger than 1 MiB.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function toHttpRequest(req: IncomingMessage, body: string): HttpRequest {
  const url = new URL(req.url ?? '/', 'http://hub.invalid');
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body: body || undefined, sourceIp: req.socket.remoteAddress };
}

function send(res: ServerResponse, out: HttpResponse, acceptEncoding: string | undefined): void {
  let body = typeof out.body === 'string' ? Buffer.from(out.body) : out.body;
  const headers: Record<string, string> = { ...out.headers };
  const compressible = /json|xml|text|html/.test(headers['content-type'] ?? '');
  if (compressible && body.length > 1024 && acceptEncoding && /\bgzip\b/.test(acceptEncoding)) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  if (out.status !== 304 && out.status !== 204) headers['content-length'] = String(body.length);
  headers['x-content-type-options'] = 'nosniff';
  res.writeHead(out.status, headers);
  res.end(out.status === 304 || out.status === 204 ? undefined : body);
}

export function createNodeServer(handle: (req: HttpRequest) => Promise<HttpResponse>): Server {
  return createServer(async (req, res) => {
    let out: HttpResponse;
    try {
      out = await handle(toHttpRequest(req, await readBody(req)));
    } catch (err) {
      out = errorResponse(err);
    }
    send(res, out, req.headers['accept-encoding']);
  });
}
