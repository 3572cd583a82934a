// Nothing stored goes unannounced: an SNS error between the write and the publish is recovered by the
// next cycle's sweep, and a redelivered poll does not announce twice. Real dynalite and fauxqs.
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnsClient, createSqsClient } from '../../shared/adapters/aws-clients.ts';
import { createDynamoStore } from '../../shared/adapters/dynamo/index.ts';
import { createHttpFetcher } from '../../shared/adapters/http-fetcher.ts';
import { storeLease } from '../../shared/adapters/poll-leases.ts';
import { SnsNotifier } from '../../shared/adapters/sns-notifier.ts';
import type { HubContext } from '../../shared/app/context.ts';
import { runPollCycle } from '../../shared/app/poll-cycle.ts';
import { pollFeed } from '../../shared/app/poll-feed.ts';
import { silentLogger } from '../../shared/log.ts';
import { startFauxqs, type EmbeddedMessaging } from '../../local/fauxqs.ts';
import { parseCidrList } from '../../shared/net/addresses.ts';
import type { Feed } from '../../shared/model.ts';
import { startTestDynamo, type DynamoTestContext } from '../helpers/dynamo.ts';
import { sendBody, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { rss } from '../helpers/hub.ts';

describe('announcements', () => {
  let dynamo: DynamoTestContext;
  let messaging: EmbeddedMessaging;
  let server: FeedServer;
  let topicArn: string;
  let queueUrl: string;
  let clock = new Date('2026-11-10T12:00:00Z');
  const endpoints = () => ({ region: 'us-east-1', snsEndpoint: messaging.endpoint, sqsEndpoint: messaging.endpoint });

  const context = (notifierTopic: string): HubContext => {
    const store = createDynamoStore(dynamo.client, dynamo.tableName);
    return {
    store,
    lease: storeLease(store),
    fetcher: createHttpFetcher({ allowPrivateNetworks: parseCidrList('127.0.0.1/32') }),
    notifier: new SnsNotifier(createSnsClient(endpoints()), notifierTopic),
    log: silentLogger,
    now: () => clock,
    pollIntervalSeconds: 900,
    pollConcurrency: 4,
    };
  };

  async function received(): Promise<string[]> {
    const sqs = createSqsClient(endpoints());
    const ids: string[] = [];
    for (;;) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 300 }));
      if (!out.Messages?.length) return ids;
      ids.push(...out.Messages.map((m) => (JSON.parse(m.Body!) as { id: string }).id));
    }
  }

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    messaging = await startFauxqs();
    server = await startFeedServer({
      '/feed.xml': sendBody(
        rss('Feed', [
          { guid: 'a', title: 'Paper A', link: 'https://example.org/a', date: 'Mon, 02 Nov 2026 09:00:00 GMT' },
          { guid: 'b', title: 'Paper B', link: 'https://example.org/b', date: 'Mon, 02 Nov 2026 10:00:00 GMT' },
        ]),
      ),
    });
    const sns = createSnsClient(endpoints());
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'publications' }))).TopicArn!;
    const sqs = createSqsClient(endpoints());
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'all' }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: arn, Attributes: { RawMessageDelivery: 'true' } }));
  });

  afterAll(async () => {
    await server?.close();
    await messaging?.stop();
    await dynamo?.teardown();
  });

  it('recovers publications whose announcement failed, once, after the claim lapses', async () => {
    const feed: Feed = {
      id: 'f-announce',
      memberId: 'unodc',
      url: server.url('/feed.xml'),
      status: 'ok',
      createdAt: clock.toISOString(),
      consecutiveErrors: 0,
      nextPollAt: clock.toISOString(),
      itemsSeen: 0,
    };
    // The topic does not exist: SNS refuses every publish, after the publications were stored.
    const broken = context(topicArn.replace(/publications$/, 'no-such-topic'));
    await broken.store.createFeed(feed);
    const first = await pollFeed(broken, feed);
    expect(first).toMatchObject({ result: 'new', newCount: 2 });
    expect(await received()).toEqual([]);

    const healthy = context(topicArn);
    // While the poller's claim holds, a sweep leaves them alone (the poller may still be publishing).
    expect((await runPollCycle(healthy)).announced).toBe(0);
    expect(await received()).toEqual([]);

    clock = new Date(clock.getTime() + 5 * 60_000);
    const recovered = await runPollCycle(healthy);
    expect(recovered.announced).toBe(2);
    expect((await received()).sort()).toHaveLength(2);

    // Nothing left to recover; a redelivered poll of the same, unchanged feed announces nothing.
    clock = new Date(clock.getTime() + 60 * 60_000);
    const again = await pollFeed(healthy, (await healthy.store.getFeed(feed.id))!, { force: true });
    expect(again).toMatchObject({ result: 'unchanged', newCount: 0 });
    expect((await runPollCycle(healthy)).announced).toBe(0);
    expect(await received()).toEqual([]);
  });

  it('does not poll a feed twice at once', async () => {
    const ctx = context(topicArn);
    const feed: Feed = { id: 'f-lease', memberId: 'iom', url: server.url('/feed.xml'), status: 'ok', createdAt: clock.toISOString(), consecutiveErrors: 0, nextPollAt: clock.toISOString(), itemsSeen: 0 };
    await ctx.store.createFeed(feed);
    const [a, b] = await Promise.all([pollFeed(ctx, feed, { force: true }), pollFeed(ctx, feed, { force: true })]);
    expect([a.result, b.result].sort()).toEqual(['skipped', 'unchanged']);
  });
});
