/**
 * comlink, penpal, workbox-window and React recorded by `portscope record`'s Firefox driver:
 * each summary is what the library did, every fact reaches the model, no false diagnostic, and
 * the same page recorded twice gives the same summary. (Chromium: libraries-chromium.test.ts.)
 */
import { afterAll, beforeAll } from 'vitest';
import { LibraryRecorder, serveLibraries, type LibrarySite } from './libraries-pages.ts';
import { describeLibraries } from './libraries-suite.ts';

let site: LibrarySite;
let recorder: LibraryRecorder;

beforeAll(async () => {
  site = await serveLibraries();
  recorder = await LibraryRecorder.launch('firefox');
});

afterAll(async () => {
  await recorder?.close();
  await site?.close();
});

describeLibraries('firefox', () => ({ site, recorder }));
