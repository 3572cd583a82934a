// Bundles each Lambda function exactly as the stack does (infra/bundling.ts), then reports the bundle's
// size and how long a fresh `node` process takes to import it (module load and the function's
// cold-start construction, with the functions' NODE_OPTIONS; no network: secrets and clients connect
// lazily). Fails when a bundle is over its size budget or its cold import over the time budget. The
// time checked is the best of N fresh processes: other work on a shared machine only ever adds to it,
// so the best run is the import's own cost; the median is printed beside it. When the machine was
// busier than it has cores (load average), a time over budget is reported as unreliable rather than
// failing; a size over budget always fails.
//
//   tsx scripts/bundle-report.ts [--runs 7] [--json] [--sdk=external]
//
// --sdk=external leaves @aws-sdk/* to the runtime, as NodejsFunction does by default, to compare.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { availableParallelism, loadavg } from 'node:os';
import { build } from 'esbuild';
import { afterBundlingCommands, esbuildOptions, FUNCTIONS, NODE_OPTIONS, PROJECT_ROOT } from '../infra/bundling.ts';
import { BUDGET, budgetFor, EXCEPTIONS } from '../infra/budgets.ts';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 7;
const asJson = args.includes('--json');
const sdkExternal = args.includes('--sdk=external');
// Inside the project, so that an external @aws-sdk resolves from node_modules as it would from the runtime.
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

function coldImportMs(file: string): number {
  const code = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_OPTIONS, ...INIT_ENV };
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', code], { env, encoding: 'utf8', timeout: 30_000 });
  if (out.status !== 0) {
    // Only the error's last lines: the first one would be a line of minified source.
    const tail = (out.stderr ?? '').split('\n').filter((l) => l.trim() !== '').slice(-6).map((l) => l.slice(0, 300));
    throw new Error(`importing ${file} failed:\n${tail.join('\n')}`);
  }
  return Number(out.stdout);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface Row {
  sizeOk: boolean;
  timeOk: boolean;
  name: string;
  bytes: number;
  gzipBytes: number;
  sideFilesBytes: number;
  importMsMedian: number;
  importMsMin: number;
  maxBytes: number;
  maxImportMs: number;
  ok: boolean;
}

async function bundleOne(spec: (typeof FUNCTIONS)[number]): Promise<Row> {
  const dir = join(outRoot, spec.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'index.mjs');
  await build(esbuildOptions(spec, outfile, sdkExternal ? ['@aws-sdk/*'] : []));
  // The same shell commands the stack's afterBundling hook runs.
  for (const cmd of afterBundlingCommands(spec, PROJECT_ROOT, dir)) {
    const r = spawnSync('bash', ['-c', cmd], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${cmd} failed`);
  }
  const sideFilesBytes = readdirSync(dir)
    .filter((f) => f === 'tables')
    .flatMap((f) => readdirSync(join(dir, f)).map((t) => statSync(join(dir, f, t)).size))
    .reduce((a, b) => a + b, 0);
  const body = readFileSync(outfile);
  coldImportMs(outfile); // warms the OS file cache, as a deployed function's files are
  const times = Array.from({ length: runs }, () => coldImportMs(outfile));
  const budget = budgetFor(spec.name);
  const importMsMedian = median(times);
  return {
    name: spec.name,
    bytes: body.length,
    gzipBytes: gzipSync(body).length,
    sideFilesBytes,
    importMsMedian,
    importMsMin: Math.min(...times),
    maxBytes: budget.maxBytes,
    maxImportMs: budget.maxImportMs,
    sizeOk: body.length <= budget.maxBytes,
    timeOk: Math.min(...times) <= budget.maxImportMs,
    ok: body.length <= budget.maxBytes && Math.min(...times) <= budget.maxImportMs,
  };
}

const rows: Row[] = [];
const loadBefore = loadavg()[0]!;
for (const spec of FUNCTIONS) rows.push(await bundleOne(spec));
const busy = Math.max(loadBefore, loadavg()[0]!) > availableParallelism();

const kb = (n: number) => (n / 1024).toFixed(0);
if (asJson) {
  for (const r of rows) console.log(JSON.stringify(r));
} else {
  console.log(`\nLambda bundles (esbuild, minified, ESM, node22 target; @aws-sdk ${sdkExternal ? 'external' : 'bundled'}; cold import: ${runs} fresh node processes after one to warm the file cache; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)\n`);
  console.log('| function | bundle KB | gzip KB | lazy data KB | cold import ms (best / median) | budget |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const r of rows) {
    const budget = `${kb(r.maxBytes)} KB, ${r.maxImportMs} ms${r.ok ? '' : ' **OVER**'}`;
    console.log(`| ${r.name} | ${kb(r.bytes)} | ${kb(r.gzipBytes)} | ${r.sideFilesBytes ? kb(r.sideFilesBytes) : '-'} | ${r.importMsMin.toFixed(0)} / ${r.importMsMedian.toFixed(0)} | ${budget} |`);
  }
  console.log(`\nDefault budget: ${kb(BUDGET.maxBytes)} KB and ${BUDGET.maxImportMs} ms per function (infra/budgets.ts). Raised for:`);
  for (const [name, e] of Object.entries(EXCEPTIONS)) console.log(`  ${name}: ${kb(e.maxBytes)} KB, ${e.maxImportMs} ms (${e.reason})`);
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
