// How every function is bundled, in one place. The stack (infra/function-code.ts, through
// infra/bundle-cli.ts) and scripts/bundle-report.ts both call bundleFunction(), so what is measured
// is what is deployed; test/infra/synth.test.ts checks it byte for byte.
//
// esbuild with code splitting: what a function needs only on some paths (`await import(...)` in
// functions/ and shared/) becomes a chunk beside index.mjs, read when first used, instead of part of
// what Lambda loads at init. NodejsFunction cannot do this: it runs esbuild with one output file.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';

export const PROJECT_ROOT = join(import.meta.dirname, '..');

export interface FunctionSpec {
  name: string;
  entry: string;
}

// Each is deployed once its entry exists: the alert functions and the web pages arrived after the rest.
const CANDIDATES: FunctionSpec[] = [
  { name: 'feeds', entry: 'functions/feeds.ts' },
  { name: 'api', entry: 'functions/api.ts' },
  { name: 'alerts-api', entry: 'functions/alerts-api.ts' },
  { name: 'web', entry: 'functions/web.ts' },
  { name: 'poll-scheduler', entry: 'functions/poll-scheduler.ts' },
  { name: 'poll-worker', entry: 'functions/poll-worker.ts' },
  { name: 'alerts-worker', entry: 'functions/alerts-worker.ts' },
  { name: 'alerts-digest', entry: 'functions/alerts-digest.ts' },
];

export const FUNCTIONS: FunctionSpec[] = CANDIDATES.filter((f) => existsSync(join(PROJECT_ROOT, f.entry)));

export const TARGET = 'node22';
export const MAIN_FIELDS = ['module', 'main'];
/** NODE_OPTIONS of every function: stack traces point into the TypeScript sources. */
export const NODE_OPTIONS = '--enable-source-maps';

/**
 * The V8 heap bound for a function of `memorySize` MB: 60% of it, so that garbage is collected well
 * before the process (heap, buffers, code) reaches the function's memory. Measured on the poll worker
 * with a batch of huge feeds (test/e2e/poll-worker-memory.test.ts, docs/ingest-limits.md).
 */
export const heapLimitMb = (memorySize: number): number => Math.floor(memorySize * 0.6);

export const nodeOptionsFor = (memorySize: number): string => `${NODE_OPTIONS} --max-old-space-size=${heapLimitMb(memorySize)}`;
export const ENTRY_FILE = 'index.mjs';

/**
 * Left to the copy of the AWS SDK v3 that the nodejs22.x runtime ships, with the packages it is made
 * of (as NodejsFunction does under cdk.json's `sdkV3ExcludeSmithyPackages`). Measured (README
 * "Bundles"): bundled, the SDK adds about 300 KB to what every function loads at init.
 */
export const RUNTIME_PACKAGES = /^@(aws-sdk|smithy|aws-crypto)\//;

