/**
 * Where the real browsers are: PORTSCOPE_CHROMIUM or PORTSCOPE_FIREFOX when set, else the
 * usual system locations (Debian's packages first), else a Chromium that Playwright downloaded
 * (`npx playwright install chromium`). The test launchers (tests/support/browsers.ts) use this too.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PortscopeCliError } from './errors.ts';

export type BrowserName = 'chromium' | 'firefox';

const CANDIDATES: Record<BrowserName, string[]> = {
  chromium: [
    '/usr/lib/chromium/chromium',
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
  ],
  firefox: ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
};

export function browserPath(which: BrowserName): string {
  const env = process.env[`PORTSCOPE_${which.toUpperCase()}`];
  const tried = env
    ? [env]
    : which === 'chromium'
      ? [...CANDIDATES.chromium, ...playwrightChromiums()]
      : CANDIDATES[which];
  const hit = tried.find((p) => existsSync(p));
  if (!hit) {
    const how = which === 'chromium' ? 'apt-get install -y chromium' : 'apt-get install -y firefox-esr';
    throw new PortscopeCliError(
      `${which} not found (tried ${tried.join(', ')}): install it (${how}) or set PORTSCOPE_${which.toUpperCase()} to its executable`,
    );
  }
  return hit;
}

/** Chromium builds in Playwright's browser cache, newest revision first. */
function playwrightChromiums(): string[] {
  const cache =
    process.env.PLAYWRIGHT_BROWSERS_PATH ||
    join(homedir(), process.platform === 'darwin' ? 'Library/Caches/ms-playwright' : '.cache/ms-playwright');
  let entries: string[];
  try {
    entries = readdirSync(cache).filter((d) => /^chromium-\d+$/.test(d));
  } catch {
    return [];
  }
  entries.sort((a, b) => Number(b.slice(9)) - Number(a.slice(9)));
  const inside = [
    'chrome-linux64/chrome',
    'chrome-linux/chrome',
    'chrome-mac/Chromium.app/Contents/MacOS/Chromium',
    'chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
  ];
  return entries.flatMap((d) => inside.map((p) => join(cache, d, p)));
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
