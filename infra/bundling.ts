// How every function is bundled, in one place: the stack (NodejsFunction, which runs the local esbuild
// through its command line) and scripts/bundle-report.ts (esbuild's API) both derive their options
// from these constants, and test/infra/bundling.test.ts checks that they produce the same bytes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LogLevel, OutputFormat, type BundlingOptions, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

export const PROJECT_ROOT = join(import.meta.dirname, '..');

export interface FunctionSpec {
  name: string;
  entry: string;
  /** Bundles the feed decoder: ships iconv-lite's multi-byte tables beside the bundle (see below). */
  charsetTables: boolean;
}

// The alert functions are deployed once their entry files exist (infra/alerts.ts wires them).
const OPTIONAL: FunctionSpec[] = [
  { name: 'alerts-worker', entry: 'functions/alerts-worker.ts', charsetTables: false },
  { name: 'alerts-digest', entry: 'functions/alerts-digest.ts', charsetTables: false },
];

export const FUNCTIONS: FunctionSpec[] = [
  { name: 'api', entry: 'functions/api.ts', charsetTables: true },
  { name: 'poll-scheduler', entry: 'functions/poll-scheduler.ts', charsetTables: false },
  { name: 'poll-worker', entry: 'functions/poll-worker.ts', charsetTables: true },
  ...OPTIONAL.filter((f) => existsSync(join(PROJECT_ROOT, f.entry))),
];

export const TARGET = 'node22';
export const MAIN_FIELDS = ['module', 'main'];
// The AWS SDK is bundled, not left to the runtime's copy: measured by `npm run bundles -- --sdk=external`,
// importing it from node_modules (hundreds of files) is the larger part of a cold import, and one
// minified file loads in a fraction of that time. See README "Running on AWS".
export const EXTERNAL_MODULES: string[] = [
  // iconv-lite loads its Chinese, Japanese and Korean tables (about 430 KB of JSON) with a lazy
  // require('./tables/x.json') the first time a feed in such a charset arrives. Kept out of the bundle
  // and copied beside it, they stay lazy: no function parses them at cold start.
  './tables/*',
];
/** NODE_OPTIONS of every function: stack traces point into the TypeScript sources. */
export const NODE_OPTIONS = '--enable-source-maps';
// ESM output, and CommonJS dependencies (iconv-lite, sanitize-html) still call require().
export const BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

const CHARSET_TABLES = 'node_modules/iconv-lite/encodings/tables';

/** Shell commands run after esbuild: the lazily loaded charset tables go next to index.mjs. */
export function afterBundlingCommands(spec: FunctionSpec, inputDir: string, outputDir: string): string[] {
  return spec.charsetTables ? [`mkdir -p "${outputDir}/tables"`, `cp "${inputDir}/${CHARSET_TABLES}"/*.json "${outputDir}/tables/"`] : [];
}

export function nodejsBundling(spec: FunctionSpec): BundlingOptions {
  const commandHooks: ICommandHooks = {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => afterBundlingCommands(spec, inputDir, outputDir),
  };
  return {
    logLevel: LogLevel.WARNING,
    format: OutputFormat.ESM,
    target: TARGET,
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    mainFields: MAIN_FIELDS,
    externalModules: EXTERNAL_MODULES,
    banner: BANNER,
    commandHooks,
  };
}

/** The same build through esbuild's API, for the bundle report. */
export function esbuildOptions(spec: FunctionSpec, outfile: string, extraExternal: string[] = []): BuildOptions {
  return {
    entryPoints: [join(PROJECT_ROOT, spec.entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: TARGET,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: MAIN_FIELDS,
    external: [...EXTERNAL_MODULES, ...extraExternal],
    banner: { js: BANNER },
    outfile,
    logLevel: 'warning',
  };
}
