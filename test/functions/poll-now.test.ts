// "Poll every feed now" has one path: the pollNow option of the HTTP surface, which both the API
// (POST /api/poll) and the secretariat's page (/admin/poll) use, in the local hub's whole app as in
// the Lambda route groups. Against dynalite, with a pollNow that records its calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoStore } from '../../shared/adapters/dynamo/index.ts';
import { inProcessLease } from '../../shared/adapters/poll-leases.ts';
import { createHubContext } from '../../shared/app/compose.ts';
import type { HubContext } from '../../shared/app/context.ts';
import type { PollNow } from '../../shared/app/poll-now.ts';
import { loadConfig } from '../../shared/config.ts';
import { createHttpApp } from '../../shared/routes/http-app.ts';
import { apiGroup } from '../../shared/routes/route-groups.ts';
import * as api from '../../shared/http/routes-api.ts';
import * as health from '../../shared/http/routes-health.ts';
import * as members from '../../shared/http/routes-members.ts';
import * as opml from '../../shared/http/routes-opml.ts';
import * as verifier from '../../shared/adapters/domain-proof-checker.ts';
import { fromApiGatewayEvent } from '../../shared/http/apigw-adapter.ts';
import { silentLogger } from '../../shared/log.ts';
import type { FeedFetcher } from '../../shared/ports/fetcher.ts';
import { startTestDynamo, type DynamoTestContext } from '../helpers/dynamo.ts';
import { httpEvent } from './http-events.ts';

const TOKEN = 'poll-now-test-admin-token-0123456789';
let dynamo: DynamoTestContext;
let ctx: HubContext;

const noFetch: FeedFetcher = { fetch: () => Promise.reject(new Error('no feed is fetched here')) };

beforeAll(async () => {
  dynamo = await startTestDynamo();
  const config = loadConfig({ PUBLIC_URL: 'https://hub.example.org' });
  ctx = createHubContext(config, { store: createDynamoStore(dynamo.client, dynamo.tableName), fetcher: noFetch, lease: inProcessLease(), log: silentLogger });
});

afterAll(async () => {
  await dynamo?.teardown();
});

function recording(): { pollNow: PollNow; calls: number } {
  const r = {
    calls: 0,
    pollNow: (async (onProgress) => {
      r.calls += 1;
      onProgress({ done: 0, total: 3 });
      return { queued: 3, failed: [{ feedId: 'f-x', error: 'refused' }] };
    }) as PollNow,
  };
  return r;
}

const poll = () => fromApiGatewayEvent(httpEvent('POST', '/api/poll', { headers: { authorization: `Bearer ${TOKEN}` } }));

describe('poll now, one path', () => {
  it('the local hub\'s app carries out POST /api/poll with the pollNow it is given', async () => {
    const r = recording();
    const app = createHttpApp(ctx, { publicUrl: 'https://hub.example.org', adminToken: () => TOKEN, pollNow: r.pollNow });
    const res = await app.handle(poll());
    expect(r.calls).toBe(1);
    expect(res.status).toBe(202);
    expect(JSON.parse(String(res.body))).toMatchObject({ queued: 3, failed: [{ feed_id: 'f-x', error: 'refused' }] });
  });

  it('so does the API route group of the Lambda function', async () => {
    const r = recording();
    const group = apiGroup(ctx, { publicUrl: 'https://hub.example.org', adminToken: () => TOKEN, pollNow: r.pollNow }, { api, health, members, opml, verifier });
    const res = await group.handle(poll());
    expect(r.calls).toBe(1);
    expect(res.status).toBe(202);
    expect((await group.handle(fromApiGatewayEvent(httpEvent('POST', '/api/poll')))).status).toBe(401);
    expect(r.calls).toBe(1);
  });

  it('without one, polls in the process and answers the cycle\'s summary', async () => {
    const app = createHttpApp(ctx, { publicUrl: 'https://hub.example.org', adminToken: () => TOKEN });
    const res = await app.handle(poll());
    expect(res.status).toBe(200);
    expect(JSON.parse(String(res.body))).toMatchObject({ feeds_polled: 0 });
  });
});
