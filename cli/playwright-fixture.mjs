// `portscope/playwright`: Portscope for Playwright Test (cli/playwright-test.ts): `test` with an
// automatic `portscope` fixture, `expect` with Portscope's matchers, and `createPortscope`.
// Loaded from the build (`npm run build` writes <dist>/cli/playwright-test.mjs; the published
// package ships it; PORTSCOPE_DIST names another build folder).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = resolve(process.env.PORTSCOPE_DIST ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist'));
const entry = join(dist, 'cli', 'playwright-test.mjs');
if (!existsSync(entry)) throw new Error(`portscope/playwright is not built (${entry} is missing): run \`npm run build\` first`);
process.env.PORTSCOPE_DIST ??= dist;

let loaded;
try {
  loaded = await import(pathToFileURL(entry).href);
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('@playwright/test')) {
    throw new Error("portscope/playwright needs @playwright/test in your project (npm install -D @playwright/test); with another test runner, use: import { createPortscope } from 'portscope'");
  }
  throw err;
}
export const { test, expect, createPortscope } = loaded;
