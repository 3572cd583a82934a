// parse + normalise throughput against feedsmith's bare parse of the same bytes.
import { parseFeed as feedsmithParse } from 'feedsmith';
import { parseFeed } from '../shared/core/parse.ts';
import { publicationFeed } from './fixtures.ts';
import { interleave, time, type Result } from './stats.ts';

export async function benchParse(): Promise<Result[]> {
  const results: Result[] = [];
  for (const format of ['rss', 'atom'] as const) {
    const items = 1000;
    const bytes = Buffer.from(publicationFeed(items, format));
    const url = 'https://www.example.org/feed';
    // Medians of 21 interleaved runs after 3 warm-up rounds: on a shared 2-core machine, 9 runs
    // left the ratio swinging by +-0.1 from one invocation to the next.
    const { baseline, subject } = await interleave(
      21,
      3,
      () => time(() => feedsmithParse(bytes.toString('utf8'))),
      () => time(() => parseFeed({ body: bytes, contentType: 'application/xml; charset=utf-8', url })),
    );
    const ours = (items / subject) * 1000;
    const base = (items / baseline) * 1000;
    results.push({ name: `parse+normalise ${format} (1,000 items)`, value: Math.round(ours), unit: 'items/s', baseline: Math.round(base), ratio: ours / base, target: '>= 0.5', ok: ours / base >= 0.5 });
  }
  return results;
}
