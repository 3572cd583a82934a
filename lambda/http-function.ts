// What the HTTP functions share: an API Gateway HTTP API event (payload 2.0) in, the route group's
// answer out, any failure turned into an error response (logged when the hub is at fault). The admin
// token is read from Secrets Manager before a request that needs it (and kept five minutes), so that
// public reads never wait for it and the routes can read it synchronously.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { fromApiGatewayEvent, toApiGatewayResult } from '../shared/http/apigw-adapter.ts';
import { bearer } from '../shared/http/auth.ts';
import { BodyTooLargeError, errorResponse, type HttpRequest, type HttpResponse } from '../shared/http/types.ts';
import { lambdaHandler, type LambdaHandler } from './invocation.ts';
import type { LambdaRuntime } from './lambda-context.ts';

export type HttpHandler = LambdaHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

export interface HttpFunctionOptions {
  /** Requests that need the admin token (the function must have ADMIN_TOKEN_SECRET_ARN); default: none. */
  needsAdminToken?: (req: HttpRequest) => boolean;
  /** Shapes an error answer made here (a body too large, a failure outside the routes) for the client: the site's HTML page for a browser. */
  present?: (req: HttpRequest, res: HttpResponse) => HttpResponse;
}

/** Requests that carry a bearer token: the admin's, or a member's API key (told apart by comparing with the admin's). */
export const withBearer = (req: HttpRequest): boolean => bearer(req) !== undefined;

export function createHttpFunction(
  runtime: LambdaRuntime,
  build: (adminToken: () => string | undefined) => (req: HttpRequest) => Promise<HttpResponse>,
  options: HttpFunctionOptions = {},
): HttpHandler {
  let adminToken: string | undefined;
  const handle = build(() => adminToken);
  const present = options.present ?? ((_req: HttpRequest, res: HttpResponse) => res);
  const respond = async (event: APIGatewayProxyEventV2): Promise<HttpResponse> => {
    let req: HttpRequest | undefined;
    try {
      req = fromApiGatewayEvent(event);
      if (options.needsAdminToken?.(req)) adminToken = await runtime.secrets.get(runtime.config.adminTokenSecretArn!);
      return await handle(req);
    } catch (err) {
      const res = errorResponse(err);
      if (res.status >= 500) runtime.ctx.log.error('request failed', { path: event.rawPath, error: (err as Error).message });
      const asked = err instanceof BodyTooLargeError ? err.request : req;
      return asked ? present(asked, res) : res;
    }
  };
  return lambdaHandler(runtime, async (event: APIGatewayProxyEventV2) => toApiGatewayResult(await respond(event)));
}
