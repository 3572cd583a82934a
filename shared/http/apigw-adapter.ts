// API Gateway HTTP API (payload format 2.0) <-> the transport-neutral HttpRequest/HttpResponse, so
// Lambda serves exactly the routes the local hub serves over node:http.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { BodyTooLargeError, MAX_BODY_BYTES, responseCookies, type HttpRequest, type HttpResponse } from './types.ts';

export function fromApiGatewayEvent(event: APIGatewayProxyEventV2): HttpRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) headers[k.toLowerCase()] = v;
  // Payload 2.0 moves Cookie headers into `cookies`; put them back where a handler looks for them.
  if (event.cookies && event.cookies.length > 0) headers.cookie = event.cookies.join('; ');

  const req: HttpRequest = {
    method: event.requestContext.http.method.toUpperCase(),
    // rawPath keeps percent-encoding as sent, as node:http's req.url does; the router decodes params.
    path: event.rawPath || event.requestContext.http.path,
    query: new URLSearchParams(event.rawQueryString ?? ''),
    headers,
    sourceIp: event.requestContext.http.sourceIp,
  };
  if (event.body !== undefined && event.body !== '') {
    const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
    if (bytes.length > MAX_BODY_BYTES) throw new BodyTooLargeError(req);
    req.body = bytes.toString('utf8');
  }
  return req;
}

export function toApiGatewayResult(res: HttpResponse): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { 'x-content-type-options': 'nosniff' };
  // Payload 2.0 sends each of `cookies` as its own Set-Cookie header.
  const cookies = responseCookies(res);
  for (const [k, v] of Object.entries(res.headers)) if (k.toLowerCase() !== 'set-cookie') headers[k.toLowerCase()] = v;
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
