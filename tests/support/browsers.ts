/**
 * Where the real browsers are. Debian's packages by default; PORTSCOPE_CHROMIUM and
 * PORTSCOPE_FIREFOX point elsewhere on a user's machine.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export class BrowserNotFoundError extends Error {
  constructor(which: string, tried: string[]) {
    super(`${which} not found (tried ${tried.join(', ')}); install it (apt-get install -y chromium firefox-esr) or set PORTSCOPE_${which.toUpperCase()}`);
    this.name = 'BrowserNotFoundError';
  }
}

function find(which: 'chromium' | 'firefox', candidates: string[]): string {
  const env = process.env[`PORTSCOPE_${which.toUpperCase()}`];
  const tried = env ? [env, ...candidates] : candidates;
  const hit = tried.find((p) => existsSync(p));
  if (!hit) throw new BrowserNotFoundError(which, tried);
  return hit;
}

export const chromiumPath = () => find('chromium', ['/usr/lib/chromium/chromium', '/usr/bin/chromium']);
export const firefoxPath = () => find('firefox', ['/usr/bin/firefox-esr', '/usr/bin/firefox']);

/** The build under test; PORTSCOPE_DIST points at another build folder (parallel work). */
export const DIST = resolve(process.env.PORTSCOPE_DIST ?? 'dist');
export const DIST_CHROME = resolve(DIST, 'chrome');
export const DIST_FIREFOX = resolve(DIST, 'firefox');
export const INJECTED_BUNDLE = resolve(DIST, 'portscope-injected.js');

/** Flags that keep Chromium quiet on a machine with no network but loopback. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
];
