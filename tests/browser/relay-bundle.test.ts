/**
 * The relay (content/relay.iife.ts), evaluated at document_start in every frame, carries neither
 * webextension-polyfill (content/extension-runtime.ts says why) nor the checks of the other
 * receiving sides (protocol/validate.ts: each check compiled on first use, unused ones left out). Reads the built files of the extension people install
 * and of the test build; no browser.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST, DIST_CHROME, DIST_FIREFOX } from '../support/browsers.ts';

const relays = {
  'dist/chrome': resolve(DIST, 'chrome/content/relay.iife.js'),
  'dist/firefox': resolve(DIST, 'firefox/content/relay.iife.js'),
  'dist/test/chrome': resolve(DIST_CHROME, 'content/relay.iife.js'),
  'dist/test/firefox': resolve(DIST_FIREFOX, 'content/relay.iife.js'),
};

describe('the relay bundle', () => {
  for (const [name, file] of Object.entries(relays)) {
    it(`${name}: no webextension-polyfill, no panel or devtools checks`, () => {
      const text = readFileSync(file, 'utf8');
      expect(text.length).toBeGreaterThan(1_000);
      // The polyfill's own texts (kept by any minifier: they are strings).
      expect(text).not.toContain('webextension-polyfill');
      expect(text).not.toContain('This script should only be loaded in a browser extension');
      expect(text).not.toContain('minArgs');
      // Messages the relay never receives: the panel's subscription and the devtools page's inspect.
      expect(text).not.toMatch(/\bsubscribe\b/);
      expect(text).not.toMatch(/\binspect\b/);
      // What it does use, so that the absences above are of a relay that was read.
      expect(text).toContain('resync');
      expect(text).toContain('welcome');
    });
  }
});
