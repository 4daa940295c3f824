import { defineConfig } from 'vitest/config';

// Real-browser tests: Debian's Chromium (Playwright) and Firefox ESR (Puppeteer/BiDi) with the
// built extension. One browser per file; files run one at a time (2-core machines, ~400 MB a browser).
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    globalSetup: ['tests/support/global-setup.ts'],
  },
});
