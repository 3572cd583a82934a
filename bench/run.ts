// npm run bench [-- --json] [-- --only parse,ingest,idle,serve]
// Each figure is a ratio against a baseline measured in the same run, on the same machine.
import { benchIdleCycle } from './idle-cycle.ts';
import { benchIngest } from './ingest.ts';
import { benchParse } from './parse.ts';
import { benchServeFeed } from './serve-feed.ts';
import type { Result } from './stats.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const json = process.argv.includes('--json');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1]?.split(',')) : undefined;
const suites: [string, () => Promise<Result[]>][] = [
  ['parse', benchParse],
  ['ingest', benchIngest],
  ['idle', benchIdleCycle],
  ['serve', benchServeFeed],
];

const results: Result[] = [];
for (const [name, run] of suites) {
  if (only && !only.has(name)) continue;
  for (const r of await run()) {
    results.push(r);
    if (json) process.stdout.write(`${JSON.stringify({ name: r.name, value: r.value, unit: r.unit, baseline: r.baseline, ratio: Number(r.ratio.toFixed(3)), target: r.target, ok: r.ok, note: r.note })}\n`);
  }
}
if (!json) {
  const rows = results.map((r) => [r.name, `${r.value} ${r.unit}`, `${r.baseline} ${r.unit}`, r.ratio.toFixed(2), r.target, r.ok ? 'yes' : 'NO', r.note ?? '']);
  const head = ['benchmark', 'hub', 'baseline', 'ratio', 'target', 'met', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log([line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
}
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
