/**
 * The relay reaches the extension through the browser's own namespace (content/extension-runtime.ts):
 * `chrome.runtime` in the Chrome build, `browser.runtime` in the Firefox build (both exist in
 * both browsers' content scripts today, not always alike), and says so clearly where neither is.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extensionRuntime } from '../../../content/extension-runtime.ts';

const chromeRuntime = { connect: () => 'chrome port', onMessage: {} };
const firefoxRuntime = { connect: () => 'firefox port', onMessage: {} };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('extensionRuntime', () => {
  for (const [build, expected] of [
    ['chrome', chromeRuntime],
    ['firefox', firefoxRuntime],
  ] as const) {
    it(`the ${build} build takes its browser's own namespace`, () => {
      vi.stubGlobal('__PORTSCOPE_BROWSER__', build);
      vi.stubGlobal('chrome', { runtime: chromeRuntime });
      vi.stubGlobal('browser', { runtime: firefoxRuntime });
      expect(extensionRuntime()).toBe(expected);
    });
  }

  it('outside an extension it throws a clear error', () => {
    vi.stubGlobal('__PORTSCOPE_BROWSER__', 'chrome');
    vi.stubGlobal('chrome', undefined);
    vi.stubGlobal('browser', { runtime: firefoxRuntime });
    expect(() => extensionRuntime()).toThrow('the relay runs only as an extension content script');
  });
});
