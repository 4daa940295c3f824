/** The library tests, the same in each browser (one browser per test file). */
import { describe, expect, it } from 'vitest';
import type { BrowserName } from '../../cli/browsers.ts';
import {
  PAGES,
  expectEveryFact,
  shape,
  topDocumentPosts,
  type LibraryRecorder,
  type LibrarySite,
  type Recorded,
} from './libraries-pages.ts';

/** `inside`: workers and the service worker are instrumented from inside (the pipe recorder). */
export function describeLibraries(
  browser: BrowserName,
  get: () => { site: LibrarySite; recorder: LibraryRecorder },
  opts: { inside?: boolean } = {},
): void {
  const inside = opts.inside === true;
  /** Records `url` twice: each must be right on its own, and the two the same. */
  async function twice(
    url: string,
    check: (r: Recorded) => void,
    opts: { creatorVaries?: boolean; freshBrowser?: boolean } = {},
  ): Promise<void> {
    const first = await get().recorder.record(url);
    check(first);
    if (opts.freshBrowser) await get().recorder.restart();
    const second = await get().recorder.record(url);
    check(second);
    expect(shape(second.summary, opts)).toEqual(shape(first.summary, opts));
  }

  describe(`real libraries in ${browser}${inside ? ', workers seen from inside' : ''}`, () => {
    const comlinkTitle = inside
      ? 'comlink: a worker seen from inside, every port known end to end'
      : 'comlink: a worker seen from outside, ports coming back out of it are new channels';
    it(comlinkTitle, async () => {
      await twice(get().site.origin + PAGES.comlink.path, (r) => {
        expect(r.page.result).toEqual(PAGES.comlink.result);
        expect(shape(r.summary)).toEqual(inside ? PAGES.comlinkInside : PAGES.comlink.shape);
        expect(topDocumentPosts(r.summary)).toBe(r.page.portPosts);
        expectEveryFact(r);
      });
    });

    for (const [name, childOrigin] of [
      ['same-origin', 'origin'],
      ['cross-origin', 'crossOrigin'],
    ] as const) {
      it(`penpal: parent and ${name} iframe, both directions`, async () => {
        const { site } = get();
        const child = `${site[childOrigin]}/tests/fixtures/libraries/penpal-child.html`;
        await twice(
          `${site.origin}${PAGES.penpal.path}?child=${encodeURIComponent(child)}`,
          (r) => {
            expect(r.page.result).toEqual(PAGES.penpal.result);
            expect(shape(r.summary, { creatorVaries: true })).toEqual(
              PAGES.penpal.shape('/tests/fixtures/libraries/penpal-child.html'),
            );
            // The side that made the channel kept port1 and shipped port2 to the other.
            const [transfer] = r.summary.transfers;
            const kept = r.summary.ports.find(
              (p) =>
                p.id !== transfer.port && p.channel === r.summary.ports.find((q) => q.id === transfer.port)!.channel,
            )!;
            expect(kept.context).toBe(transfer.from);
            expect(kept.shipped).toBe(false);
            expect(topDocumentPosts(r.summary)).toBe(r.page.portPosts);
            expectEveryFact(r);
          },
          { creatorVaries: true },
        );
      });
    }

    const workboxTitle = inside
      ? 'workbox-window: messageSW to a service worker seen from inside, and a port it makes and hands back'
      : 'workbox-window: messageSW to a service worker, and a port it hands back (seen late)';
    it(workboxTitle, async () => {
      // A service worker needs a secure context: localhost.
      await twice(
        get().site.crossOrigin + PAGES.workbox.path,
        (r) => {
          expect([...(r.page.result as unknown[])].sort()).toEqual([...PAGES.workbox.result].sort());
          // Every worker the pipe driver attached to ran the runtime from its first line.
          if (inside) expect(r.workers).toMatchObject({ failed: 0, unmatched: 0 });
          expect(shape(r.summary)).toEqual(inside ? PAGES.workboxInside : PAGES.workbox.shape);
          expect(topDocumentPosts(r.summary)).toBe(r.page.portPosts);
          expectEveryFact(r);
        },
        { freshBrowser: inside },
      );
    });

    it('frames: document.open keeps the context, a frame navigated in place is a new one', async () => {
      await twice(get().site.origin + PAGES.frames.path, (r) => {
        expect(r.page.result).toEqual(PAGES.frames.result);
        expect(shape(r.summary)).toEqual(PAGES.frames.shape);
        expect(topDocumentPosts(r.summary)).toBe(r.page.portPosts);
        expectEveryFact(r);
      });
    });

    it("React 19: the scheduler's channel, named, with exactly the page's own posts", async () => {
      await twice(get().site.reactOrigin + PAGES.react.path, (r) => {
        expect(r.page.result).toBe(PAGES.react.result);
        expect(r.page.portPosts).toBeGreaterThan(0);
        expect(shape(r.summary)).toEqual(PAGES.react.shape(r.page.portPosts));
        expectEveryFact(r);
      });
    });
  });
}
