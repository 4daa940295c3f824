import { build as viteBuild, defineConfig, type Plugin, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { crx } from '@crxjs/vite-plugin';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import baseManifest from './manifest.json' with { type: 'json' };
import { EARLY_IN_WORKER_HOOK, EARLY_IN_WORKER_TEXT } from './protocol/handshake.ts';
import { EARLY_IN_WORKER_FILE } from './extension/early-in-worker.ts';

/**
 * Three builds (scripts/build.mjs runs them):
 *  --mode chrome    → dist/chrome   (MV3, service worker)
 *  --mode firefox   → dist/firefox  (MV3, background.scripts, gecko settings)
 *  --mode injected  → dist/portscope-injected.js (the runtime alone, for the recorder and tests)
 * With PORTSCOPE_DEBUG_HOOK=1 the chrome and firefox modes write the test build instead,
 * dist/test/chrome and dist/test/firefox: the same extension plus the background's debug hook
 * (extension/debug-hook.ts), which the extension people install does not carry.
 *
 * The handshake nonce is fresh per build: a page cannot know the private event names.
 */
/** PORTSCOPE_DIST lets parallel builds (tests, benchmarks) write to their own folder. */
const dist = process.env.PORTSCOPE_DIST ?? 'dist';
const nonce = process.env.PORTSCOPE_NONCE ?? randomBytes(12).toString('hex');
const debugHook = process.env.PORTSCOPE_DEBUG_HOOK === '1';
const define = {
  __PORTSCOPE_NONCE__: JSON.stringify(nonce),
  __PORTSCOPE_VERSION__: JSON.stringify(baseManifest.version),
  __PORTSCOPE_DEBUG_HOOK__: JSON.stringify(debugHook),
};

/**
 * Every script that runs beside page code is strict code: a sloppy function on the stack hands
 * page code its `arguments` (and V8's CallSite.getFunction() hands it the function itself) when
 * a page getter runs inside a runtime call. Bundlers drop the modules' implicit strictness from
 * IIFE output, so the directive is put back in front of each such script.
 */
const STRICT = '"use strict";\n';
function strictScripts(): Plugin {
  return {
    name: 'portscope-strict-scripts',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (!file.fileName.endsWith('.iife.js') && file.fileName !== 'portscope-injected.js') continue;
        if (file.type === 'chunk') file.code = STRICT + file.code;
        else if (typeof file.source === 'string') file.source = STRICT + file.source;
      }
    },
  };
}

/**
 * The text of the in-worker runtime (injected/worker-entry.ts built as one minified IIFE),
 * given to the other builds as the `__PORTSCOPE_WORKER_RUNTIME__` define. The extension embeds
 * it in the background only (extension/router.ts), which sends it with the config while the
 * in-worker setting is on: the MAIN-world script, parsed in every frame, does not carry it.
 * The standalone runtime (injected/standalone.ts) embeds it.
 */
async function workerRuntimeText(): Promise<string> {
  const out = await viteBuild({
    configFile: false,
    logLevel: 'warn',
    define,
    publicDir: false,
    build: {
      write: false,
      minify: true,
      emptyOutDir: false,
      lib: {
        entry: resolve(import.meta.dirname, 'injected/worker-entry.ts'),
        formats: ['iife'],
        name: 'portscopeWorkerEntry',
      },
    },
  });
  const outputs = (Array.isArray(out) ? out : [out]) as { output: { type: string; code?: string }[] }[];
  const chunk = outputs[0].output.find((o) => o.type === 'chunk');
  if (!chunk?.code) throw new Error('worker runtime build produced no chunk');
  // The text becomes a function body (injected/worker-source.ts): the directive makes it strict.
  return STRICT + chunk.code;
}

/**
 * `in-worker-early.js`, the content script the Firefox background registers while the in-worker
 * setting is on (extension/early-in-worker.ts): it hands the in-worker runtime's text to the
 * relay at document_start, so the runtime knows before the page's first script that workers are
 * to be bootstrapped (content/relay.iife.ts). Emitted as a file of its own because
 * `scripting.registerContentScripts` takes files, not code.
 */
function earlyInWorkerScript(workerRuntime: string): Plugin {
  const source =
    STRICT +
    `(() => {\n  const text = ${JSON.stringify(workerRuntime)};\n  const hook = globalThis[${JSON.stringify(EARLY_IN_WORKER_HOOK)}];\n` +
    `  if (typeof hook === 'function') hook(text);\n  else globalThis[${JSON.stringify(EARLY_IN_WORKER_TEXT)}] = text;\n})();\n`;
  return {
    name: 'portscope-in-worker-early',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: EARLY_IN_WORKER_FILE, source });
    },
  };
}

function firefoxManifest() {
  // Firefox has no chrome.debugger: "See inside workers" is Chrome's (extension/worker-debugger.ts).
  const { background, optional_permissions: _chromeOnly, ...rest } = baseManifest;
  return {
    ...rest,
    // `scripting`: the in-worker setting's content script, registered while it is on (extension/early-in-worker.ts).
    permissions: [...rest.permissions, 'scripting'],
    // Firefox runs extension backgrounds as event pages (service workers are off for add-ons).
    background: { scripts: [background.service_worker], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: 'portscope@portscope.dev',
        strict_min_version: '140.0',
        data_collection_permissions: { required: ['none'] },
      },
      // Firefox for Android learnt data_collection_permissions in 142; desktop ESR 140 has it.
      // (Android has no DevTools, so the add-on is of no use there; this only keeps the floor honest.)
      gecko_android: { strict_min_version: '142.0' },
    },
  };
}

export default defineConfig(async ({ mode }): Promise<UserConfig> => {
  const workerRuntime = await workerRuntimeText();
  const withWorkerRuntime = { ...define, __PORTSCOPE_WORKER_RUNTIME__: JSON.stringify(workerRuntime) };
  if (mode === 'injected') {
    return {
      define: withWorkerRuntime,
      publicDir: false,
      plugins: [strictScripts()],
      build: {
        outDir: dist,
        emptyOutDir: false,
        minify: true,
        lib: {
          entry: resolve(import.meta.dirname, 'injected/standalone.ts'),
          formats: ['iife'],
          name: 'portscopeRuntime',
          fileName: () => 'portscope-injected.js',
        },
      },
    };
  }
  const browser = mode === 'firefox' ? 'firefox' : 'chrome';
  const manifest = browser === 'firefox' ? firefoxManifest() : baseManifest;
  return {
    define: { ...withWorkerRuntime, __PORTSCOPE_BROWSER__: JSON.stringify(browser) },
    publicDir: false,
    plugins: [
      react(),
      crx({ manifest: manifest as never, browser }),
      strictScripts(),
      ...(browser === 'firefox' ? [earlyInWorkerScript(workerRuntime)] : []),
    ],
    build: {
      outDir: debugHook ? `${dist}/test/${browser}` : `${dist}/${browser}`,
      emptyOutDir: true,
      // Chrome: minified, because the MAIN-world script is parsed and compiled in every frame
      // before any page script (crxjs builds the *.iife.ts content scripts with this setting).
      // Firefox: readable, because addons.mozilla.org reviews the code people install, and
      // Firefox quotes the runtime's own variable names in some TypeError messages
      // (docs/firefox.md): stable names keep that known difference stable.
      // PORTSCOPE_MINIFY=0 keeps names in Chrome too, for reading CPU profiles.
      minify: browser === 'chrome' && process.env.PORTSCOPE_MINIFY !== '0',
      rollupOptions: { input: { panel: resolve(import.meta.dirname, 'panel/index.html') } },
    },
    server: { port: 5179, strictPort: false },
  };
});
