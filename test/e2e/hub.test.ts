// End to end over loopback: feeds served by a server the test controls -> registration through the
// API -> POST /api/poll -> merged feeds read back with xmllint and feedparser -> announcements received
// through an SQS queue subscribed to the topic with a filter policy.
import { createHash } from 'node:crypto';
import type { ServerResponse, IncomingMessage } from 'node:http';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnsClient, createSqsClient } from '../../shared/adapters/aws-clients.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { assertValidJsonFeed, assertWellFormedXml, parseWithFeedparser } from '../helpers/feed-validators.ts';
import { ADMIN_TOKEN, rss, startTestHub, type TestHub } from '../helpers/hub.ts';

/** Serves whatever `docs[path]` holds, with a strong ETag and Last-Modified, answering 304 when they match. */
function conditional(docs: Record<string, string>, path: string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const body = docs[path]!;
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag, 'last-modified': 'Mon, 02 Nov 2026 10:00:00 GMT' }).end(body);
  };
}

describe('the hub end to end', () => {
  let hub: TestHub;
  let server: FeedServer;
  let queueUrl: string;
  const sqs = () => createSqsClient({ region: 'us-east-1', sqsEndpoint: hub.runtime.endpoints.sns });
  const docs: Record<string, string> = {};
  const keys: Record<string, string> = {};
  const feedIds: Record<string, string> = {};

  beforeAll(async () => {
    docs['/unodc.xml'] = rss('UNODC news', [
      { guid: 'u-1', title: 'Global Report on Trafficking in Persons 2026', link: 'https://www.unodc.org/glotip-2026?utm_source=rss', date: 'Mon, 02 Nov 2026 09:00:00 GMT', category: 'Research', pdf: 'https://www.unodc.org/glotip-2026.pdf' },
      { guid: 'u-2', title: 'Joint statement on forced criminality', link: 'https://icat.un.org/joint-statement-2026', date: 'Tue, 03 Nov 2026 09:00:00 +0100' },
    ]);
    docs['/iom.xml'] = rss('IOM news', [
      { guid: 'iom-77', title: 'Migrant smuggling and trafficking: a field guide', link: 'https://www.iom.int/field-guide', date: 'Wed, 04 Nov 2026 08:00:00 EST', category: 'Guidance' },
      // The same joint paper, carried by a second member's feed under its own guid.
      { guid: 'iom-78', title: 'Joint statement on forced criminality', link: 'https://icat.un.org/joint-statement-2026', date: 'Tue, 03 Nov 2026 09:00:00 +0100' },
    ]);
    server = await startFeedServer({ '/unodc.xml': conditional(docs, '/unodc.xml'), '/iom.xml': conditional(docs, '/iom.xml') });
    server.route('/broken.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss><channel><title>A & B</title></channel></rss>'));
    server.route('/page.html', (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><head><title>Home</title></head><body>hi</body></html>'));
    hub = await startTestHub();

    // A subscriber that only wants UNODC's publications.
    const client = sqs();
    const q = await client.send(new CreateQueueCommand({ QueueName: 'unodc-only' }));
    queueUrl = q.QueueUrl!;
    const attrs = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    await createSnsClient({ region: 'us-east-1', snsEndpoint: hub.runtime.endpoints.sns }).send(
      new SubscribeCommand({
        TopicArn: hub.runtime.config.topicArn,
        Protocol: 'sqs',
        Endpoint: attrs.Attributes!.QueueArn!,
        Attributes: { FilterPolicy: JSON.stringify({ member: ['unodc'] }), RawMessageDelivery: 'true' },
      }),
    );
  });

  afterAll(async () => {
    await hub?.close();
    await server?.close();
  });

  it('creates members with an API key shown once, admin only', async () => {
    const denied = await hub.api('POST', '/api/members', { body: { id: 'unodc', name: 'UNODC', email: 'feeds@unodc.example' } });
    expect(denied.status).toBe(401);
    expect(denied.json.error.code).toBe('unauthenticated');
    for (const id of ['unodc', 'iom']) {
      // The secretariat vouches for the members' domain (here the loopback feed server's), so their feeds need no approval.
      const res = await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id, name: id.toUpperCase(), email: `feeds@${id}.example`, domains: ['127.0.0.1'] } });
      expect(res.status).toBe(201);
      expect(res.json.api_key).toMatch(/^ihk_/);
      keys[id] = res.json.api_key;
    }
    const again = await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id: 'iom', name: 'IOM', email: 'x@iom.example' } });
    expect(again.status).toBe(409);
  });

  it('registers feeds only after fetching and parsing them', async () => {
    for (const id of ['unodc', 'iom']) {
      const res = await hub.api('POST', '/api/feeds', { token: keys[id], body: { url: server.url(`/${id}.xml`) } });
      expect(res.status).toBe(201);
      expect(res.json.found).toMatchObject({ format: 'rss', itemCount: 2 });
      feedIds[id] = res.json.feed.id;
    }
    const html = await hub.api('POST', '/api/feeds', { token: keys.unodc, body: { url: server.url('/page.html') } });
    expect(html.status).toBe(422);
    expect(html.json.error.code).toBe('not_a_feed_html');
    const missing = await hub.api('POST', '/api/feeds', { token: keys.unodc, body: { url: server.url('/nothing.xml') } });
    expect(missing.status).toBe(422);
    expect(missing.json.error.message).toMatch(/404/);
    const blocked = await hub.api('POST', '/api/feeds', { token: keys.unodc, body: { url: server.url('/unodc.xml').replace('127.0.0.1', '127.0.0.2') } });
    expect(blocked.status).toBe(422);
    expect(blocked.json.error.code).toBe('blocked_address');
    const list = await hub.api('GET', '/api/feeds', { token: keys.iom });
    expect(list.json.items.map((f: { id: string }) => f.id)).toEqual([feedIds.iom]);
  });

  it('keeps members out of each other\'s feeds', async () => {
    const read = await hub.api('GET', `/api/feeds/${feedIds.unodc}`, { token: keys.iom });
    expect(read.status).toBe(403);
    const del = await hub.api('DELETE', `/api/feeds/${feedIds.unodc}`, { token: keys.iom });
    expect(del.status).toBe(403);
    const poll = await hub.api('POST', '/api/poll', { token: keys.iom });
    expect(poll.status).toBe(403);
  });

  it('polls, stores each publication once and credits joint papers to both members', async () => {
    const summary = await hub.poll();
    expect(summary).toMatchObject({ feeds_polled: 2, errors: 0, new_publications: 3 });
    const pubs = await hub.api('GET', '/api/publications');
    expect(pubs.json.items).toHaveLength(3);
    const titles = pubs.json.items.map((p: { title: string }) => p.title);
    // Newest first: 4 Nov 13:00Z, 3 Nov 08:00Z, 2 Nov 09:00Z.
    expect(titles).toEqual(['Migrant smuggling and trafficking: a field guide', 'Joint statement on forced criminality', 'Global Report on Trafficking in Persons 2026']);
    const joint = pubs.json.items[1];
    expect(joint.members.sort()).toEqual(['iom', 'unodc']);
    expect(joint.published).toBe('2026-11-03T08:00:00.000Z');
    const report = pubs.json.items[2];
    expect(report.link).toBe('https://www.unodc.org/glotip-2026');
    expect(report.enclosures).toEqual([{ url: 'https://www.unodc.org/glotip-2026.pdf', type: 'application/pdf', length: 12345 }]);
    expect(pubs.json.items[0].published).toBe('2026-11-04T13:00:00.000Z');

    const iomOnly = await hub.api('GET', '/api/publications?member=iom');
    expect(iomOnly.json.items.map((p: { title: string }) => p.title)).toEqual(['Migrant smuggling and trafficking: a field guide', 'Joint statement on forced criminality']);
  });

  it('announces each new publication once, with attributes a subscriber filters on', async () => {
    const client = sqs();
    const bodies: { id: string; title: string; members: string[] }[] = [];
    for (let i = 0; i < 5; i += 1) {
      const out = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
      for (const m of out.Messages ?? []) {
        bodies.push(JSON.parse(m.Body!));
        await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
      if (bodies.length >= 2 && (out.Messages ?? []).length === 0) break;
    }
    // UNODC's two publications; the IOM field guide is filtered out, and the joint paper was
    // announced once, by whichever feed stored it first: here UNODC's if it was first, else IOM's.
    const titles = bodies.map((b) => b.title).sort();
    expect(titles).toContain('Global Report on Trafficking in Persons 2026');
    expect(titles).not.toContain('Migrant smuggling and trafficking: a field guide');
    expect(new Set(bodies.map((b) => b.id)).size).toBe(bodies.length);
    const report = bodies.find((b) => b.title.startsWith('Global Report'))!;
    expect(report).toMatchObject({ link: 'https://www.unodc.org/glotip-2026', members: ['unodc'], published: '2026-11-02T09:00:00.000Z' });
  });

  it('serves merged feeds that xmllint and feedparser accept, with caching headers', async () => {
    for (const [ext, type] of [['rss', 'application/rss+xml'], ['atom', 'application/atom+xml']] as const) {
      const res = await fetch(`${hub.url}/feeds/all.${ext}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
      expect(res.headers.get('etag')).toBeTruthy();
      expect(res.headers.get('last-modified')).toBeTruthy();
      expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
      const body = await res.text();
      assertWellFormedXml(body);
      const parsed = await parseWithFeedparser(body);
      expect(parsed.bozo).toBe(false);
      expect(parsed.entries.map((e) => e.title)).toEqual(['Migrant smuggling and trafficking: a field guide', 'Joint statement on forced criminality', 'Global Report on Trafficking in Persons 2026']);
      expect(body).toContain(`rel="self"`);
      const again = await fetch(`${hub.url}/feeds/all.${ext}`, { headers: { 'if-none-match': res.headers.get('etag')! } });
      expect(again.status).toBe(304);
      const since = await fetch(`${hub.url}/feeds/all.${ext}`, { headers: { 'if-modified-since': res.headers.get('last-modified')! } });
      expect(since.status).toBe(304);
    }
    const json = await fetch(`${hub.url}/feeds/members/iom.json?limit=1`);
    expect(json.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const doc = assertValidJsonFeed(await json.text());
    expect(doc.items).toHaveLength(1);
    expect(doc.items[0]!.title).toBe('Migrant smuggling and trafficking: a field guide');
    const unknown = await fetch(`${hub.url}/feeds/members/nobody.rss`);
    expect(unknown.status).toBe(404);
    const tooMany = await fetch(`${hub.url}/feeds/all.rss?limit=501`);
    expect(tooMany.status).toBe(400);
  });

  it('re-polls unchanged feeds with conditional requests and stores nothing', async () => {
    const before = server.requests.length;
    const summary = await hub.poll();
    expect(summary).toMatchObject({ feeds_polled: 2, not_modified: 2, new_publications: 0, errors: 0 });
    const conditionalRequests = server.requests.slice(before);
    expect(conditionalRequests).toHaveLength(2);
    for (const r of conditionalRequests) expect(r.headers['if-none-match']).toMatch(/^"/);
    const pubs = await hub.api('GET', '/api/publications');
    expect(pubs.json.items).toHaveLength(3);
  });

  it('treats a guid change with the same link as the same publication, and picks up a new item', async () => {
    docs['/unodc.xml'] = rss('UNODC news', [
      { guid: 'u-1-renamed', title: 'Global Report on Trafficking in Persons 2026', link: 'https://www.unodc.org/glotip-2026', date: 'Mon, 02 Nov 2026 09:00:00 GMT', category: 'Research', pdf: 'https://www.unodc.org/glotip-2026.pdf' },
      { guid: 'u-2', title: 'Joint statement on forced criminality', link: 'https://icat.un.org/joint-statement-2026', date: 'Tue, 03 Nov 2026 09:00:00 +0100' },
      { guid: 'u-3', title: 'Toolkit for prosecutors', link: 'https://www.unodc.org/toolkit', date: '2026-11-05T10:00:00Z' },
    ]);
    const summary = await hub.poll();
    expect(summary).toMatchObject({ new_publications: 1, errors: 0 });
    const pubs = await hub.api('GET', '/api/publications');
    expect(pubs.json.items.map((p: { title: string }) => p.title)[0]).toBe('Toolkit for prosecutors');
    expect(pubs.json.items).toHaveLength(4);
  });

  it('marks a broken feed in error with a readable reason and goes on with the others', async () => {
    const broken = await hub.api('POST', '/api/feeds', { token: keys.iom, body: { url: server.url('/broken.xml') } });
    expect(broken.status).toBe(422);
    expect(broken.json.error.code).toBe('malformed_xml');
    // A registered feed that later breaks.
    docs['/iom.xml'] = '<rss version="2.0"><channel><title>IOM & partners</title></channel></rss>';
    const summary = await hub.poll();
    expect(summary).toMatchObject({ feeds_polled: 2, errors: 1 });
    const feed = await hub.api('GET', `/api/feeds/${feedIds.iom}`, { token: keys.iom });
    expect(feed.json).toMatchObject({ status: 'error', consecutive_errors: 1 });
    expect(feed.json.last_error.code).toBe('malformed_xml');
    expect(feed.json.next_poll_at > new Date().toISOString()).toBe(true);
    const pubs = await hub.api('GET', '/api/publications?limit=500');
    expect(pubs.json.items).toHaveLength(4);
  });

  it('stops polling a deleted feed and keeps its publications', async () => {
    const del = await hub.api('DELETE', `/api/feeds/${feedIds.iom}`, { token: keys.iom });
    expect(del.status).toBe(204);
    const summary = await hub.poll();
    expect(summary.feeds_polled).toBe(1);
    const pubs = await hub.api('GET', '/api/publications?member=iom');
    expect(pubs.json.items).toHaveLength(2);
    // The field guide came only from the removed feed; the joint paper is still carried by UNODC's.
    expect(pubs.json.items.map((p: { title: string; from_removed_feed: boolean }) => [p.title, p.from_removed_feed])).toEqual([
      ['Migrant smuggling and trafficking: a field guide', true],
      ['Joint statement on forced criminality', false],
    ]);
  });

  it('answers unknown routes and bad input with JSON errors', async () => {
    const nothing = await hub.api('GET', '/api/nothing');
    expect(nothing.status).toBe(404);
    expect(nothing.json.error.code).toBe('not_found');
    const badJson = await fetch(`${hub.url}/api/members`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{' });
    expect(badJson.status).toBe(400);
    const badCursor = await hub.api('GET', '/api/publications?cursor=zzz');
    expect(badCursor.status).toBe(400);
    const method = await hub.api('PUT', '/api/poll');
    expect(method.status).toBe(405);
  });
});
