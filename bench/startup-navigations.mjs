// The MAIN-world script's cost on real navigations (issue 16): what a user's page pays, with
// whatever caching Chromium does for content scripts, rather than the bench's cold inline loads
// (bench/server.mjs eval.html defeats every cache on purpose). One browser per extension build,
// navigations alternating between them; Chromium's own trace (CDP Tracing) times the content
// script: `EvaluateScript` (compile + run), `v8.compile` (top-level compile) and `v8.run`, and
// `EvaluateScript`'s thread CPU time (`tdur`), which a loaded machine inflates far less than the wall
// time, beside the relay's (the isolated-world content script that runs just before, content/).
//
//   node bench/startup-navigations.mjs <a/chrome> <b/chrome> [rounds=15]
//
// Two kinds of navigation, each in a tab of its own: *same site* (the tab stays on one site, its
// renderer process lives on, so V8's in-memory compilation cache, keyed by the script's source,
// can answer) and *new site* (each navigation goes to another site than the last, so it gets a
// fresh renderer process: nothing cached in memory).
import { chromium } from '@playwright/test';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [a, b, roundsArg = '15'] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (!a || !b || !(rounds > 0)) {
  console.error('usage: node bench/startup-navigations.mjs <a/chrome> <b/chrome> [rounds]');
  process.exit(2);
}
const server = createServer((_req, res) =>
  res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>n</title><script>window.n=1</script>'),
);
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const port = server.address().port;
// Distinct sites on loopback: each a registrable name of its own, all resolved to 127.0.0.1.
const SITES = ['127.0.0.1', 'localhost', 'a.test', 'b.test'];
const hostRules = `MAP *.test 127.0.0.1`;

async function launch(dir) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'ps-startup-'));
  const ext = resolve(dir);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.PORTSCOPE_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      `--host-resolver-rules=${hostRules}`,
      `--disable-extensions-except=${ext}`,
      `--load-extension=${ext}`,
    ],
  });
  // One tab stays on one site (its renderer lives on), the other goes to a new site each time.
  const same = await context.newPage();
  const fresh = await context.newPage();
  return { context, same, fresh, sessions: new Map(), userDataDir };
}

/** Navigates and returns the content script's trace phases (ms), or null when it did not show. */
async function traced(browser, page, url) {
  // One session per tab, kept: a new DevTools session per navigation measured no cache hit.
  if (!browser.sessions.has(page)) browser.sessions.set(page, await browser.context.newCDPSession(page));
  const cdp = browser.sessions.get(page);
  const events = [];
  const collect = (e) => events.push(...e.value);
  cdp.on('Tracing.dataCollected', collect);
  const complete = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'v8'] },
    transferMode: 'ReportEvents',
  });
  await page.goto(url);
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', collect);
  const of = (file) => (e) => e.ph === 'X' && JSON.stringify(e.args ?? {}).includes(file);
  const ours = of('/injected/main.iife.js');
  const dur = (name, field = 'dur', which = ours) => {
    const e = events.find((x) => x.name === name && which(x));
    return e && typeof e[field] === 'number' ? e[field] / 1000 : null;
  };
  const evaluate = dur('EvaluateScript');
  // `tdur`: the renderer main thread's CPU time in the script, which waiting for a busy core does not inflate.
  return evaluate === null
    ? null
    : {
        evaluate,
        compile: dur('v8.compile'),
        run: dur('v8.run'),
        cpu: dur('EvaluateScript', 'tdur'),
        // The relay's own document_start evaluation (isolated world), which runs before ours.
        relayCpu: dur('EvaluateScript', 'tdur', of('/content/relay.iife.js')),
      };
}

const browsers = { a: await launch(a), b: await launch(b) };
const out = { a: { same: [], fresh: [] }, b: { same: [], fresh: [] } };
for (let i = 0; i < rounds; i++) {
  for (const v of i % 2 ? ['a', 'b'] : ['b', 'a']) {
    const br = browsers[v];
    if (i === 0) await br.same.goto(`http://127.0.0.1:${port}/warm`);
    const same = await traced(br, br.same, `http://127.0.0.1:${port}/same${i}`);
    const site = SITES[i % SITES.length];
    const fresh = await traced(br, br.fresh, `http://${site}:${port}/fresh${i}`);
    if (same) out[v].same.push(same);
    if (fresh) out[v].fresh.push(fresh);
  }
}
const q = (xs, p) => {
  const s = xs.filter((x) => x !== null).sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * p))] : NaN;
};
const cell = (xs) => `${q(xs, 0.5).toFixed(2)} (${q(xs, 0.25).toFixed(2)}–${q(xs, 0.75).toFixed(2)})`;
for (const v of ['a', 'b']) {
  for (const kind of ['same', 'fresh']) {
    const rows = out[v][kind];
    console.log(
      `${v === 'a' ? a : b} ${kind === 'same' ? 'same site' : 'new site '} n=${rows.length}:`,
      `evaluate ${cell(rows.map((r) => r.evaluate))} ms,`,
      `compile ${cell(rows.map((r) => r.compile))} ms,`,
      `run ${cell(rows.map((r) => r.run))} ms; evaluate's CPU time ${cell(rows.map((r) => r.cpu))} ms,`,
      `the relay's ${cell(rows.map((r) => r.relayCpu))} ms  (median, p25–p75)`,
    );
  }
}
for (const br of Object.values(browsers)) {
  await br.context.close();
  rmSync(br.userDataDir, { recursive: true, force: true });
}
server.close();
