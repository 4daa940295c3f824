// Case 5: page load. Navigation → DOMContentLoaded on the demo site, when the first page script
// runs (after every document_start content script), and the standalone runtime's own
// evaluation time: the bundle inlined between two clock readings in a fresh page, compiled cold.
const LOADS_PER_ROUND = 5;

async function loads(h, mode, path, read, query = '') {
  const values = [];
  for (let i = 0; i < LOADS_PER_ROUND; i++) {
    const page = await h.pages.goto(mode, `${path}?load=${i}${query ? `&${query}` : ''}`);
    values.push(await page.evaluate(read));
  }
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}

export default {
  id: 'page-load',
  title: 'Page load and the runtime’s evaluation',
  async run(h) {
    const dcl = await h.interleave((mode) =>
      loads(h, mode, '/demo/index.html', () => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd),
    );
    const firstScript = await h.interleave((mode) => loads(h, mode, '/index.html', () => globalThis.__firstScriptAt));
    // Evaluated in the native page: no extension there to run a second copy.
    const evaluation = await h.interleave(async (mode) => {
      if (mode !== 'native') return null;
      const read = () => globalThis.__evalMs;
      return {
        standalone: await loads(h, mode, '/eval.html', read, 'bundle=standalone'),
        standaloneCompile: await loads(h, mode, '/eval.html', read, 'bundle=standalone&run=0'),
        extension: await loads(h, mode, '/eval.html', read, 'bundle=extension'),
        extensionCompile: await loads(h, mode, '/eval.html', read, 'bundle=extension&run=0'),
      };
    });
    return [
      { id: 'load-dcl', metric: `demo site: navigation → DOMContentLoaded (median of ${LOADS_PER_ROUND} loads a round)`, unit: 'ms', better: 'lower', values: dcl, targets: { idle: 1.03 } },
      { id: 'load-first-script', metric: 'first page script runs (after document_start scripts)', unit: 'ms', better: 'lower', values: firstScript, targets: { idle: 1.03 } },
      {
        id: 'injected-eval',
        metric: 'standalone runtime (portscope-injected.js): parse + compile + evaluate, cold',
        unit: 'ms',
        better: 'lower',
        values: { native: evaluation.native.map((r) => r.standalone) },
        absolute: { max: 2 },
      },
      {
        id: 'injected-eval-extension',
        metric: 'extension MAIN-world script (chrome/injected/main.iife.js): parse + compile + evaluate, cold',
        unit: 'ms',
        better: 'lower',
        values: { native: evaluation.native.map((r) => r.extension) },
        absolute: { max: 2 },
      },
      {
        id: 'injected-compile',
        metric: 'standalone runtime: parse + compile only (not run)',
        unit: 'ms',
        better: 'lower',
        values: { native: evaluation.native.map((r) => r.standaloneCompile) },
      },
      {
        id: 'injected-compile-extension',
        metric: 'extension MAIN-world script: parse + compile only (not run)',
        unit: 'ms',
        better: 'lower',
        values: { native: evaluation.native.map((r) => r.extensionCompile) },
      },
    ];
  },
};
