// `npm run test:browser`: the pages in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core). Kept apart from `npm test`, which must run on a machine without a browser.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One browser and one hub at a time: the pages are measured on a small machine.
    fileParallelism: false,
    // The in-process topology: the secretariat's poll page shows a cycle's live progress and summary,
    // which the Lambda topology (the default, queued polls) does not have yet (docs/local-runtime.md).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', HUB_TOPOLOGY: 'in-process' },
  },
});
