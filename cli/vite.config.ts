import { defineConfig } from 'vite';
import { resolve } from 'node:path';
import baseManifest from '../manifest.json' with { type: 'json' };

/**
 * The CLI and the Playwright fixture for Node (`vite build --config cli/vite.config.ts`):
 * <dist>/cli/main.mjs, <dist>/cli/fixture.mjs and <dist>/cli/playwright-test.mjs, loaded by
 * cli/bin.mjs, cli/portscope.mjs and cli/playwright-fixture.mjs. Packages stay external
 * (playwright-core, puppeteer-core, and the user's own @playwright/test).
 */
const dist = process.env.PORTSCOPE_DIST ?? 'dist';
const root = resolve(import.meta.dirname, '..');

export default defineConfig({
  root,
  define: { __PORTSCOPE_VERSION__: JSON.stringify(baseManifest.version), __PORTSCOPE_NONCE__: JSON.stringify('cli') },
  publicDir: false,
  build: {
    ssr: true,
    target: 'node20',
    outDir: resolve(root, dist, 'cli'),
    emptyOutDir: true,
    minify: false,
    rollupOptions: {
      input: {
        main: resolve(root, 'cli/main.ts'),
        fixture: resolve(root, 'cli/fixture.ts'),
        'playwright-test': resolve(root, 'cli/playwright-test.ts'),
      },
      output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
    },
  },
});
