// Checkouts compared in Chromium's own V8 (a blank page of headless Chromium, no extension): each
// `--src` bundled into one IIFE script that puts the named exports of its modules at
// globalThis[`impl<i>`], then a measure function run in the page with the implementations' names
// and the rounds; it returns rows [step, figure per checkout]. Printed, never asserted. The page
// also has the bench's workloads (bench/fixtures/workload.js: `globalThis.benchWorkloads`), so a
// measure uses the very values the throughput cases post (`benchWorkloads.record`), and one timing
// loop for every measure (`benchAB.rows`).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ARGS, chromiumPath } from './chromium.mjs';
import { benchBuild, parseSourceArgs } from './bundle.mjs';

/** One script that puts `modules`' exports (path in a checkout → names) of `src` at globalThis[name]. */
async function bundle(src, name, dir, modules) {
  const entry = join(dir, `${name}.ts`);
  const imports = Object.entries(modules).map(
    ([path, names]) => `import { ${names.join(', ')} } from ${JSON.stringify(join(src, path))};\n`,
  );
  const all = Object.values(modules).flat();
  writeFileSync(entry, `${imports.join('')}(globalThis as any)[${JSON.stringify(name)}] = { ${all.join(', ')} };\n`);
  await benchBuild({
    outDir: join(dir, name),
    emptyOutDir: true,
    minify: false,
    lib: { entry, formats: ['iife'], name: `bench_${name}`, fileName: () => 'bundle.js' },
  });
  return readFileSync(join(dir, name, 'bundle.js'), 'utf8');
}

/**
 * Runs in the page before a measure (added as a script): `benchAB.rows(impls, rounds, steps)` times
 * each step `[name, run(m, calls, k), calls, perCall = 1]` for every implementation, a warm-up of
 * 5 × calls first, then `rounds` rounds interleaving the implementations; µs per call / perCall,
 * as two rows per step: the median and the fastest round (the least disturbed on a loaded machine).
 */
function installRounds() {
  globalThis.benchAB = {
    rows(impls, rounds, steps) {
      const out = [];
      for (const [step, run, calls, perCall = 1] of steps) {
        for (const [k, m] of impls.entries()) run(m, calls * 5, k);
        const times = impls.map(() => []);
        for (let r = 0; r < rounds; r++)
          for (const [k, m] of impls.entries()) {
            const t0 = performance.now();
            run(m, calls, k);
            times[k].push(((performance.now() - t0) * 1000) / (calls * perCall));
          }
        const sorted = times.map((xs) => xs.sort((a, b) => a - b));
        out.push([`${step}, median`, sorted.map((xs) => xs[xs.length >> 1])]);
        out.push([`${step}, fastest round`, sorted.map((xs) => xs[0])]);
      }
      return out;
    },
  };
}

/**
 * Parses `--src DIR… --rounds N` (`rounds` by default), bundles, runs `measure` in one page and
 * prints its rows as a table headed by `unit` with `digits` decimals.
 */
export async function compareInChromium({ modules, measure, rounds, unit, digits }) {
  const opts = parseSourceArgs(process.argv.slice(2), rounds);
  const dir = mkdtempSync(join(tmpdir(), 'portscope-chromium-ab-'));
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ARGS, headless: true });
  try {
    const page = await browser.newPage();
    await page.addScriptTag({ path: join(import.meta.dirname, 'fixtures/workload.js') });
    await page.addScriptTag({ content: `(${installRounds})();` });
    const names = opts.srcs.map((_, i) => `impl${i}`);
    for (const [i, src] of opts.srcs.entries())
      await page.addScriptTag({ content: await bundle(src, names[i], dir, modules) });
    const { out } = await page.evaluate(measure, [names, opts.rounds]);
    console.log(`Chromium ${browser.version()}; ${unit}, ${opts.rounds} interleaved rounds\n`);
    console.log(`| Step | ${opts.srcs.join(' | ')} |\n|---|${opts.srcs.map(() => '---|').join('')}`);
    for (const [step, xs] of out) console.log(`| ${step} | ${xs.map((x) => x.toFixed(digits)).join(' | ')} |`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `compareInChromium`, exiting 1 with the error's stack when it fails. */
export function runComparison(options) {
  compareInChromium(options).catch((e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  });
}
