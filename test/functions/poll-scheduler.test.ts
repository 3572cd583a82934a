// The poll scheduler, invoked with the ScheduledEvent EventBridge Scheduler sends (infra/polling.ts
// shapes it), against dynalite and fauxqs: due feeds land on the poll queue, one message each, and
// publications stored but never announced are announced.
import type { ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchedulerResult } from '../../functions/poll-scheduler.ts';
import { decodePollMessage, planPollMessages } from '../../lambda/poll-queue.ts';
import type { Publication } from '../../shared/model.ts';
import { captureOutput, drain, feed, startLambdaTestEnv, type LambdaTestEnv } from './harness.ts';

let t: LambdaTestEnv;
let handler: (event: Partial<ScheduledEvent>) => Promise<SchedulerResult>;

const scheduledEvent: ScheduledEvent = {
  version: '0',
  id: '8d7b3c1e-0a0b-4c5d-9e8f-112233445566',
  'detail-type': 'Scheduled Event',
  source: 'aws.scheduler',
  account: '123456789012',
  time: '2026-11-02T09:15:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:scheduler:us-east-1:123456789012:schedule/default/icat-hub-prod-poll'],
  detail: {},
};

function publication(id: string): Publication {
  return {
    id, title: `Paper ${id}`, link: `https://www.iom.int/${id}`, authors: [], categories: ['Research'], enclosures: [], members: ['iom'], feeds: ['f-iom'],
    firstSeen: '2026-11-01T08:00:00.000Z', sortDate: '2026-11-01T08:00:00.000Z', contentHash: `h-${id}`,
  };
}

beforeAll(async () => {
  t = await startLambdaTestEnv();
  Object.assign(process.env, t.env);
  ({ handler } = await import('../../functions/poll-scheduler.ts'));
});

afterAll(async () => {
  await t?.stop();
});

describe('poll scheduler', () => {
  it('queues each due feed once, leaves the others, and announces what was never announced', async () => {
    await t.store.createFeed(feed('due-1', 'https://www.unodc.org/rss/news.xml'));
    await t.store.createFeed(feed('due-2', 'https://www.iom.int/feeds/news.xml'));
    await t.store.createFeed(feed('due-3', 'https://www.ilo.org/rss.xml', { status: 'error', consecutiveErrors: 2 }));
    await t.store.createFeed(feed('later', 'https://www.unhcr.org/rss.xml', { nextPollAt: '2999-01-01T00:00:00.000Z' }));
    await t.store.createFeed(feed('paused', 'https://www.unicef.org/rss.xml', { status: 'paused' }));
    // Stored by a poller that died before announcing: its claim lapsed long ago.
    await t.store.createPublications([publication('p-orphan')], '2026-01-01T00:00:00.000Z');

    const out = captureOutput();
    let result: SchedulerResult;
    try {
      result = await handler(scheduledEvent);
    } finally {
      out.restore();
    }

    expect(result).toEqual({ due: 3, enqueued: 3, failed: 0, announced: 1 });
    const queued = await drain(t.sqs, t.pollQueueUrl);
    expect(queued.map((m) => decodePollMessage(m.Body!).feedId).sort()).toEqual(['due-1', 'due-2', 'due-3']);
    expect(queued.every((m) => decodePollMessage(m.Body!).force === undefined)).toBe(true);

    const announced = await drain(t.sqs, t.announcementsQueueUrl);
    expect(announced.map((m) => (JSON.parse(m.Body!) as { id: string }).id)).toEqual(['p-orphan']);
    expect((await t.store.getPublications(['p-orphan'])).get('p-orphan')!.announcedAt).toBeTruthy();

    // The shipped member list is seeded on the first run.
    expect((await t.store.listMembers()).map((m) => m.id)).toContain('unodc');

    const records = out.records();
    expect(records.find((r) => r._aws !== undefined)).toMatchObject({ FeedsEnqueued: 3, RecoveredAnnouncements: 1, PollFailures: 0 });
    expect(records.find((r) => r.message === 'poll cycle scheduled')).toMatchObject({ due_count: 3, enqueued_count: 3, scheduled_time: scheduledEvent.time });
  });

  it('queues nothing on a run where nothing is due', async () => {
    // The first run's feeds are still due (no worker polled them): move them on, as a poll would.
    for (const id of ['due-1', 'due-2', 'due-3']) await t.store.saveFeed({ ...(await t.store.getFeed(id))!, nextPollAt: '2999-01-01T00:00:00.000Z' });
    const out = captureOutput();
    try {
      expect(await handler(scheduledEvent)).toEqual({ due: 0, enqueued: 0, failed: 0, announced: 0 });
    } finally {
      out.restore();
    }
    expect(await drain(t.sqs, t.pollQueueUrl)).toEqual([]);
  });
});

describe('planPollMessages', () => {
  it('spreads feeds of one host two at a time, and leaves other hosts undelayed', () => {
    const feeds = ['a', 'b', 'c', 'd', 'e'].map((id) => feed(id, `https://www.unodc.org/${id}.xml`));
    feeds.push(feed('other', 'https://www.iom.int/rss.xml'));
    const plan = planPollMessages(feeds, { hostSpacingSeconds: 30 });
    expect(plan.map((m) => [m.feedId, m.delaySeconds])).toEqual([['a', 0], ['b', 0], ['c', 30], ['d', 30], ['e', 60], ['other', 0]]);
  });

  it('never asks SQS for more than its 15-minute delay limit', () => {
    const feeds = Array.from({ length: 100 }, (_, i) => feed(`f${i}`, `https://www.unodc.org/${i}.xml`));
    expect(Math.max(...planPollMessages(feeds, { hostSpacingSeconds: 60 }).map((m) => m.delaySeconds))).toBe(900);
  });

  it('marks forced polls in the message', () => {
    const [m] = planPollMessages([feed('a', 'https://x.org/a')], { force: true });
    expect(decodePollMessage(m!.body)).toEqual({ feedId: 'a', force: true });
  });
});
