/**
 * comlink, penpal, workbox-window and React recorded the way `portscope record` records in
 * Chromium: over the browser's own DevTools pipe, the worker and the service worker instrumented
 * from inside (cli/drive-chromium-pipe.ts, cli/workers.ts). Each summary is what the library did
 * end to end, every fact reaches the model, no false diagnostic, the same page twice gives the
 * same summary. (Workers seen from outside, the Playwright fixture's driver: libraries-chromium.test.ts.)
 */
import { afterAll, beforeAll } from 'vitest';
import { LibraryRecorder, serveLibraries, type LibrarySite } from './libraries-pages.ts';
import { describeLibraries } from './libraries-suite.ts';

let site: LibrarySite;
let recorder: LibraryRecorder;

beforeAll(async () => {
  site = await serveLibraries();
  recorder = await LibraryRecorder.launch('chromium', { pipe: true });
});

afterAll(async () => {
  await recorder?.close();
  await site?.close();
});

describeLibraries('chromium', () => ({ site, recorder }), { inside: true });
