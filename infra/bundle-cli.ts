// Bundles one function into a folder: `tsx infra/bundle-cli.ts <function> <outdir>`. CDK's local
// bundling runs this in a child process (its hook is synchronous; esbuild's plugins need the async API).
import { bundleFunction, FUNCTIONS } from './bundling.ts';

const [name, outdir] = process.argv.slice(2);
const spec = FUNCTIONS.find((f) => f.name === name);
if (!spec || !outdir) {
  console.error(`usage: tsx infra/bundle-cli.ts <${FUNCTIONS.map((f) => f.name).join('|')}> <outdir>`);
  process.exit(2);
}
await bundleFunction(spec, outdir);