// ESM importing a CommonJS package makes Node scan the package's source for its export names; the
// SDK's files are large, and that scan cost 20 ms a function here. require() skips it, so each SDK
// import becomes a small CommonJS module that requires the runtime's copy. `sideEffects: false`
// lets esbuild drop one whose exports are never used.
const runtimeSdkViaRequire: Plugin = {
  name: 'runtime-sdk-via-require',
  setup(b) {
    b.onResolve({ filter: RUNTIME_PACKAGES }, (args) =>
      args.namespace === 'runtime-sdk' ? { path: args.path, external: true } : { path: args.path, namespace: 'runtime-sdk', sideEffects: false },
    );
    b.onLoad({ filter: /.*/, namespace: 'runtime-sdk' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

// The X-Ray SDK (under Powertools Tracer) requires semver (28 KB minified) for one check only: the
// version of an AWS SDK v2 handed to captureAWS(). The hub uses SDK v3 (captureAWSv3Client), so that
// check never runs; in its place, a stand-in that refuses to be used.
const xrayWithoutSdkV2Check: Plugin = {
  name: 'xray-without-sdk-v2-check',
  setup(b) {
    b.onResolve({ filter: /^semver$/ }, (args) => (args.importer.includes('/node_modules/aws-xray-sdk-core/') ? { path: 'semver', namespace: 'xray-semver' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'xray-semver' }, () => ({
      contents: "module.exports = { gte() { throw new Error('captureAWS() for AWS SDK v2 is not available in this bundle (infra/bundling.ts)'); } };",
      loader: 'js',
    }));
  },
};

/** Bundled: the whole SDK in the bundle, to compare (`npm run bundles -- --compare-sdk`). */
export type SdkMode = 'runtime' | 'bundled';

// ESM output; CommonJS dependencies (iconv-lite) and the SDK above still call require().
const BANNER = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export function esbuildOptions(spec: FunctionSpec, outdir: string, sdk: SdkMode = 'runtime'): BuildOptions {
  return {
    entryPoints: { index: join(PROJECT_ROOT, spec.entry) },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: TARGET,
    minify: true,
    treeShaking: true,
    legalComments: 'none',
    charset: 'utf8',
    sourcemap: true,
    sourcesContent: false,
    mainFields: MAIN_FIELDS,
    // iconv-lite loads its Chinese, Japanese and Korean tables (about 430 KB of JSON) with a lazy
    // require('./tables/x.json') the first time a feed in such a charset arrives: copied beside the
    // bundle, they stay lazy.
    external: ['./tables/*'],
    plugins: sdk === 'runtime' ? [runtimeSdkViaRequire, xrayWithoutSdkV2Check] : [xrayWithoutSdkV2Check],
    banner: { js: BANNER },
    outdir,
    outExtension: { '.js': '.mjs' },
    // Chunks sit beside index.mjs: files they read relative to themselves (tables, assets) are found there.
    chunkNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: PROJECT_ROOT,
  };
}

export interface BundleFile {
  name: string;
  bytes: number;
  /** Loaded when index.mjs is imported (Lambda's init); otherwise only by the first `import()` that needs it. */
  atInit: boolean;
}

export interface Bundle {
  files: BundleFile[];
  /** Data files copied beside the code (charset tables, web assets), read only when needed. */
  sideFiles: { name: string; bytes: number }[];
  metafile: Metafile;
}

/** Bundles one function into `outdir` (emptied first), with the files it reads at run time. */
export async function bundleFunction(spec: FunctionSpec, outdir: string, sdk: SdkMode = 'runtime'): Promise<Bundle> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build(esbuildOptions(spec, outdir, sdk));
  const metafile = result.metafile!;
  const inputs = Object.keys(metafile.inputs);
  const sideFiles = [
    // iconv-lite's multi-byte tables, where the decoder is bundled.
    ...(inputs.some((p) => p.startsWith('node_modules/iconv-lite/')) ? copyDir(join(PROJECT_ROOT, 'node_modules/iconv-lite/encodings/tables'), join(outdir, 'tables')) : []),
    // The site's stylesheet and scripts, read by shared/web/assets.ts relative to itself.
    ...(inputs.includes('shared/web/assets.ts') ? copyDir(join(PROJECT_ROOT, 'shared/web/assets'), join(outdir, 'assets')) : []),
  ].map((f) => ({ name: relative(outdir, f.path), bytes: f.bytes }));
  return { files: codeFiles(metafile, outdir), sideFiles, metafile };
}

function copyDir(from: string, to: string): { path: string; bytes: number }[] {
  mkdirSync(to, { recursive: true });
  return readdirSync(from)
    .sort()
    .map((name) => {
      copyFileSync(join(from, name), join(to, name));
      return { path: join(to, name), bytes: statSync(join(to, name)).size };
    });
}

/** The JavaScript files of a bundle, marking those that importing index.mjs loads. */
export function codeFiles(metafile: Metafile, outdir: string): BundleFile[] {
  const outputs = Object.entries(metafile.outputs).filter(([name]) => name.endsWith('.mjs'));
  const byName = new Map(outputs.map(([name, o]) => [basename(name), o]));
  const atInit = new Set<string>();
  const visit = (name: string) => {
    if (atInit.has(name)) return;
    atInit.add(name);
    for (const i of byName.get(name)?.imports ?? []) if (i.kind === 'import-statement' && !i.external) visit(basename(i.path));
  };
  visit(ENTRY_FILE);
  if (!byName.has(ENTRY_FILE)) throw new Error(`esbuild wrote no ${ENTRY_FILE} into ${outdir}`);
  return outputs.map(([name, o]) => ({ name: basename(name), bytes: o.bytes, atInit: atInit.has(basename(name)) })).sort((a, b) => Number(b.atInit) - Number(a.atInit) || a.name.localeCompare(b.name));
}
