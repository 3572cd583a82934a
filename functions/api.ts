// API Gateway HTTP API -> this function: the JSON API of members and the secretariat (members, feed
// registration and settings, approval, polling, health, OPML, publications, status; see
// shared/http/route-groups.ts, apiGroup). Its routes, and the feed parser they reach, are loaded by
// the first request. One route differs in AWS: "poll now" (POST /api/poll) queues every feed for the
// poll workers and answers 202 at once, instead of polling them all inside one API request (which API
// Gateway cuts at 30 s).
import { createHttpFunction, withBearer } from '../shared/aws/http-function.ts';
import { createLambdaRuntime } from '../shared/aws/lambda-context.ts';
import { loadSqsClient, once } from '../shared/aws/lazy.ts';
import { queueEveryFeed } from '../shared/aws/poll-queue.ts';
import { Authenticator } from '../shared/http/auth.ts';
import { apiGroup } from '../shared/http/route-groups.ts';
import { json, type HttpRequest, type HttpResponse } from '../shared/http/types.ts';

const runtime = createLambdaRuntime({ needs: { adminToken: true, pollQueue: true } });
const sqs = once(() => loadSqsClient(runtime.config, runtime.tracer));

// Every one of these reaches the feed parser (shared/app/feeds.ts): loaded by the first request.
async function loadRoutes() {
  const [opml, members, api, health, verifier] = await Promise.all([
    import('../shared/http/routes-opml.ts'),
    import('../shared/http/routes-members.ts'),
    import('../shared/http/routes-api.ts'),
    import('../shared/http/routes-health.ts'),
    import('../shared/adapters/domain-verifier.ts'),
  ]);
  return { opml, members, api, health, verifier };
}

export const handler = createHttpFunction(
  runtime,
  (adminToken) => {
    const api = apiGroup(runtime.ctx, { publicUrl: runtime.config.publicUrl, adminToken, limits: runtime.config }, loadRoutes);
    const auth = new Authenticator(runtime.ctx.store, adminToken);

    const pollNow = async (req: HttpRequest): Promise<HttpResponse> => {
      await auth.admin(req);
      const result = await queueEveryFeed(runtime.ctx, await sqs(), runtime.config.pollQueueUrl!);
      return json(202, {
        queued: result.enqueued,
        failed: result.failed.map((f) => ({ feed_id: f.feedId, error: f.error })),
        note: 'Every feed is queued for polling now; see GET /api/feeds for each feed\'s outcome in a minute or two.',
      });
    };
    return (req) => (req.method === 'POST' && req.path === '/api/poll' ? pollNow(req) : api.handle(req));
  },
  { needsAdminToken: withBearer },
);
