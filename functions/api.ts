// API Gateway HTTP API -> this function: the same routes as the local hub (shared/http/app.ts). One
// route differs in AWS: "poll now" (POST /api/poll) queues every feed for the poll workers and answers
// 202 at once, instead of polling them all inside one API request (which API Gateway cuts at 30 s).
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { selectFeeds } from '../shared/app/select-feeds.ts';
import { createSqsClient } from '../shared/adapters/aws-clients.ts';
import { createAlertsContext } from '../shared/aws/alerts-context.ts';
import { createLambdaRuntime } from '../shared/aws/lambda-context.ts';
import { createSecretsClient, SecretCache } from '../shared/aws/secrets.ts';
import { enqueuePollMessages, planPollMessages } from '../shared/aws/poll-queue.ts';
import { fromApiGatewayEvent, toApiGatewayResult } from '../shared/http/apigw-adapter.ts';
import { createHttpApp } from '../shared/http/app.ts';
import { Authenticator, bearer } from '../shared/http/auth.ts';
import { errorResponse, json, type HttpRequest, type HttpResponse } from '../shared/http/types.ts';

const runtime = createLambdaRuntime({ needs: { adminToken: true, pollQueue: true } });
const sqs = runtime.tracer.captureAWSv3Client(createSqsClient(runtime.config));
const secrets = new SecretCache(runtime.tracer.captureAWSv3Client(createSecretsClient({ region: runtime.config.region, endpoint: runtime.config.secretsManagerEndpoint })));
// Read synchronously by the routes; refreshed from Secrets Manager before any request that carries a
// bearer token, so public feed reads never wait for it.
let adminToken: string | undefined;
// Subscriptions (confirmation mails, signed links) and the admin's view of the alerts queue.
const alerts = createAlertsContext(runtime);
const app = createHttpApp(runtime.ctx, { publicUrl: runtime.config.publicUrl, adminToken: () => adminToken, alerts: { ctx: alerts }, limits: runtime.config });
const auth = new Authenticator(runtime.ctx.store, () => adminToken);

async function pollNow(req: HttpRequest): Promise<HttpResponse> {
  await auth.admin(req);
  const feeds = await selectFeeds(runtime.ctx, { force: true });
  const result = await enqueuePollMessages(sqs, runtime.config.pollQueueUrl!, planPollMessages(feeds, { force: true }));
  runtime.ctx.log.info('poll of every feed queued', { feed_count: feeds.length, enqueued_count: result.enqueued, failed_count: result.failed.length });
  return json(202, {
    queued: result.enqueued,
    failed: result.failed.map((f) => ({ feed_id: f.feedId, error: f.error })),
    note: 'Every feed is queued for polling now; see GET /api/feeds for each feed\'s outcome in a minute or two.',
  });
}

async function respond(event: APIGatewayProxyEventV2): Promise<HttpResponse> {
  try {
    const req = fromApiGatewayEvent(event);
    if (bearer(req)) adminToken = await secrets.get(runtime.config.adminTokenSecretArn!);
    if (req.method === 'POST' && req.path === '/api/poll') return await pollNow(req);
    return await app.handle(req);
  } catch (err) {
    const res = errorResponse(err);
    if (res.status >= 500) runtime.ctx.log.error('request failed', { path: event.rawPath, error: (err as Error).message });
    return res;
  }
}

export async function handler(event: APIGatewayProxyEventV2, context?: Context): Promise<APIGatewayProxyStructuredResultV2> {
  return runtime.invoke(context, async () => toApiGatewayResult(await respond(event)));
}
