// A function's code asset: bundled on this machine by infra/bundling.ts, never in Docker. The asset
// hash is the hash of the bundle, so an unchanged bundle is not uploaded again.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { PROJECT_ROOT, type FunctionSpec } from './bundling.ts';

const CLI = join(PROJECT_ROOT, 'infra', 'bundle-cli.ts');

export function functionCode(spec: FunctionSpec): Code {
  return Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the API but never pulled: local bundling either succeeds or fails the synth.
      image: DockerImage.fromRegistry('local-bundling-only'),
      // Never run either; it names the function, which makes the asset cache key differ per function
      // (CDK reuses a staged asset whose source path and bundling options are the same).
      command: ['node', '--import', 'tsx', 'infra/bundle-cli.ts', spec.name, '/asset-output'],
      local: {
        tryBundle(outputDir: string): boolean {
          const run = spawnSync(process.execPath, ['--import', 'tsx', CLI, spec.name, outputDir], { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
          if (run.status !== 0) throw new Error(`bundling ${spec.name} failed (${run.error?.message ?? `exit ${run.status}`})`);
          return true;
        },
      },
    },
  });
}
