// The synth with real bundling (infra/bundling.ts through the local esbuild, no Docker): two synths
// give the same template and the same bundles; the bundle report builds exactly those bytes; the
// charset tables left out of the bundles load from beside them.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction, FUNCTIONS, PROJECT_ROOT } from '../../infra/bundling.ts';
import { buildHubApp } from './synth-helpers.ts';

interface Synth {
  dir: string;
  template: string;
  /** function name -> asset directory */
  assets: Map<string, string>;
}

const dirs: string[] = [];

function synth(): Synth {
  const outdir = mkdtempSync(join(tmpdir(), 'icat-hub-synth-'));
  dirs.push(outdir);
  const { app } = buildHubApp({ outdir, bundle: true, context: { 'aws:cdk:enable-asset-metadata': true } });
  const assembly = app.synth();
  const stack = assembly.stacks[0]!;
  const resources = (stack.template as { Resources: Record<string, { Type: string; Properties: { FunctionName?: string }; Metadata?: Record<string, string> }> }).Resources;
  const assets = new Map<string, string>();
  for (const r of Object.values(resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    assets.set(r.Properties.FunctionName!.replace(/^icat-hub-prod-/, ''), join(outdir, r.Metadata!['aws:asset:path']!));
  }
  return { dir: outdir, template: readFileSync(join(outdir, stack.templateFile), 'utf8'), assets };
}

function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else hash.update(`${p.slice(dir.length)}\0`).update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

let first: Synth;
let second: Synth;
/** function name -> the folder bundleFunction() wrote, right after the first synth */
const viaApi = new Map<string, string>();

beforeAll(async () => {
  first = synth();
  const out = mkdtempSync(join(tmpdir(), 'icat-hub-esbuild-'));
  dirs.push(out);
  for (const spec of FUNCTIONS) {
    await bundleFunction(spec, join(out, spec.name));
    viaApi.set(spec.name, join(out, spec.name));
  }
  second = synth();
}, 300_000);

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('synth', () => {
  it('is deterministic: the same template, asset hashes included, and the same bundles', () => {
    expect(second.template).toBe(first.template);
    expect(first.assets.size).toBe(FUNCTIONS.length);
    for (const [name, dir] of first.assets) expect(treeHash(second.assets.get(name)!), name).toBe(treeHash(dir));
  });

  it('bundles each function as the bundle report does, byte for byte', () => {
    for (const spec of FUNCTIONS) expect(treeHash(first.assets.get(spec.name)!), spec.name).toBe(treeHash(viaApi.get(spec.name)!));
  });

  it('ships the charset tables and the web assets beside the functions that read them, and no others', () => {
    const beside = (what: string) => FUNCTIONS.map((f) => f.name).filter((n) => readdirSync(first.assets.get(n)!).includes(what)).sort();
    // The decoder is in the API's routes (registration), the worker's pipeline and the portal's pages.
    expect(beside('tables')).toEqual(['api', 'poll-worker', 'web'].filter((n) => first.assets.has(n)).sort());
    // Pages link the stylesheet with a version taken from its content.
    expect(beside('assets')).toEqual(['alerts-api', 'web'].filter((n) => first.assets.has(n)).sort());
    for (const n of beside('assets')) expect(readdirSync(join(first.assets.get(n)!, 'assets'))).toContain('site.css');
  });

  it('leaves the multi-byte charset tables out of the bundle and reads them from beside it when a feed needs one', async () => {
    // The decoder alone, bundled with the functions' options, inside the project so that nothing
    // resolves from elsewhere.
    const dir = join(PROJECT_ROOT, 'cdk.out', `decode-probe-${process.pid}`);
    dirs.push(dir);
    await bundleFunction({ name: 'decode-probe', entry: 'shared/core/decode.ts' }, dir);
    expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).not.toContain('"8140"'); // the first Shift_JIS table row
    expect(readdirSync(join(dir, 'tables'))).toContain('shiftjis.json');
    const { decodeBody } = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as typeof import('../../shared/core/decode.ts');
    const shiftJis = Buffer.from([0x93, 0xfa, 0x96, 0x7b]); // 日本
    expect(decodeBody(shiftJis, 'application/rss+xml; charset=Shift_JIS').text).toBe('日本');
    const gbk = Buffer.from([0xd6, 0xd0, 0xce, 0xc4]); // 中文
    expect(decodeBody(gbk, 'text/xml; charset=gb2312').text).toBe('中文');
  });
});
