// The feed directory end to end over loopback (dynalite, a local feed server): each feed is dated by
// its newest publication's own date (a feed untouched since 2020 does not look active today), on the
// directory and on the member's portal; and the OPML a reader imports brings each publication through
// one feed only, a joint paper under one id, while the members' source feeds are a file of their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOpml } from '../../shared/core/opml-document.ts';
import { startFeedServer, sendBody, type FeedServer } from '../helpers/feed-server.ts';
import { parseWithFeedparser } from '../helpers/feed-validators.ts';
import { ADMIN_TOKEN, rss, startTestHub, type TestHub } from '../helpers/hub.ts';
import { PortalClient, visibleText } from '../helpers/portal-client.ts';

const JOINT = { guid: 'https://www.icat.example/joint-paper', title: 'Joint paper on victim identification', link: 'https://www.icat.example/joint-paper', date: 'Mon, 02 Nov 2026 09:00:00 GMT' };

describe('feed directory', () => {
  let hub: TestHub;
  let feeds: FeedServer;
  const keys: Record<string, string> = {};
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    feeds = await startFeedServer({
      '/unodc.xml': sendBody(rss('UNODC news', [{ guid: 'u-1', title: 'Global Report 2026', link: 'https://www.unodc.org/glotip-2026', date: 'Tue, 03 Nov 2026 09:00:00 GMT' }, JOINT])),
      '/iom.xml': sendBody(rss('IOM news', [{ guid: 'i-1', title: 'Field guide', link: 'https://www.iom.int/field-guide', date: 'Wed, 04 Nov 2026 08:00:00 GMT' }, JOINT])),
      // A feed nobody has touched since 2020.
      '/iom-archive.xml': sendBody(rss('IOM archive', [
        { guid: 'a-1', title: 'Old handbook', link: 'https://www.iom.int/old-handbook', date: 'Thu, 12 Mar 2020 10:00:00 GMT' },
        { guid: 'a-2', title: 'Older handbook', link: 'https://www.iom.int/older-handbook', date: 'Mon, 06 Jan 2020 10:00:00 GMT' },
      ])),
    });
    hub = await startTestHub({ PUBLIC_RATE_LIMIT: '0' });
    for (const [id, paths] of [['unodc', ['/unodc.xml']], ['iom', ['/iom.xml', '/iom-archive.xml']]] as const) {
      const member = await hub.api('POST', '/api/members', { token: ADMIN_TOKEN, body: { id, name: `${id.toUpperCase()} name`, acronym: id.toUpperCase(), email: `feeds@${id}.example`, domains: ['127.0.0.1'] } });
      expect(member.status).toBe(201);
      keys[id] = (member.json as { api_key: string }).api_key;
      for (const path of paths) expect((await hub.api('POST', '/api/feeds', { token: keys[id], body: { url: feeds.url(path) } })).status).toBe(201);
    }
    expect((await hub.poll()).errors).toBe(0);
  });

  afterAll(async () => {
    await hub?.close();
    await feeds?.close();
  });

  const rowOf = (page: string, url: string) => new RegExp(`<a href="${url.replace(/[.?]/g, '\\$&')}">[\\s\\S]*?</tr>`).exec(page)?.[0] ?? '';

  it('dates each feed by its newest publication, not by when the hub first read it', async () => {
    const page = await (await fetch(`${hub.url}/directory`)).text();
    const archive = rowOf(page, feeds.url('/iom-archive.xml'));
    expect(archive).toContain('<time datetime="2020-03-12">12 March 2020</time>');
    expect(archive).toContain(`first seen on <time datetime="${today}">`);
    expect(rowOf(page, feeds.url('/iom.xml'))).toContain('<time datetime="2026-11-04">4 November 2026</time>');
    expect(rowOf(page, feeds.url('/unodc.xml'))).toContain('<time datetime="2026-11-03">3 November 2026</time>');
  });

  it('shows the same date on the member\'s portal', async () => {
    const portal = new PortalClient(hub.url);
    await portal.visit();
    expect((await portal.post('/portal/sign-in', { key: keys.iom! })).status).toBe(303);
    const text = visibleText((await portal.get('/portal')).text);
    expect(text).toContain('Newest publication: 12 March 2020');
    expect(text).toContain('Newest publication: 4 November 2026');
  });

  it('offers a reader one feed per member, so each publication arrives once and a joint paper under one id', async () => {
    const page = await (await fetch(`${hub.url}/directory`)).text();
    expect(page).toContain('href="/feeds/directory.opml"');
    expect(page).toContain('href="/feeds/sources.opml"');
    const imported = readOpml(await (await fetch(`${hub.url}/feeds/directory.opml`)).text()).map((o) => o.xmlUrl);
    expect(imported).toEqual([`${hub.publicUrl}/feeds/members/iom.rss`, `${hub.publicUrl}/feeds/members/unodc.rss`]);

    // What a reader that imported the file receives: every publication, each under one id.
    const received = new Map<string, number>();
    const titles = new Map<string, string>();
    for (const url of imported) {
      const parsed = await parseWithFeedparser(await (await fetch(url.replace(hub.publicUrl, hub.url))).text());
      for (const e of parsed.entries) {
        received.set(e.id!, (received.get(e.id!) ?? 0) + 1);
        titles.set(e.id!, e.title!);
      }
    }
    const stored = (await hub.api('GET', '/api/publications?limit=100')).json as { items: { id: string; title: string }[] };
    expect(new Set(titles.values())).toEqual(new Set(stored.items.map((p) => p.title)));
    expect(received.size).toBe(stored.items.length);
    // Each publication through one feed; only the joint paper is in both its members' feeds, with one id.
    const twice = [...received].filter(([, n]) => n > 1).map(([id]) => titles.get(id));
    expect(twice).toEqual([JOINT.title]);

    // The members' own feeds are a file of their own.
    const sources = readOpml(await (await fetch(`${hub.url}/feeds/sources.opml`)).text()).map((o) => o.xmlUrl);
    expect(sources.sort()).toEqual([feeds.url('/iom-archive.xml'), feeds.url('/iom.xml'), feeds.url('/unodc.xml')].sort());
  });
});
