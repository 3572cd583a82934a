// The bundle budget of every Lambda function, the same for all: the code a function loads at init
// (index.mjs and the chunks it imports; README "Bundles"), and the time a fresh Node process takes to
// import it, best of several runs. scripts/bundle-report.ts measures both and `npm run synth` fails
// above them. What a function loads only when first needed (feed parser, rarely used SDK clients,
// SMTP) is reported beside, not budgeted: the README lists what moves to a first request.
export interface Budget {
  maxBytes: number;
  maxImportMs: number;
}

export const BUDGET: Budget = { maxBytes: 300 * 1024, maxImportMs: 150 };
