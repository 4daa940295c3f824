import { existsSync } from 'node:fs';
import { join } from 'node:path';

// Browser tests load the built artefacts; a missing build is a setup error, not a test failure.
export default function setup() {
  const dist = process.env.PORTSCOPE_DIST ?? 'dist';
  for (const f of [
    'chrome/manifest.json',
    'firefox/manifest.json',
    'test/chrome/manifest.json',
    'test/firefox/manifest.json',
    'portscope-injected.js',
  ].map((p) => join(dist, p))) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
}
