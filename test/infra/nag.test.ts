// cdk-nag's AWS Solutions checks run as a synth-time validation: the hub's stack synthesizes with no
// unacknowledged finding, every acknowledgement carries its reason, and the checks really run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHubApp } from './synth-helpers.ts';

interface Acknowledged {
  path: string;
  id: string;
  reason: string;
}

let acknowledged: Acknowledged[] = [];
const outdirs: string[] = [];

beforeAll(() => {
  const { app } = buildHubApp({ nagAudit: true });
  // Throws "Validation failed" with the report when any finding is unacknowledged.
  const assembly = app.synth();
  outdirs.push(assembly.directory);
  const template = assembly.stacks[0]!.template as { Resources: Record<string, { Metadata?: Record<string, unknown> }> };
  acknowledged = Object.entries(template.Resources).flatMap(([logicalId, r]) => {
    const nag = r.Metadata?.cdk_nag as { rules_to_suppress?: { id: string; reason: string }[] } | undefined;
    return (nag?.rules_to_suppress ?? []).map((rule) => ({ path: logicalId, ...rule }));
  });
});

afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe('cdk-nag AwsSolutionsChecks', () => {
  it('passes with only these acknowledged rules', () => {
    const rules = [...new Set(acknowledged.map((a) => a.id.replace(/\[.*$/, '')))].sort();
    // A new acknowledgement is a decision: it has to be added here, where a reviewer sees it.
    expect(rules).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR2',
      'AwsSolutions-CFR4',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-S1',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
    ]);
  });

  it('acknowledges wildcard permissions only for X-Ray and for invoking one function\'s versions', () => {
    const wildcards = acknowledged.filter((a) => a.id.startsWith('AwsSolutions-IAM5'));
    expect(wildcards.length).toBeGreaterThan(0);
    for (const w of wildcards) expect(w.id).toMatch(/^AwsSolutions-IAM5\[Resource::(\*|<\w+\.Arn>:\*)\]$/);
    expect(wildcards.some((w) => w.id.includes('Action::'))).toBe(false);
  });

  it('gives every acknowledgement a reason a reviewer can check', () => {
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const a of acknowledged) expect(a.reason.length, `${a.id} on ${a.path}`).toBeGreaterThanOrEqual(60);
  });

  it('fails the synth on a finding nobody acknowledged', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'icat-hub-nag-'));
    outdirs.push(outdir);
    const { app, stack } = buildHubApp({ outdir });
    new Queue(stack, 'UnreviewedQueue', { enforceSSL: false });
    let message = '';
    try {
      app.synth();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('AwsSolutions-SQS3');
    expect(message).toContain('UnreviewedQueue');
  });
});
