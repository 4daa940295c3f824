// `npm start`: builds Portscope and opens Chromium with the extension loaded on the demo site,
// DevTools open (choose the Portscope panel). Where there is no display (CI, SSH), it records a
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
    res.writeHead(200, { 'content-type': types[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' }).end(body);
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
  const cli = (args) => new Promise((ok, fail) => spawn(process.execPath, ['cli/bin.mjs', ...args], { stdio: 'inherit' })
    .on('exit', (code) => (code === 0 ? ok() : fail(new Error(`portscope ${args[0]} exited with ${code}`)))));
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
  const chromium = process.env.PORTSCOPE_CHROMIUM ?? '/usr/bin/chromium';
  const dist = resolve('dist/chrome');
  const profile = mkdtempSync(join(tmpdir(), 'portscope-demo-'));
  const browser = spawn(chromium, [
    `--user-data-dir=${profile}`, '--no-first-run', `--disable-extensions-except=${dist}`, `--load-extension=${dist}`,
    '--auto-open-devtools-for-tabs', url,
  ], { stdio: 'inherit' });
  console.log('Chromium is open with Portscope loaded; choose the "Portscope" tab in DevTools. Close the browser to stop.');
  browser.on('exit', () => server.close());
}
