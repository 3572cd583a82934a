// The import rules (.dependency-cruiser.cjs) hold on the tree (`npm run arch`, part of `npm test`),
// and they do fail the build: back-arrows added on purpose in a scratch folder are each reported.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'node_modules/.bin/depcruise');
const run = promisify(execFile);

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** The violations found in `paths`, and the exit code of the command `npm run arch` runs on them. */
async function cruise(paths: string[]): Promise<{ code: number; violations: Violation[] }> {
  const args = [...paths, '--config', '.dependency-cruiser.cjs'];
  const { stdout } = await run(BIN, [...args, '--output-type', 'json'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  const violations = (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
  const code = await run(BIN, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }).then(
    () => 0,
    (err: { code: number }) => err.code,
  );
  return { code, violations };
}

describe('import rules', () => {
  const probes: string[] = [];
  const probe = (dir: string, name: string, source: string) => {
    mkdirSync(join(ROOT, dir), { recursive: true });
    writeFileSync(join(ROOT, dir, name), source);
    probes.push(dir);
    return `${dir}/${name}`;
  };
  afterAll(() => {
    for (const dir of new Set(probes)) rmSync(join(ROOT, dir), { recursive: true, force: true });
  });

  it('hold on the whole tree', async () => {
    const { code, violations } = await cruise(['shared', 'local', 'lambda', 'functions', 'infra', 'bench', 'bin', 'scripts']);
    expect(violations).toEqual([]);
    expect(code).toBe(0);
  }, 120_000);

  it('fail on a back-arrow, a cycle, an impure core and code that imports tests', async () => {
    const files = [
      probe('shared/core/zz-arch-probe', 'adapter.ts', "import '../../adapters/http-fetcher.ts';\nimport 'node:http';\n"),
      probe('shared/http/zz-arch-probe', 'page.ts', "import '../../web/html.ts';\n"),
      probe('shared/app/zz-arch-probe', 'a.ts', "import './b.ts';\nimport '../../web/html.ts';\n"),
      probe('shared/app/zz-arch-probe', 'b.ts', "import './a.ts';\n"),
      probe('bench/zz-arch-probe', 'helper.ts', "import '../../test/helpers/dynamo.ts';\n"),
    ];
    const { code, violations } = await cruise(files);
    expect(code).not.toBe(0);
    const found = violations.map((v) => `${v.rule.name} ${v.from}`).sort();
    expect(found).toEqual(
      expect.arrayContaining([
        'core-is-pure shared/core/zz-arch-probe/adapter.ts',
        'http-not-to-web shared/http/zz-arch-probe/page.ts',
        'use-cases-know-no-delivery shared/app/zz-arch-probe/a.ts',
        'no-circular shared/app/zz-arch-probe/a.ts',
        'bench-not-to-test bench/zz-arch-probe/helper.ts',
      ]),
    );
    // Both of the core probe's imports are refused: the adapter and the socket module.
    expect(violations.filter((v) => v.rule.name === 'core-is-pure').map((v) => v.to).sort()).toEqual(['http', 'shared/adapters/http-fetcher.ts']);
  }, 120_000);
});
