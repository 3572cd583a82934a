// API Gateway HTTP API (payload format 2.0) <-> the transport-neutral HttpRequest/HttpResponse, so
// Lambda serves exactly the routes the local hub serves over node:http.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HubError } from '../errors.ts';
import type { HttpRequest, HttpResponse } from './types.ts';

/** The same cap as the local server (node-adapter.ts). */
const MAX_BODY = 1024 * 1024;

export function fromApiGatewayEvent(event: APIGatewayProxyEventV2): HttpRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) headers[k.toLowerCase()] = v;
  // Payload 2.0 moves Cookie headers into `cookies`; put them back where a handler looks for them.
  if (event.cookies && event.cookies.length > 0) headers.cookie = event.cookies.join('; ');

  let body: string | undefined;
  if (event.body !== undefined && event.body !== '') {
    const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
    if (bytes.length > MAX_BODY) throw new HubError('validation', 'body_too_large', 'The request body is larger than 1 MiB.');
    body = bytes.toString('utf8');
  }
  return {
    method: event.requestContext.http.method.toUpperCase(),
    // rawPath keeps percent-encoding as sent, as node:http's req.url does; the router decodes params.
    path: event.rawPath || event.requestContext.http.path,
    query: new URLSearchParams(event.rawQueryString ?? ''),
    headers,
    body,
    sourceIp: event.requestContext.http.sourceIp,
  };
}

export function toApiGatewayResult(res: HttpResponse): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { 'x-content-type-options': 'nosniff' };
  const cookies: string[] = [];
  for (const [k, v] of Object.entries(res.headers)) {
    if (k.toLowerCase() === 'set-cookie') cookies.push(v);
    else headers[k.toLowerCase()] = v;
  }
  const empty = res.status === 304 || res.status === 204;
  const out: APIGatewayProxyStructuredResultV2 = { statusCode: res.status, headers };
  if (cookies.length > 0) out.cookies = cookies;
  if (empty) {
    out.body = '';
    out.isBase64Encoded = false;
  } else if (typeof res.body === 'string') {
    out.body = res.body;
    out.isBase64Encoded = false;
  } else {
    // Bytes reach the client intact, whatever their charset, only base64-encoded.
    out.body = res.body.toString('base64');
    out.isBase64Encoded = true;
  }
  return out;
}
