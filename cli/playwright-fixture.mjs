// `portscope/playwright`: Portscope for Playwright Test (cli/playwright-test.ts, built by
// `npm run build` into dist/cli/, shipped built in the package): `test` with an automatic
// `portscope` fixture, `expect` with Portscope's matchers, and `createPortscope`.
// Static re-exports, no top-level await: Playwright loads the specs of a CommonJS project with
// require(), which refuses a module graph that awaits at its top level.
export { test, expect, createPortscope } from '../dist/cli/playwright-test.mjs';
