// Bundles each Lambda function exactly as the stack does (infra/bundling.ts), then reports what it
// ships and how long a fresh `node` process takes to import it (module load and the function's
// cold-start construction, with the functions' NODE_OPTIONS; nothing is contacted: clients connect on
// first use). The AWS SDK is left to the runtime, and the runtime's copy is what Node loads from
// node_modules here, so its load time is part of the figure.
//
// Two times per function: importing index.mjs (Lambda's init phase: the budget), and importing it
// together with every part it loads only when first needed (the most a first request can add). Each
// is the best of N fresh processes, run in turns across the functions: other work on a shared machine
// only ever adds to a run, so the best run is the import's own cost; the median is printed beside it.
// When the machine was busier than it has cores, an import over budget is reported as unreliable
// rather than failing; a bundle over its size budget always fails.
//
//   tsx scripts/bundle-report.ts [--runs 9] [--json] [--compare-sdk]
//
// --compare-sdk also builds every function with the whole AWS SDK inside, and measures both builds in
// the same turns, so that the two are compared under the same load.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { bundleFunction, ENTRY_FILE, FUNCTIONS, NODE_OPTIONS, PROJECT_ROOT, type Bundle, type SdkMode } from '../infra/bundling.ts';
import { BUDGET } from '../infra/budgets.ts';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 9;
const asJson = args.includes('--json');
const variants: SdkMode[] = args.includes('--compare-sdk') ? ['runtime', 'bundled'] : ['runtime'];
// Inside the project, so that the SDK resolves from node_modules as it does from the runtime's.
const outRoot = join(PROJECT_ROOT, 'cdk.out', 'bundle-report');

