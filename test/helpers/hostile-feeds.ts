// Feeds that try to exhaust the hub's memory, served on loopback by the memory tests: a body just
// under the size cap, a gzip bomb, 20,000 items, deep nesting, an endless stream and a "billion
// laughs" DTD. Each is one route handler.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { sendBody, type RouteHandler } from './feed-server.ts';

const MIB = 1024 * 1024;

const item = (i: number, description: string) =>
  `<item><title>Report ${i} on trafficking in persons</title><link>https://example.org/r/${i}</link><guid isPermaLink="false">r-${i}</guid>` +
  `<pubDate>${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString()}</pubDate><category>Research</category><description>${description}</description></item>\n`;

const channel = (title: string, body: string) =>
  `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>${title}</title><link>https://example.org/</link><description>x</description>\n${body}</channel></rss>\n`;

export function manyItems(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(item(i, `About report ${i}: &lt;p&gt;findings, methods and recommendations for member states.&lt;/p&gt;`));
  return channel(`${n} items`, parts.join(''));
}

/** Just under `bytes`: a few hundred items with long descriptions. */
export function atCap(bytes: number): string {
  const text = 'Trafficking in persons remains a grave crime affecting every region. '.repeat(700);
  const parts: string[] = [];
  let size = 200;
  for (let i = 0; size + text.length + 400 < bytes; i++) {
    const one = item(i, text);
    parts.push(one);
    size += one.length;
  }
  return channel('At the cap', parts.join(''));
}

export function deepNesting(depth: number): string {
  return channel('Deep', `<item><title>deep</title><guid>deep-1</guid><description>x</description>${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}</item>`);
}

export const billionLaughs =
  '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n' +
  Array.from({ length: 9 }, (_, k) => `<!ENTITY lol${k + 1} "${`&lol${k === 0 ? '' : k};`.repeat(10)}">`).join('\n') +
  '\n]>\n<rss version="2.0"><channel><title>Laughs &lol9;</title><link>https://example.org/</link><description>x</description>' +
  '<item><title>Item &lol9;</title><guid>lol-1</guid><description>&lol9;</description></item></channel></rss>';

/** Writes items for as long as the client reads. */
const endless: RouteHandler = (req, res) => {
  res.writeHead(200, { 'content-type': 'application/rss+xml' });
  const chunk = Buffer.from(`<item><title>${'more '.repeat(2000)}</title></item>\n`);
  res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>endless</title>');
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  req.socket.on('close', () => res.destroy());
  pump();
};

/** Path -> handler, for a feed server; `capBytes` is the hub's MAX_FEED_BYTES. */
export function hostileFeeds(capBytes = 15 * MIB): Record<string, RouteHandler> {
  // 200 MiB of spaces after a valid start: about 200 KB on the wire.
  const bomb = Buffer.concat([gzipSync('<?xml version="1.0"?><rss version="2.0"><channel><title>bomb</title>'), gzipSync(Buffer.alloc(200 * MIB, ' '), { level: 9 })]);
  return {
    '/items.xml': sendBody(manyItems(20_000)),
    '/cap.xml': sendBody(atCap(capBytes)),
    '/bomb.xml': sendBody(bomb, { 'content-encoding': 'gzip' }),
    '/deep.xml': sendBody(deepNesting(200_000)),
    '/laughs.xml': sendBody(billionLaughs),
    '/endless.xml': endless,
  };
}

/** Resident set (VmRSS) or its peak so far (VmHWM) of a process on this machine, in MB. */
export function residentMb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}
