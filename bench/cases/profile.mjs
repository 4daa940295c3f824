// Where the instrumented time goes: a CPU profile (CDP Profiler) of the recording page (and of
// the idle page, which counts) while it runs the throughput workloads, self time summed per function. Only functions of
// the
// extension's scripts are attributed to Portscope; the rest is the page and the browser.
const SAMPLING_US = 100;
const EVALUATION_LOADS = 5;

/** `isPortscope(url)` says which scripts are Portscope's (the extension's, by default). */
export function selfTimes(profile, isPortscope = (url) => url.startsWith('chrome-extension://')) {
  const byFunction = new Map();
  const dt = profile.timeDeltas;
  const total = profile.samples.length;
  const hits = new Map();
  for (let i = 0; i < total; i++) hits.set(profile.samples[i], (hits.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
  for (const node of profile.nodes) {
    const us = hits.get(node.id) ?? 0;
    if (!us) continue;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const where = url
      ? `${url
          .replace(/^chrome-extension:\/\/[a-z]+\//, 'ext:/')
          .replace(/^http:\/\/[^/]+\//, '/')
          .replace(/\?.*$/, '')}:${lineNumber + 1}:${columnNumber + 1}`
      : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    const entry = byFunction.get(key) ?? { us: 0, portscope: Boolean(url) && isPortscope(url) };
    entry.us += us;
    byFunction.set(key, entry);
  }
  const all = [...byFunction.entries()].sort((a, b) => b[1].us - a[1].us);
  const sumUs = all.reduce((a, [, e]) => a + e.us, 0);
  const ours = all.filter(([, e]) => e.portscope);
  const pct = (us) => Math.round((1000 * us) / sumUs) / 10;
  const row = ([fn, e]) => ({ fn, ms: e.us / 1000, percent: pct(e.us) });
  return {
    totalMs: sumUs / 1000,
    portscopeMs: ours.reduce((a, [, e]) => a + e.us, 0) / 1000,
    portscopePercent: pct(ours.reduce((a, [, e]) => a + e.us, 0)),
    top: all.slice(0, 15).map(row),
    topPortscope: ours.slice(0, 15).map(row),
  };
}

export default {
  id: 'profile',
  title: 'CPU profile of the recording and the idle page',
  async run(h) {
    const profiles = {};
    // The idle page counts instead of recording (nobody watches it): what is left there is the floor.
    for (const [key, mode, kind, n] of [
      ['tiny', 'recording', 'tiny', h.size(20_000)],
      ['1kb', 'recording', '1kb', h.size(2_000)],
      ['idle-tiny', 'idle', 'tiny', h.size(20_000)],
      ['idle-1kb', 'idle', '1kb', h.size(2_000)],
    ]) {
      const page = await h.pages.goto(mode, '/index.html');
      profiles[key] = await h.pages.withCdp(mode, async (cdp) => {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
        await cdp.send('Profiler.start');
        await page.evaluate(([k, c]) => globalThis.benchWorkloads.channelThroughput(k, c), [kind, n]);
        const { profile } = await cdp.send('Profiler.stop');
        await cdp.send('Profiler.disable');
        return selfTimes(profile);
      });
    }
    // The worker round trip: small objects both ways, one in flight.
    {
      const page = await h.pages.goto('recording', '/index.html');
      profiles.echo = await h.pages.withCdp('recording', async (cdp) => {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
        await cdp.send('Profiler.start');
        await page.evaluate(() => globalThis.benchWorkloads.workerEcho(500, 0));
        const { profile } = await cdp.send('Profiler.stop');
        await cdp.send('Profiler.disable');
        return selfTimes(profile);
      });
    }
    await h.pages.panel.reset();
    // The runtime's evaluation, profiled finely: the extension's MAIN-world script (minified in
    // the Chrome build; PORTSCOPE_MINIFY=0 keeps function names) inlined in a page of the native context. The
    // navigation
    // stays in the same renderer (same origin), so the session sees it.
    // Several cold loads in one profile: one-off engine work lands in different functions from
    // load to load, the sum shows where the time reliably goes.
    await h.pages.goto('native', '/blank.html');
    profiles.evaluation = await h.pages.withCdp('native', async (cdp) => {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 20 });
      await cdp.send('Profiler.start');
      for (let i = 0; i < EVALUATION_LOADS; i++)
        await h.pages.goto('native', `/eval.html?bundle=extension&profile=${i}`);
      const { profile } = await cdp.send('Profiler.stop');
      await cdp.send('Profiler.disable');
      return { ...selfTimes(profile, (url) => url.includes('/eval.html')), loads: EVALUATION_LOADS };
    });
    const evaluationTrace = await traceEvaluation(h);
    return { profiles, evaluationTrace };
  },
};

/** V8's own phases (trace events, in ms per load; nested phases overlap, so they do not add up). */
const V8_PHASES = {
  EvaluateScript: 'the inline script, from start to end (compile + run)',
  'V8.CompileScript': 'top-level compile',
  'V8.CompileCode': 'lazy compilation of functions on their first call',
  'V8.ParseFunction': 'lazy parsing of functions on their first call',
  'V8.CollectSourcePositions': 'source positions collected for a stack trace (reparses the functions on the stack)',
  'v8.run': 'running',
};

/**
 * The runtime's evaluation seen by Chromium's tracing: the CPU profiler files V8's compile work
 * under "(program)", the trace names it. Whole loads of eval.html in the native page.
 */
async function traceEvaluation(h) {
  await h.pages.goto('native', '/blank.html');
  return h.pages.withCdp('native', async (cdp) => {
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    const complete = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
    await cdp.send('Tracing.start', {
      traceConfig: { includedCategories: ['v8', 'v8.execute', 'disabled-by-default-v8.compile', 'devtools.timeline'] },
      transferMode: 'ReportEvents',
    });
    const evalMs = [];
    for (let i = 0; i < EVALUATION_LOADS; i++) {
      const page = await h.pages.goto('native', `/eval.html?bundle=extension&trace=${i}`);
      evalMs.push(await page.evaluate(() => globalThis.__evalMs));
    }
    await cdp.send('Tracing.end');
    await complete;
    const phases = {};
    for (const [name, meaning] of Object.entries(V8_PHASES)) {
      const matching = events.filter((e) => e.name === name && e.ph === 'X' && typeof e.dur === 'number');
      phases[name] = {
        meaning,
        msPerLoad: matching.reduce((a, e) => a + e.dur, 0) / 1000 / EVALUATION_LOADS,
        eventsPerLoad: matching.length / EVALUATION_LOADS,
      };
    }
    return { loads: EVALUATION_LOADS, evalMs, phases };
  });
}