// What the functions read at init; none of it is contacted during an import.
const INIT_ENV: Record<string, string> = {
  AWS_REGION: 'eu-west-1',
  TABLE_NAME: 'icat-hub-report',
  TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:publications',
  POLL_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/poll',
  ADMIN_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:admin',
  TOKEN_SIGNING_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:signing-key',
  ALERTS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/alerts',
  ALERTS_DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/alerts-dlq',
  MAIL_FROM: 'ICAT publication alerts <alerts@hub.example.org>',
  SES_CONFIGURATION_SET: 'icat-hub-report-alerts',
  PUBLIC_URL: 'https://hub.example.org',
  POWERTOOLS_SERVICE_NAME: 'icat-hub-report',
  POWERTOOLS_METRICS_NAMESPACE: 'IcatHub',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

interface Timing {
  /** Wall time to import index.mjs. */
  init: number;
  /** CPU time of that import (all threads of the process): steadier than wall time on a busy machine. */
  cpu: number;
  /** Wall time to import index.mjs and then every file it loads later. */
  all: number;
}

function coldImport(dir: string, later: string[]): Timing {
  const url = (f: string) => JSON.stringify(pathToFileURL(join(dir, f)).href);
  const code = [
    'const c0 = process.cpuUsage();',
    'const t0 = performance.now();',
    `await import(${url(ENTRY_FILE)});`,
    'const t1 = performance.now();',
    'const c1 = process.cpuUsage(c0);',
    `await Promise.all([${later.map(url).join(', ')}].map((u) => import(u)));`,
    'process.stdout.write(JSON.stringify({ init: t1 - t0, cpu: (c1.user + c1.system) / 1000, all: performance.now() - t0 }));',
  ].join('\n');
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_OPTIONS, ...INIT_ENV };
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', code], { env, encoding: 'utf8', timeout: 60_000 });
  if (out.status !== 0) {
    // Only the error's last lines: the first one would be a line of minified source.
    const tail = (out.stderr ?? '').split('\n').filter((l) => l.trim() !== '').slice(-6).map((l) => l.slice(0, 300));
    throw new Error(`importing ${dir} failed:\n${tail.join('\n')}`);
  }
  return JSON.parse(out.stdout) as Timing;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface Row {
  name: string;
  sdk: SdkMode;
  /** Loaded by importing index.mjs. */
  initBytes: number;
  initGzipBytes: number;
  /** Loaded by the first use of what needs it. */
  laterBytes: number;
  files: number;
  dataBytes: number;
  importMsMin: number;
  importMsMedian: number;
  importCpuMsMedian: number;
  withLaterMsMin: number;
  withLaterMsMedian: number;
  sizeOk: boolean;
  timeOk: boolean;
}

const built: { name: string; sdk: SdkMode; dir: string; bundle: Bundle; times: Timing[] }[] = [];
for (const spec of FUNCTIONS) {
  for (const sdk of variants) {
    const dir = join(outRoot, sdk === 'runtime' ? spec.name : `${spec.name}-sdk-bundled`);
    built.push({ name: spec.name, sdk, dir, bundle: await bundleFunction(spec, dir, sdk), times: [] });
  }
}

const loadBefore = loadavg()[0]!;
// The first round warms the OS file cache, as a deployed function's files are; then turns, so that
// every function sees the same spells of load.
for (let round = 0; round <= runs; round++) {
  for (const b of built) {
    const t = coldImport(b.dir, b.bundle.files.filter((f) => !f.atInit).map((f) => f.name));
    if (round > 0) b.times.push(t);
  }
}
const busy = Math.max(loadBefore, loadavg()[0]!) > availableParallelism();

const rows: Row[] = built.map(({ name, sdk, dir, bundle, times: t }) => {
  const init = bundle.files.filter((f) => f.atInit);
  const initBytes = init.reduce((n, f) => n + f.bytes, 0);
  const importMsMin = Math.min(...t.map((x) => x.init));
  return {
    name,
    sdk,
    initBytes,
    initGzipBytes: gzipSync(Buffer.concat(init.map((f) => readFileSync(join(dir, f.name))))).length,
    laterBytes: bundle.files.filter((f) => !f.atInit).reduce((n, f) => n + f.bytes, 0),
    files: bundle.files.length,
    dataBytes: bundle.sideFiles.reduce((n, f) => n + f.bytes, 0),
    importMsMin,
    importMsMedian: median(t.map((x) => x.init)),
    importCpuMsMedian: median(t.map((x) => x.cpu)),
    withLaterMsMin: Math.min(...t.map((x) => x.all)),
    withLaterMsMedian: median(t.map((x) => x.all)),
    // Only the deployed build (the SDK from the runtime) is held to the budget.
    sizeOk: sdk === 'bundled' || initBytes <= BUDGET.maxBytes,
    timeOk: sdk === 'bundled' || importMsMin <= BUDGET.maxImportMs,
  };
});
const deployed = rows.filter((r) => r.sdk === 'runtime');

const kb = (n: number) => (n / 1024).toFixed(0);
const ms = (a: number, b: number) => `${a.toFixed(0)} / ${b.toFixed(0)}`;
if (asJson) {
  for (const r of rows) console.log(JSON.stringify(r));
} else {
  console.log(`\nLambda bundles (esbuild, minified, ESM with code splitting, AWS SDK from the runtime; cold import: ${runs} fresh node processes per function, after one to warm the file cache; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)\n`);
  console.log('| function | at init KB | gzip KB | loaded later KB | data files KB | cold import ms (best / median) | CPU ms (median) | with everything loaded later ms (best / median) | |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of deployed) {
    const over = !r.sizeOk || !r.timeOk ? '**OVER**' : '';
    console.log(`| ${r.name} | ${kb(r.initBytes)} | ${kb(r.initGzipBytes)} | ${r.laterBytes ? kb(r.laterBytes) : '-'} | ${r.dataBytes ? kb(r.dataBytes) : '-'} | ${ms(r.importMsMin, r.importMsMedian)} | ${r.importCpuMsMedian.toFixed(0)} | ${ms(r.withLaterMsMin, r.withLaterMsMedian)} | ${over} |`);
  }
  const bundledSdk = rows.filter((r) => r.sdk === 'bundled');
  if (bundledSdk.length > 0) {
    console.log('\nThe same functions with the AWS SDK bundled, measured in the same turns:\n');
    console.log('| function | at init KB, SDK from runtime / bundled | cold import ms best, runtime / bundled | median | CPU ms median |');
    console.log('|---|---:|---:|---:|---:|');
    for (const b of bundledSdk) {
      const r = deployed.find((d) => d.name === b.name)!;
      console.log(`| ${b.name} | ${kb(r.initBytes)} / ${kb(b.initBytes)} | ${r.importMsMin.toFixed(0)} / ${b.importMsMin.toFixed(0)} | ${r.importMsMedian.toFixed(0)} / ${b.importMsMedian.toFixed(0)} | ${r.importCpuMsMedian.toFixed(0)} / ${b.importCpuMsMedian.toFixed(0)} |`);
    }
  }
  console.log(`\nBudget for every function (infra/budgets.ts): ${kb(BUDGET.maxBytes)} KB of code loaded at init, ${BUDGET.maxImportMs} ms to import it (best run).`);
}
const over = rows.filter((r) => !r.sizeOk || (!r.timeOk && !busy));
const unreliable = busy ? rows.filter((r) => r.sizeOk && !r.timeOk) : [];
if (unreliable.length > 0) {
  console.error(`\nCold import over budget for ${unreliable.map((r) => r.name).join(', ')}, but the machine was busy (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores): run again when it is idle.`);
}
if (over.length > 0) {
  console.error(`\nOver budget: ${over.map((r) => r.name).join(', ')}`);
  process.exitCode = 1;
}
