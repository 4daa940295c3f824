/**
 * Portscope as a user installs it: `npm pack` of this checkout, installed into a fresh project
 * outside the repository (no access to its sources or node_modules), then the installed
 * `portscope` command and a Playwright Test project (tests/fixtures/ci-sample) run there against
 * real Chromium. Needs the npm registry (the tarball's peers and @playwright/test are installed
 * from it, from npm's cache when present) and a build (`npm test` builds first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, type ExecFileOptions } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { browserPath } from '../../cli/browsers.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';

const REPO = resolve('.');
const PLAYWRIGHT_TEST_VERSION = JSON.parse(readFileSync('node_modules/@playwright/test/package.json', 'utf8'))
  .version as string;
const VERSION = JSON.parse(readFileSync('manifest.json', 'utf8')).version as string;
const dir = mkdtempSync(join(tmpdir(), 'portscope-pack-'));
const project = join(dir, 'project');
let server: FixtureServer;

// The user's environment: nothing that points back into this checkout.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  CI: 'true',
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  CHROMIUM: browserPath('chromium'),
};
for (const key of [
  'PORTSCOPE_DIST',
  'NODE_PATH',
  'VITEST',
  'VITEST_MODE',
  'VITEST_POOL_ID',
  'VITEST_WORKER_ID',
  'TEST',
  'NODE_ENV',
])
  delete env[key];

function run(
  command: string,
  args: string[],
  options: ExecFileOptions = {},
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((ok) => {
    execFile(
      command,
      args,
      { cwd: project, env, timeout: 150_000, maxBuffer: 64 * 1024 * 1024, ...options },
      (error, out, err) => {
        ok({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: String(out), err: String(err) });
      },
    );
  });
}

const portscope = (...args: string[]) => run('npx', ['--no-install', 'portscope', ...args]);

let packed: { filename: string; files: { path: string }[] };

beforeAll(async () => {
  if (process.env.PORTSCOPE_DIST && resolve(process.env.PORTSCOPE_DIST) !== resolve('dist')) {
    throw new Error('pack.test.ts packs ./dist: run it without PORTSCOPE_DIST');
  }
  // The build is `npm test`'s first step; prepack would build it again.
  const pack = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: REPO });
  expect(pack.err).not.toMatch(/npm error/);
  packed = JSON.parse(pack.out)[0];
  mkdirSync(project);
  cpSync('tests/fixtures/ci-sample', project, { recursive: true });
  // No "type": a CommonJS project, as `npm init playwright` makes: Playwright require()s its specs.
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'sample', private: true }));
  const install = await run('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--loglevel=error',
    join(dir, packed.filename),
    `@playwright/test@${PLAYWRIGHT_TEST_VERSION}`,
  ]);
  if (install.code !== 0) throw new Error(`npm install of the tarball failed:\n${install.err}`);
  server = await serveFixtures(join(project, 'site'));
  env.PAGES = server.origin;
}, 240_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('ships the built artefacts and the entry points, no sources', () => {
    const files = packed.files.map((f) => f.path);
    for (const f of [
      'package.json',
      'cli/bin.mjs',
      'cli/playwright-fixture.mjs',
      'cli/portscope.mjs',
      'cli/playwright-fixture.d.mts',
      'cli/portscope.d.mts',
      'dist/cli/main.mjs',
      'dist/cli/playwright-test.mjs',
      'dist/portscope-injected.js',
      'dist/chrome/manifest.json',
      'dist/chrome/panel/index.html',
      'dist/firefox/manifest.json',
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.endsWith('.ts') || f.startsWith('tests/') || f.startsWith('node_modules/'))).toEqual(
      [],
    );
    expect(existsSync(join(project, 'node_modules/portscope/dist/cli/main.mjs'))).toBe(true);
  });
});

describe('the installed portscope command', () => {
  it('prints its version', async () => {
    const r = await portscope('--version');
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe(VERSION);
  });

  it('summary --fail-on any fails a build on a never-started port and passes a clean page', async () => {
    const recorded = await portscope(
      'record',
      `${server.origin}/never-started.html`,
      '--out',
      'bad.json',
      '--duration',
      '300',
    );
    expect(recorded.err).toBe('');
    expect(recorded.out).toMatch(/1 diagnostic → bad\.json$/m);
    const bad = await portscope('summary', 'bad.json', '--fail-on', 'any');
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('portscope: failing: --fail-on any: 1 diagnostic (port-never-started)\n');
    expect(bad.out).toContain('messages: 1 posted = 0 delivered + 1 queued + 0 dropped + 0 to a receiver not observed');

    expect(
      (await portscope('record', `${server.origin}/clean.html`, '--out', 'good.json', '--duration', '300')).code,
    ).toBe(0);
    const good = await portscope('summary', 'good.json', '--fail-on', 'any');
    expect(good.err).toBe('');
    expect(good.code).toBe(0);
    expect(good.out).toContain(
      'messages: 2 posted = 2 delivered + 0 queued + 0 dropped + 0 to a receiver not observed',
    );
    expect(good.out).toContain(`${server.origin}/clean.html`);

    const converted = await portscope('convert', 'good.json', '--perfetto', 'good.perfetto.json');
    expect(converted.code).toBe(0);
    expect(JSON.parse(readFileSync(join(project, 'good.perfetto.json'), 'utf8')).traceEvents.length).toBeGreaterThan(0);
  });
});

describe('the installed portscope command without an optional peer', () => {
  it('says which package --browser firefox needs', async () => {
    const r = await portscope('record', `${server.origin}/clean.html`, '--out', 'ff.json', '--browser', 'firefox');
    expect(r.err).toBe(
      'portscope: record --browser firefox needs puppeteer-core in your project: npm install -D puppeteer-core\n',
    );
    expect(r.code).toBe(2);
  });
});

describe('createPortscope for other runners', () => {
  it('is exported by `portscope` to ES modules and to require()', async () => {
    const esm = await run(process.execPath, [
      '--input-type=module',
      '-e',
      "const { createPortscope } = await import('portscope'); console.log(typeof createPortscope);",
    ]);
    expect(esm.err).toBe('');
    expect(esm.out.trim()).toBe('function');
    const cjs = await run(process.execPath, [
      '-e',
      "console.log(typeof require('portscope').createPortscope, typeof require('portscope/playwright').expect.extend);",
    ]);
    expect(cjs.err).not.toMatch(/Error/); // some Node versions warn that require() loads an ES module
    expect(cjs.out.trim()).toBe('function function');
  });
});

describe('Playwright Test with portscope/playwright', () => {
  it('gives TypeScript users the types of test, expect and the matchers', async () => {
    // This checkout's compiler on the sample's own code: the types come from the installed package.
    const tsc = await run(process.execPath, [
      join(REPO, 'node_modules/typescript/bin/tsc'),
      '-p',
      'typed/tsconfig.json',
    ]);
    expect(tsc.out + tsc.err).toBe('');
    expect(tsc.code).toBe(0);
    writeFileSync(
      join(project, 'typed/wrong.ts'),
      "import { expect } from 'portscope/playwright';\nexport const wrong = () => expect(1).toHaveDelivered({ count: 'two' });\n",
    );
    const wrong = await run(process.execPath, [
      join(REPO, 'node_modules/typescript/bin/tsc'),
      '-p',
      'typed/tsconfig.json',
    ]);
    expect(wrong.out).toMatch(/wrong\.ts.*'count'|wrong\.ts.*string.*number/s);
    rmSync(join(project, 'typed/wrong.ts'));
  });

  it('passes the clean test, fails the never-started one with the matcher message and the trace attached', async () => {
    const r = await run('npx', ['--no-install', 'playwright', 'test', '--reporter=json']);
    expect(r.code).toBe(1); // one test fails on purpose
    const report = JSON.parse(r.out);
    const tests = new Map<string, any>();
    for (const file of report.suites) for (const spec of file.specs) tests.set(spec.title, spec.tests[0].results[0]);
    const passed = tests.get('the ping-pong page delivers everything');
    expect(passed?.status).toBe('passed');
    expect(passed.attachments).toEqual([]); // attached on failure only (the default)
    const failed = tests.get('the never-started page has no diagnostics');
    expect(failed.status).toBe('failed');
    const message: string = failed.errors.map((e: { message: string }) => e.message).join('\n');
    expect(message).toContain('expected no Portscope diagnostics, found 1 diagnostic:');
    expect(message).toContain('port-never-started: port p2 in window /never-started.html has 1 message waiting');
    expect(message).toContain(`port p2 (channel c1) in window ${server.origin}/never-started.html, never started`);
    expect(message).toMatch(
      new RegExp(
        `channel created: ${server.origin.replace(/[.]/g, '\\.')}/never-started\\.html:\\d+:\\d+ \\(call site\\)$`,
        'm',
      ),
    );
    // The reporter's location is the test's own line, not the page's (no message line reads as a frame).
    expect(failed.errors[0].location?.file).toMatch(/messaging\.spec\.js$/);
    const attachment = failed.attachments.find((a: { name: string }) => a.name === 'portscope-trace.json');
    expect(attachment?.contentType).toBe('application/json');
    expect(failed.attachments.map((a: { name: string }) => a.name)).toContain('portscope-summary.txt');
    // The attached trace is a file in the test's output folder, a Portscope trace the CLI reads.
    expect(attachment.path).toMatch(/[/\\]test-results[/\\]/);
    const summary = await portscope('summary', attachment.path, '--fail-on', 'port-never-started');
    expect(summary.err).toMatch(/^portscope: failing: /);
    expect(summary.code).toBe(1);
  });
});
