// A small controllable HTTP server on loopback for tests: routes map a path to a handler, every
// request is recorded with its headers, and connections are counted, so a test can prove that
// nothing reached it at all.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface RecordedRequest {
  method: string;
  /** Path and query as sent. */
  path: string;
  headers: IncomingHttpHeaders;
}

export interface FeedServer {
  /** e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  readonly host: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** TCP connections accepted so far. */
  readonly connectionCount: number;
  /** origin + path */
  url(path: string): string;
  /** Adds or replaces the handler for an exact path (query ignored). */
  route(path: string, handler: RouteHandler): void;
  close(): Promise<void>;
}

export interface FeedServerOptions {
  /** A loopback address; default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
}

/** Starts a server on a free port; unknown paths answer 404. */
export async function startFeedServer(routes: Record<string, RouteHandler> = {}, options: FeedServerOptions = {}): Promise<FeedServer> {
  const host = options.host ?? '127.0.0.1';
  if (!/^127\.\d+\.\d+\.\d+$/.test(host) && host !== '::1') throw new Error(`test servers listen on loopback only, not ${host}`);
  const handlers = new Map(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let connectionCount = 0;

  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handler = handlers.get(path);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  server.on('connection', (socket) => {
    connectionCount++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    origin,
    host,
    port,
    requests,
    get connectionCount() {
      return connectionCount;
    },
    url: (path) => origin + path,
    route: (path, handler) => void handlers.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        // Handlers that never answer would otherwise hold close() open.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A handler that sends `body` with status 200 and the given headers. */
export function sendBody(body: string | Buffer, headers: Record<string, string> = {}): RouteHandler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', ...headers }).end(body);
  };
}
