// `portscope`: createPortscope(context) for any runner that drives Playwright (cli/fixture.ts,
// built by `npm run build` into dist/cli/, shipped built in the package), without Playwright
// Test. A static re-export, so require() can load it too.
export { createPortscope } from '../dist/cli/fixture.mjs';
