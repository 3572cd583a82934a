// Builds the hub's CDK app in a test the way `cdk synth` does: cdk.json's context (feature flags
// included, which a plain `new App()` would not read) plus the test's overrides, into a temp outdir.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppProps } from 'aws-cdk-lib';
import { createHubApp } from '../../infra/hub-app.ts';
import { PROJECT_ROOT } from '../../infra/bundling.ts';

export function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
}

export function buildHubApp(options: { context?: Record<string, unknown>; bundle?: boolean; outdir?: string; props?: AppProps; nagAudit?: boolean } = {}) {
  const context: Record<string, unknown> = { ...cdkJsonContext(), ...options.context };
  // Without bundling, assets are placeholders: enough for every test that does not look at code.
  if (!options.bundle) context['aws:cdk:bundling-stacks'] = [];
  return createHubApp({ outdir: options.outdir ?? mkdtempSync(join(tmpdir(), 'icat-hub-cdk-')), context, ...options.props }, { nagAudit: options.nagAudit });
}
