/**
 * The browsers and the build under test. Browser lookup is the CLI's (cli/browsers.ts): one
 * place knows Debian's paths and the PORTSCOPE_CHROMIUM / PORTSCOPE_FIREFOX overrides.
 */
import { resolve } from 'node:path';
import { browserPath, CHROMIUM_ARGS } from '../../cli/browsers.ts';

export { CHROMIUM_ARGS };
export const chromiumPath = () => browserPath('chromium');
export const firefoxPath = () => browserPath('firefox');

/** The build under test; PORTSCOPE_DIST points at another build folder (parallel work). */
export const DIST = resolve(process.env.PORTSCOPE_DIST ?? 'dist');
/** The test build: the extension plus the background's debug hook (`portscopeDebug`, extension/debug-hook.ts). */
export const DIST_CHROME = resolve(DIST, 'test/chrome');
export const DIST_FIREFOX = resolve(DIST, 'test/firefox');
export const INJECTED_BUNDLE = resolve(DIST, 'portscope-injected.js');
