// Builds the Chrome extension, the Firefox add-on and the standalone runtime with one nonce,
// so every artefact of one build speaks the same private handshake.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

const env = { ...process.env, PORTSCOPE_NONCE: process.env.PORTSCOPE_NONCE ?? randomBytes(12).toString('hex') };
const vite = ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'];
for (const mode of ['chrome', 'firefox', 'injected']) {
  execFileSync(process.execPath, [...vite, '--mode', mode], { stdio: 'inherit', env });
}
// The test build (dist/test/chrome, dist/test/firefox): the same extension with the background's
// debug hook, which the browser tests, the benchmarks and `npm start` read.
for (const mode of ['chrome', 'firefox']) {
  execFileSync(process.execPath, [...vite, '--mode', mode], {
    stdio: 'inherit',
    env: { ...env, PORTSCOPE_DEBUG_HOOK: '1' },
  });
}
// "See inside workers" evaluates the CLI's runtime in each worker (extension/worker-debugger.ts):
// the Chrome extension carries it as a file its background reads. The test build is granted the
// optional `debugger` permission up front, since a test cannot click Chrome's permission prompt;
// the extension people install asks for it when the setting is turned on.
const dist = process.env.PORTSCOPE_DIST ?? 'dist';
for (const out of [`${dist}/chrome`, `${dist}/test/chrome`])
  copyFileSync(`${dist}/portscope-injected.js`, `${out}/portscope-injected.js`);
const testManifest = `${dist}/test/chrome/manifest.json`;
const manifest = JSON.parse(readFileSync(testManifest, 'utf8'));
manifest.permissions = [...manifest.permissions, 'debugger'];
delete manifest.optional_permissions;
writeFileSync(testManifest, JSON.stringify(manifest, null, 2));
// The CLI and the Playwright fixture for Node (dist/cli/*.mjs), loaded by cli/bin.mjs.
execFileSync(process.execPath, [...vite, '--config', 'cli/vite.config.ts'], { stdio: 'inherit', env });
console.log('built dist/chrome, dist/firefox, dist/portscope-injected.js, dist/test/{chrome,firefox}');
