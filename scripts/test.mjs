// `npm test`: type-checks, checks format and lint, builds, then runs the Node tests and the real-browser
// tests, and closes with one plain line `tests: N passed, N failed, N skipped` that CI reads. Exit code is
// non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';

mkdirSync('.tmp', { recursive: true });
const run = (args) => spawnSync(process.execPath, args, { stdio: 'inherit', env: process.env }).status ?? 1;

// The type-check comes first: vitest and Vite strip types without checking them, so a type error
// would otherwise pass every test.
if (run(['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']) !== 0) {
  console.error('typecheck failed');
  process.exit(1);
}
// Format and lint (biome.jsonc) before any test: a finding names its file and line, and `npm run format` fixes
// the layout.
if (run(['node_modules/@biomejs/biome/bin/biome', 'ci', '--colors=off', '--error-on-warnings', '.']) !== 0) {
  console.error('format or lint check failed (npx biome ci .; npm run format fixes the layout)');
  process.exit(1);
}
if (!process.env.PORTSCOPE_SKIP_BUILD && run(['scripts/build.mjs']) !== 0) process.exit(1);

const totals = { passed: 0, failed: 0, skipped: 0 };
let status = 0;
for (const [name, config] of [
  ['node', 'vitest.node.config.ts'],
  ['browser', 'vitest.browser.config.ts'],
]) {
  const out = `.tmp/vitest-${name}.json`;
  const code = run([
    'node_modules/vitest/vitest.mjs',
    'run',
    '--config',
    config,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ]);
  if (code !== 0) status = 1;
  try {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + r.numTodoTests;
    if (r.numTotalTests === 0) {
      console.error(`${name}: no tests ran`);
      status = 1;
    }
  } catch {
    console.error(`${name}: no test report (${out})`);
    status = 1;
  }
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(status || (totals.failed ? 1 : 0));
