// API Gateway HTTP API (payload 2.0), locally: each request the node:http server reads becomes the
// event API Gateway would send, is routed to one of the four HTTP functions by the stack's own route
// table (shared/topology.ts, HTTP_ROUTES), and the function's result is turned back into the answer
// (each of `cookies` its own Set-Cookie, base64 bodies decoded). The node:http side (body and header
// limits, gzip) is the local hub's server (shared/http/node-adapter.ts), as CloudFront is in AWS.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { HttpRequest, HttpResponse } from '../shared/http/types.ts';
import { matchRoute, type HttpFunctionName } from '../shared/topology.ts';
import { localContext } from './event-sources.ts';

export type ApiGatewayHandler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<APIGatewayProxyResultV2>;

/** The event API Gateway sends for a request, with the route it matched. */
export function toApiGatewayEvent(req: HttpRequest, options: { host?: string; now?: Date } = {}): APIGatewayProxyEventV2 {
  const match = matchRoute(req.path);
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    // Payload 2.0 moves the Cookie header into `cookies`, one entry per cookie.
    if (k === 'cookie') cookies.push(...v.split(/;\s*/).filter((c) => c !== ''));
    else headers[k] = v;
  }
  const now = options.now ?? new Date();
  const host = headers.host ?? options.host ?? 'localhost';
  const query = req.query.toString();
  const body = req.body;
  return {
    version: '2.0',
    routeKey: match.routeKey,
    rawPath: req.path,
    rawQueryString: query,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: Object.fromEntries([...new Set(req.query.keys())].map((k) => [k, req.query.getAll(k).join(',')])) } : {}),
    ...(match.proxy !== undefined ? { pathParameters: { proxy: match.proxy } } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0]!,
      http: { method: req.method, path: req.path, protocol: 'HTTP/1.1', sourceIp: req.sourceIp ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: match.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    // The body as read (UTF-8 text): sent as is, as API Gateway does for text content types.
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  };
}

/** The answer API Gateway makes of a function's result (a bare string or object is a 200 JSON answer). */
export function fromApiGatewayResult(result: APIGatewayProxyResultV2): HttpResponse {
  if (typeof result === 'string' || result === null || typeof result !== 'object' || !('statusCode' in result)) {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: typeof result === 'string' ? result : JSON.stringify(result) };
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
  const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  return { status: result.statusCode ?? 200, headers, body, ...(result.cookies && result.cookies.length > 0 ? { cookies: result.cookies } : {}) };
}

/** Routes each request to the function the route table names, as an API Gateway v2 event. */
export function apiGatewayRouter(handlers: (fn: HttpFunctionName) => ApiGatewayHandler, options: { region?: string } = {}): (req: HttpRequest) => Promise<HttpResponse> {
  return async (req) => {
    const event = toApiGatewayEvent(req);
    const fn = matchRoute(req.path).fn;
    return fromApiGatewayResult(await handlers(fn)(event, localContext(fn, 29, options.region)));
  };
}
