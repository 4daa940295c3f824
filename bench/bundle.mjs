// Node 20 cannot import TypeScript: the benchmarks bundle the modules they measure with Vite (an
// SSR build, not minified, with the build-time constants the runtime bundles get) and import them.
import { build } from 'vite';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = resolve(import.meta.dirname, '..');

/** Bundles `input` (name → source path) into `out`; `load(name)` then imports one of them. */
export async function bundleForNode(out, input) {
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    define: { __PORTSCOPE_NONCE__: '"bench"', __PORTSCOPE_VERSION__: '"bench"' },
    build: {
      ssr: true,
      outDir: out,
      emptyOutDir: true,
      minify: false,
      rollupOptions: { input, output: { format: 'es', entryFileNames: '[name].mjs' } },
    },
  });
}

export const loadFrom = (out) => (name) => import(pathToFileURL(resolve(out, `${name}.mjs`)).href);
