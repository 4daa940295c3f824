// Node 20 cannot import TypeScript: the benchmarks bundle the modules they measure with Vite (an
// SSR build, not minified, with the build-time constants the runtime bundles get) and import them.
import { build } from 'vite';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = resolve(import.meta.dirname, '..');

/** A Vite build of this repository's modules with `options`, and the build-time constants the runtime bundles get. */
export function benchBuild(options) {
  return build({
    root,
    configFile: false,
    logLevel: 'warn',
    define: { __PORTSCOPE_NONCE__: '"bench"', __PORTSCOPE_VERSION__: '"bench"' },
    build: options,
  });
}

/** Bundles `input` (name → source path) into `out`; `load(name)` then imports one of them. */
export async function bundleForNode(out, input) {
  await benchBuild({
    ssr: true,
    outDir: out,
    emptyOutDir: true,
    minify: false,
    rollupOptions: { input, output: { format: 'es', entryFileNames: '[name].mjs' } },
  });
}

export const loadFrom = (out) => (name) => import(pathToFileURL(resolve(out, `${name}.mjs`)).href);

/** `--src DIR` (repeatable: checkouts compared in one run; this one when none) and `--rounds N`. */
export function parseSourceArgs(argv, rounds) {
  const opts = { srcs: [], rounds };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--src') opts.srcs.push(resolve(argv[++i]));
    else if (argv[i] === '--rounds') opts.rounds = Number(argv[++i]);
    else throw new Error(`unknown argument ${JSON.stringify(argv[i])} (known: --src DIR, --rounds N)`);
  }
  if (!Number.isInteger(opts.rounds) || opts.rounds < 1) throw new Error('--rounds: a positive integer');
  if (!opts.srcs.length) opts.srcs.push(root);
  return opts;
}
