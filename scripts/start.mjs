// `npm start`: builds Portscope and opens Chromium with the extension loaded on the demo site,
// DevTools open (choose the Portscope panel), the tab watched before the demo loads. Where there is no display (CI,
// SSH), it records a
// demo trace headlessly instead and prints its summary.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });

const root = resolve('tests/fixtures/demo');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const file = join(root, path === '/' ? 'index.html' : path);
  if (!file.startsWith(root)) return res.writeHead(403).end();
  try {
    const body = await readFile(file);
    res
      .writeHead(200, { 'content-type': types[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' })
      .end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
});
await new Promise((ok) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', ok));
const url = `http://127.0.0.1:${server.address().port}/`;
console.log(`demo site: ${url}`);

const headless = !process.env.DISPLAY || process.env.CI === 'true';
if (headless) {
  const out = resolve('demo-trace.json');
  console.log('no display: recording a demo trace headlessly');
  // Asynchronous children: this process serves the demo site while the recorder loads it.
  const cli = (args) =>
    new Promise((ok, fail) =>
      spawn(process.execPath, ['cli/bin.mjs', ...args], { stdio: 'inherit' }).on('exit', (code) =>
        code === 0 ? ok() : fail(new Error(`portscope ${args[0]} exited with ${code}`)),
      ),
    );
  try {
    await cli(['record', url, '--out', out, '--duration', '3000']);
    await cli(['summary', out]);
    console.log(`trace written to ${out}; open it with: npx portscope view ${out}`);
  } catch (err) {
    console.error(err.message);
    process.exitCode = 1;
  } finally {
    server.close();
  }
} else {
  // PORTSCOPE_START_CHECK=1: the same launch, headless, reporting how the demo was recorded (to verify this script
  // without a display).
  const check = process.env.PORTSCOPE_START_CHECK === '1';
  try {
    await openWatched(url, check);
  } catch (err) {
    console.error(err.message);
    process.exitCode = 1;
    server.close();
  }
}

/**
 * Chromium with DevTools open for every tab. The demo must be recorded from its first message,
 * and a tab is recorded only while watched (its DevTools window's devtools page has told the
 * background): so the tab starts on about:blank, and goes to the demo once the background
 * reports it watched.
 */
async function openWatched(demo, check) {
  const { default: puppeteer } = await import('puppeteer-core');
  // The test build: its background's debug hook says when DevTools watches the tab.
  const dist = resolve(process.env.PORTSCOPE_DIST ?? 'dist', 'test/chrome');
  const browser = await puppeteer.launch({
    executablePath: process.env.PORTSCOPE_CHROMIUM ?? '/usr/bin/chromium',
    headless: check,
    pipe: true,
    devtools: true,
    defaultViewport: null,
    enableExtensions: [dist],
    userDataDir: mkdtempSync(join(tmpdir(), 'portscope-demo-')),
    ignoreDefaultArgs: ['--enable-automation'],
    args: ['--no-first-run', ...(check ? ['--no-sandbox'] : [])],
  });
  browser.on('disconnected', () => server.close());
  const sw = await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'),
    { timeout: 15_000 },
  );
  const background = await sw.worker();
  const page = (await browser.pages()).find((p) => !p.url().startsWith('devtools://')) ?? (await browser.newPage());
  const deadline = Date.now() + 20_000;
  while (
    !(await background.evaluate(() =>
      globalThis.portscopeDebug.tabs().some((t) => t.inspectors > 0 && t.recordMessages),
    ))
  ) {
    if (Date.now() > deadline)
      throw new Error('DevTools did not open on the demo tab within 20 s (is --auto-open-devtools-for-tabs honoured?)');
    await new Promise((ok) => setTimeout(ok, 100));
  }
  await page.goto(demo);
  if (!check) {
    console.log(
      'Chromium is open with Portscope loaded; choose the "Portscope" tab in DevTools. Close the browser to stop.',
    );
    return;
  }
  await new Promise((ok) => setTimeout(ok, 3_000));
  const kinds = await background.evaluate(() => {
    const out = {};
    for (const f of globalThis.portscopeDebug.facts()) out[f.kind] = (out[f.kind] ?? 0) + 1;
    return out;
  });
  console.log(`check: facts by kind ${JSON.stringify(kinds)}`);
  await browser.close();
  if (!kinds['port-posted'] || kinds['messages-counted']) {
    console.error('check: the demo was not recorded in full from its first message');
    process.exitCode = 1;
  }
}
