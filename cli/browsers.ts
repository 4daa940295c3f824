/**
 * Where the real browsers are: Debian's packages by default, PORTSCOPE_CHROMIUM or
 * PORTSCOPE_FIREFOX elsewhere. The test launchers (tests/support/browsers.ts) use this too.
 */
import { existsSync } from 'node:fs';
import { PortscopeCliError } from './errors.ts';

export type BrowserName = 'chromium' | 'firefox';

const CANDIDATES: Record<BrowserName, string[]> = {
  chromium: ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'],
  firefox: ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
};

export function browserPath(which: BrowserName): string {
  const env = process.env[`PORTSCOPE_${which.toUpperCase()}`];
  const tried = env ? [env] : CANDIDATES[which];
  const hit = tried.find((p) => existsSync(p));
  if (!hit) {
    const how = which === 'chromium' ? 'apt-get install -y chromium' : 'apt-get install -y firefox-esr';
    throw new PortscopeCliError(`${which} not found (tried ${tried.join(', ')}): install it (${how}) or set PORTSCOPE_${which.toUpperCase()} to its executable`);
  }
  return hit;
}

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
