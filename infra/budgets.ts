// The bundle budget of each Lambda function: minified bundle size, and the time a fresh Node process
// takes to import it, best of several runs (scripts/bundle-report.ts measures both; `npm run synth`
// fails above them).
export interface Budget {
  maxBytes: number;
  maxImportMs: number;
}

export const BUDGET: Budget = { maxBytes: 300 * 1024, maxImportMs: 150 };

const KB = 1024;
// Measured with `npm run bundles` (see README "Running on AWS"): about 400 KB of every bundle is the
// AWS SDK (@smithy/core alone 134 KB) and 120 KB the X-Ray SDK under Powertools Tracer. Leaving the
// SDK to the runtime makes the bundles 400 KB smaller but the cold import about twice as slow (the
// runtime's copy is hundreds of files), which is the figure a reader of the feeds waits on. So the SDK
// is bundled, the time budget holds, and the size budget is raised by what the SDK and the tracer add.
const SDK_AND_TRACER = 520 * KB;

/** Functions allowed more than the default, each with the reason. */
export const EXCEPTIONS: Record<string, Budget & { reason: string }> = {
  'poll-scheduler': { maxBytes: 100 * KB + SDK_AND_TRACER, maxImportMs: BUDGET.maxImportMs, reason: 'AWS SDK (DynamoDB, SNS, SQS) and X-Ray bundled' },
  'poll-worker': { maxBytes: 480 * KB + SDK_AND_TRACER, maxImportMs: BUDGET.maxImportMs, reason: 'AWS SDK and X-Ray bundled; the feed pipeline (feedsmith, iconv-lite single-byte tables, entities, htmlparser2) is about 350 KB' },
  api: {
    maxBytes: 930 * KB + SDK_AND_TRACER,
    maxImportMs: BUDGET.maxImportMs,
    reason: 'AWS SDK and X-Ray bundled; the feed pipeline (registration parses the feed), the feed generators, the alert routes with SES v2 and nodemailer (240 KB, for SMTP, which Lambda does not use)',
  },
  'alerts-worker': { maxBytes: 480 * KB + SDK_AND_TRACER, maxImportMs: BUDGET.maxImportMs, reason: 'AWS SDK (with SES v2) and X-Ray bundled; nodemailer (240 KB, for SMTP, which Lambda does not use)' },
  'alerts-digest': { maxBytes: 480 * KB + SDK_AND_TRACER, maxImportMs: BUDGET.maxImportMs, reason: 'AWS SDK (with SES v2) and X-Ray bundled; nodemailer (240 KB, for SMTP, which Lambda does not use)' },
};

export function budgetFor(name: string): Budget {
  return EXCEPTIONS[name] ?? BUDGET;
}
