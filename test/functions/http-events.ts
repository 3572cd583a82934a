// What the HTTP functions' tests share: the API Gateway HTTP API (payload 2.0) event CloudFront's
// requests arrive as, a call that parses JSON answers, a proxy that records which DynamoDB operations
// a function issues, and an SES v2 stand-in that keeps what it was asked to send.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { captureOutput } from './harness.ts';

export type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export interface EventOptions {
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  base64?: boolean;
  cookies?: string[];
}

/** The event API Gateway sends for a request through CloudFront, as recorded from a $default stage. */
export function httpEvent(method: string, path: string, options: EventOptions = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: options.query ?? '',
    cookies: options.cookies,
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com', 'user-agent': 'Amazon CloudFront', 'x-forwarded-for': '203.0.113.9, 130.176.1.1', 'x-forwarded-proto': 'https', ...options.headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '130.176.1.1', userAgent: 'Amazon CloudFront' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '02/Nov/2026:09:00:00 +0000',
      timeEpoch: 1_793_610_000_000,
    },
    body: options.body === undefined ? undefined : options.base64 ? Buffer.from(options.body).toString('base64') : options.body,
    isBase64Encoded: options.base64 === true,
  };
}

/** Invokes the handler with its logs captured; `json` is the parsed body of a JSON answer. */
export async function call(handler: HttpHandler, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2 & { json?: any }> {
  const out = captureOutput();
  try {
    const res = await handler(event);
    return { ...res, json: res.body && String(res.headers?.['content-type']).includes('json') ? JSON.parse(res.body) : undefined };
  } finally {
    out.restore();
  }
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const close = (server: http.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

export interface RecordingProxy {
  endpoint: string;
  /** DynamoDB operations (X-Amz-Target without the service prefix) in the order they came. */
  operations: string[];
  close(): Promise<void>;
}

/** Forwards every request to `target` (dynalite) and records the operation each one names. */
export async function startDynamoRecorder(target: string): Promise<RecordingProxy> {
  const operations: string[] = [];
  const to = new URL(target);
  const server = http.createServer((req, res) => {
    operations.push(String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '');
    const forward = http.request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  return { endpoint: await listen(server), operations, close: () => close(server) };
}

export interface SesStandIn {
  endpoint: string;
  /** Raw MIME of each message sent, with its recipients. */
  sent: { to: string[]; raw: string }[];
  close(): Promise<void>;
}

/** Answers SES v2 SendEmail (raw content) on loopback and keeps each message. */
export async function startSesStandIn(): Promise<SesStandIn> {
  const sent: SesStandIn['sent'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const request = JSON.parse(body || '{}') as { Destination?: { ToAddresses?: string[] }; Content?: { Raw?: { Data?: string } } };
      sent.push({ to: request.Destination?.ToAddresses ?? [], raw: Buffer.from(request.Content?.Raw?.Data ?? '', 'base64').toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ MessageId: `ses-${sent.length}` }));
    });
  });
  return { endpoint: await listen(server), sent, close: () => close(server) };
}
