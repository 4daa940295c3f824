// Where the instrumented time goes: a CPU profile (CDP Profiler) of the recording page while it
// runs the throughput workloads, self time summed per function. Only functions of the
// extension's scripts are attributed to Portscope; the rest is the page and the browser.
const SAMPLING_US = 100;

function selfTimes(profile) {
  const byFunction = new Map();
  const dt = profile.timeDeltas;
  const total = profile.samples.length;
  const hits = new Map();
  for (let i = 0; i < total; i++) hits.set(profile.samples[i], (hits.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
  for (const node of profile.nodes) {
    const us = hits.get(node.id) ?? 0;
    if (!us) continue;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^chrome-extension:\/\/[a-z]+\//, 'ext:/')}:${lineNumber + 1}:${columnNumber + 1}` : ''}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const sumUs = [...byFunction.values()].reduce((a, b) => a + b, 0);
  const top = [...byFunction.entries()].sort((a, b) => b[1] - a[1]);
  const ext = top.filter(([k]) => k.includes('ext:/'));
  const pct = (us) => Math.round((1000 * us) / sumUs) / 10;
  return {
    totalMs: sumUs / 1000,
    extensionPercent: pct(ext.reduce((a, [, us]) => a + us, 0)),
    top: top.slice(0, 15).map(([fn, us]) => ({ fn, ms: us / 1000, percent: pct(us) })),
    topExtension: ext.slice(0, 15).map(([fn, us]) => ({ fn, ms: us / 1000, percent: pct(us) })),
  };
}

export default {
  id: 'profile',
  title: 'CPU profile of the recording page',
  async run(h) {
    const profiles = {};
    for (const [kind, n] of [['tiny', h.size(50_000)], ['1kb', h.size(10_000)]]) {
      const page = await h.pages.goto('recording', '/index.html');
      profiles[kind] = await h.pages.withCdp('recording', async (cdp) => {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
        await cdp.send('Profiler.start');
        await page.evaluate(([k, c]) => globalThis.benchWorkloads.channelThroughput(k, c), [kind, n]);
        const { profile } = await cdp.send('Profiler.stop');
        await cdp.send('Profiler.disable');
        return selfTimes(profile);
      });
    }
    await h.pages.panel.reset();
    return { profiles };
  },
};
