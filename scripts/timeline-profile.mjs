// CPU profile (CDP Profiler) and frame times of the panel's Timeline while panning at 100,000
// messages, in the standalone viewer (`portscope view`, the same panel app) in headless Chromium.
//   npm run build && node scripts/timeline-profile.mjs [messages]
// Prints frame intervals during the pan (requestAnimationFrame) and the self time per function.
import { runnerImport } from 'vite';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer from 'puppeteer-core';

const root = resolve(import.meta.dirname, '..');
const load = async (path) => (await runnerImport(resolve(root, path), { configFile: false, logLevel: 'warn' })).module;
const { allSyntheticFacts } = await load('tests/node/panel/syntheticFacts.ts');
const { createTrace, serializeTrace } = await load('protocol/trace.ts');
const { chromiumPath, CHROMIUM_ARGS, DIST } = await load('tests/support/browsers.ts');
const messages = Number(process.argv[2] ?? 100_000);
// The element drawn on; PORTSCOPE_TIMELINE_PLOT=svg.timeline profiles the SVG timeline before the canvas one.
const PLOT = process.env.PORTSCOPE_TIMELINE_PLOT ?? 'canvas.tl-plot';
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const shortUrl = (u) => u.replace(/^https?:\/\/[^/]+\//, '/');

const dir = mkdtempSync(join(tmpdir(), 'portscope-timeline-profile-'));
const file = join(dir, `synthetic-${messages}.json`);
const facts = allSyntheticFacts({ messages, stuck: 3 });
writeFileSync(
  file,
  serializeTrace(
    createTrace({
      meta: {
        browser: 'synthetic',
        url: 'http://127.0.0.1:8080/index.html',
        startedAt: new Date(0).toISOString(),
        portscopeVersion: '0.0.0',
        dropped: {},
        evicted: { messages: 0, facts: 0 },
      },
      facts,
    }),
  ),
);

const viewer = spawn(process.execPath, [resolve(root, 'cli/bin.mjs'), 'view', file], {
  env: { ...process.env, PORTSCOPE_DIST: DIST },
});
const url = await new Promise((ok, fail) => {
  let out = '';
  viewer.stdout.on('data', (d) => {
    out += d;
    const m = /serving the Portscope viewer at (\S+)/.exec(out);
    if (m) ok(m[1]);
  });
  viewer.once('exit', (code) => fail(new Error(`portscope view exited with ${code}`)));
});
const browser = await puppeteer.launch({
  executablePath: chromiumPath(),
  headless: true,
  pipe: true,
  args: CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 760 });
  await page.goto(url);
  await page.waitForFunction(
    (n) =>
      document.querySelector('[data-testid=counts]')?.textContent?.includes(`${n.toLocaleString('en-US')} messages`),
    { timeout: 120_000 },
    messages + 3,
  );
  await page.click('#tab-timeline');
  await page.waitForSelector(PLOT);
  const box = await page.$eval(PLOT, (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left, y: r.top, width: r.width, height: r.height };
  });
  await page.$eval(PLOT, (el) => el.focus());
  // Zoom to about a fifth of the recording, so there is room to pan.
  for (let i = 0; i < 7; i++) await page.keyboard.press('+');
  await sleep(500);
  const before = await page.$eval(PLOT, (el) => ({ ...el.dataset }));

  const cdp = await page.createCDPSession();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await page.evaluate(() => {
    const w = window;
    w.__frames = [];
    let last = performance.now();
    const tick = (t) => {
      w.__frames.push(t - last);
      last = t;
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await cdp.send('Profiler.start');
  // Drag to pan: 4 sweeps of 600 px each way, in 60 steps each.
  await page.mouse.move(box.x + box.width * 0.75, box.y + 40);
  for (let sweep = 0; sweep < 4; sweep++) {
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.75 + (sweep % 2 ? 600 : -600), box.y + 40, { steps: 60 });
    await page.mouse.up();
  }
  // And wheel pans (horizontal).
  for (let i = 0; i < 60; i++) await page.mouse.wheel({ deltaX: i < 30 ? 40 : -40 });
  const { profile } = await cdp.send('Profiler.stop');
  const frames = await page.evaluate(() => {
    window.__stop = true;
    return window.__frames.slice(1);
  });
  const after = await page.$eval(PLOT, (el) => ({ ...el.dataset }));

  const sorted = [...frames].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  console.log(
    `messages ${messages}; in range while panning: ${before.inRange} → ${after.inRange}, ` +
      `drawn one by one ${after.drawn}, aggregated ${after.aggregated}`,
  );
  console.log(
    `frames ${frames.length}: median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, ` +
      `max ${sorted.at(-1).toFixed(1)} ms, over 50 ms: ${frames.filter((f) => f > 50).length}`,
  );

  const hits = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    hits.set(id, (hits.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFn = new Map();
  for (const node of profile.nodes) {
    const us = hits.get(node.id) ?? 0;
    if (!us) continue;
    const { functionName, url: u, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${u ? `${shortUrl(u)}:${lineNumber + 1}` : ''}`.trim();
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  // The longest stretch of samples not idle: the longest the page could not answer input.
  const idleIds = new Set(profile.nodes.filter((nd) => nd.callFrame.functionName === '(idle)').map((nd) => nd.id));
  let run = 0;
  let longest = 0;
  let runStart = 0;
  let longestAt = [0, 0];
  profile.samples.forEach((id, i) => {
    if (idleIds.has(id)) {
      run = 0;
      runStart = i + 1;
    } else run += profile.timeDeltas[i] ?? 0;
    if (run > longest) {
      longest = run;
      longestAt = [runStart, i];
    }
  });
  const nodeById = new Map(profile.nodes.map((nd) => [nd.id, nd]));
  const inLongest = new Map();
  for (let i = longestAt[0]; i <= longestAt[1]; i++) {
    const fn = nodeById.get(profile.samples[i]).callFrame.functionName || '(anonymous)';
    inLongest.set(fn, (inLongest.get(fn) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  console.log(
    `in the longest busy stretch: ${[...inLongest.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([f, us]) => `${f} ${(us / 1000).toFixed(0)} ms`)
      .join(', ')}`,
  );
  console.log(
    `longest busy stretch: ${(longest / 1000).toFixed(1)} ms; frames over 50 ms at: ${frames
      .map((f, i) => (f > 50 ? `#${i} ${f.toFixed(0)} ms` : ''))
      .filter(Boolean)
      .join(', ')}`,
  );
  const total = [...byFn.values()].reduce((a, b) => a + b, 0);
  const idle = byFn.get('(idle)') ?? 0;
  console.log(
    `profile: ${(total / 1000).toFixed(0)} ms sampled, ${(idle / 1000).toFixed(0)} ms idle, ` +
      `busy ${((total - idle) / 1000).toFixed(0)} ms`,
  );
  for (const [fn, us] of [...byFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`  ${(us / 1000).toFixed(1).padStart(8)} ms  ${fn}`);
} finally {
  await browser.close();
  viewer.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
