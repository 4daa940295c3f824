/**
 * The extension people install carries no test wiring: the background's debug hook
 * (extension/debug-hook.ts, `portscopeDebug`) is only in the test build (dist/test/), which
 * the browser tests load. Reads the built files; no browser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST, DIST_CHROME, DIST_FIREFOX } from '../support/browsers.ts';

function scripts(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(dir, f));
}
const mentions = (dir: string, word: string) => scripts(dir).filter((f) => readFileSync(f, 'utf8').includes(word));

describe('build output', () => {
  for (const browser of ['chrome', 'firefox']) {
    it(`dist/${browser} has no debug hook; the test build has it`, () => {
      const installed = resolve(DIST, browser);
      expect(scripts(installed).length).toBeGreaterThan(3);
      expect(mentions(installed, 'portscopeDebug')).toEqual([]);
      expect(mentions(installed, 'objectKinds')).toEqual([]);
      const test = browser === 'chrome' ? DIST_CHROME : DIST_FIREFOX;
      expect(mentions(test, 'portscopeDebug')).toHaveLength(1);
    });
  }
});
