// Case 5: page load. Navigation → DOMContentLoaded on the demo site, when the first page script
// runs (after every document_start content script), and the standalone runtime's own
// evaluation time: the bundle inlined between two clock readings in a fresh page, compiled cold.
import { EVALUATION_MAX_MS, TARGETS } from '../targets.mjs';
import { resolve } from 'node:path';
import { launchEmptyExtensionChromium, makeEmptyExtension } from '../chromium.mjs';

const LOADS_PER_ROUND = 5;

async function loadsIn(goto, path, read, query = '') {
  const values = [];
  for (let i = 0; i < LOADS_PER_ROUND; i++) {
    const page = await goto(`${path}?load=${i}${query ? `&${query}` : ''}`);
    values.push(await page.evaluate(read));
  }
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}

const loads = (h, mode, path, read, query) => loadsIn((url) => h.pages.goto(mode, url), path, read, query);

const DCL = () => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd;
const FIRST_SCRIPT = () => globalThis.__firstScriptAt;

export default {
  id: 'page-load',
  title: 'Page load and the runtime’s evaluation',
  async run(h) {
    // The baseline: a second browser whose extension has the same content scripts, empty. It
    // runs right after the native page in every round, so it sees the same machine.
    const empty = await launchEmptyExtensionChromium(
      makeEmptyExtension(resolve(h.distChrome), resolve(h.distChrome, '../chrome-empty')),
    );
    let dcl;
    let firstScript;
    const baseline = { dcl: [], firstScript: [] };
    try {
      const emptyPage = await empty.context.newPage();
      const gotoEmpty = async (url) => {
        await emptyPage.goto(`${h.origin}${url}`, { waitUntil: 'load' });
        return emptyPage;
      };
      dcl = await h.interleave(async (mode, round) => {
        const v = await loads(h, mode, '/demo/index.html', DCL);
        if (mode === 'native') {
          const b = await loadsIn(gotoEmpty, '/demo/index.html', DCL);
          if (round >= 0) baseline.dcl.push(b);
        }
        return v;
      });
      firstScript = await h.interleave(async (mode, round) => {
        const v = await loads(h, mode, '/index.html', FIRST_SCRIPT);
        if (mode === 'native') {
          const b = await loadsIn(gotoEmpty, '/index.html', FIRST_SCRIPT);
          if (round >= 0) baseline.firstScript.push(b);
        }
        return v;
      });
    } finally {
      await empty.close();
    }
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
      {
        id: 'load-dcl',
        metric: `demo site: navigation → DOMContentLoaded (median of ${LOADS_PER_ROUND} loads a round)`,
        unit: 'ms',
        better: 'lower',
        values: dcl,
        targets: TARGETS.idleOnly,
      },
      {
        id: 'load-first-script',
        metric: 'first page script runs (after document_start scripts)',
        unit: 'ms',
        better: 'lower',
        values: firstScript,
        targets: TARGETS.idleOnly,
      },
      {
        id: 'load-dcl-empty-extension',
        metric:
          'baseline — Idle column: an extension with the same two content scripts, empty (Chromium’s own cost): DOMContentLoaded',
        unit: 'ms',
        better: 'lower',
        values: { native: dcl.native, idle: baseline.dcl },
      },
      {
        id: 'load-first-script-empty-extension',
        metric: 'baseline — Idle column: the same, empty content scripts: first page script runs',
        unit: 'ms',
        better: 'lower',
        values: { native: firstScript.native, idle: baseline.firstScript },
      },
      {
        id: 'injected-eval',
        metric: 'standalone runtime (portscope-injected.js): parse + compile + evaluate, cold',
        unit: 'ms',
        better: 'lower',
        values: { native: evaluation.native.map((r) => r.standalone) },
        absolute: { max: EVALUATION_MAX_MS },
      },
      {
        id: 'injected-eval-extension',
        metric: 'extension MAIN-world script (chrome/injected/main.iife.js): parse + compile + evaluate, cold',
        unit: 'ms',
        better: 'lower',
        values: { native: evaluation.native.map((r) => r.extension) },
        absolute: { max: EVALUATION_MAX_MS },
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
