import { existsSync } from 'node:fs';

// Browser tests load the built artefacts; a missing build is a setup error, not a test failure.
export default function setup() {
  for (const f of ['dist/chrome/manifest.json', 'dist/firefox/manifest.json', 'dist/portscope-injected.js']) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
}
