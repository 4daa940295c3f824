/**
 * Firefox's about:blank frames (ESR 153, the built add-on): does a same-origin frame whose
 * document is not loaded from a URL of its own run the runtime before the page uses it, and do
 * its facts arrive? Measured for an iframe created by the page's first inline script and used at
 * once, one whose document that script writes (document.write), a parser-created one without
 * src, a srcdoc document, and an about:blank navigated to a same-origin URL: in each, Firefox
 * runs the relay and then the runtime synchronously, inside the call that made the document,
 * before the page's next statement (no "runtime a task after its relay" was seen), and each
 * runtime is keyed with its parent's secret. Firefox runs neither in the initial about:blank of
 * a frame that loads a URL or a srcdoc, and then keeps that Window for the frame's document: what
 * the page does there first is neither recorded nor counted (pinned below; README, "What a page
 * can still do or tell").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../protocol/facts.ts';
import { launchFirefox, type LaunchedFirefox } from '../support/firefox.ts';
import { recordWhileClosedFirefox } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { until } from '../support/until.ts';

let firefox: LaunchedFirefox;
let server: FixtureServer;
/** What the page saw and the facts that reached the background, once everything observed arrived. */
let loaded: { sources: string[]; facts: Fact[] };

const background = (text: string) => firefox.background!(text);
const backgroundFacts = async () =>
  JSON.parse(await background('JSON.stringify(globalThis.portscopeDebug.facts())')) as Fact[];

/** Posts per tag (tests/fixtures/realm/about-blank.html): seen from inside, and made where no runtime ran. */
const OBSERVED: Record<string, number> = { A: 3, B: 4, C: 6, D: 5, E: 2, N: 2 };
const UNOBSERVED: Record<string, number> = { F: 7, G: 8 };

const postsTagged = (facts: Fact[], tag: string) =>
  facts.filter(
    (f): f is Extract<Fact, { kind: 'port-posted' }> =>
      f.kind === 'port-posted' && f.preview.t === 'string' && f.preview.v.startsWith(tag),
  );

beforeAll(async () => {
  server = await serveFixtures();
  firefox = await launchFirefox({ extension: true });
  await recordWhileClosedFirefox(background);
  await background("globalThis.portscopeDebug.clear(); 'ok'");
  const page = await firefox.browser.newPage();
  await page.goto(`${server.origin}/realm/about-blank.html`);
  await page.evaluate(() => (window as unknown as { loaded: Promise<unknown> }).loaded);
  const sources = await page.evaluate(() => (window as unknown as { sources(): Promise<string[]> }).sources());
  const total = Object.values(OBSERVED).reduce((a, b) => a + b, 0);
  await until('every observed post', backgroundFacts, (f) =>
    Object.keys(OBSERVED).every((tag) => postsTagged(f, tag).length >= OBSERVED[tag]),
  );
  // Let anything late land: the unobserved frames must stay silent, not merely be slow.
  await new Promise((r) => setTimeout(r, 1_000));
  loaded = { sources, facts: await backgroundFacts() };
  expect(loaded.facts.filter((f) => f.kind === 'port-posted').length).toBeGreaterThanOrEqual(total);
  await page.close();
}, 120_000);

afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

describe('about:blank frames (Firefox)', () => {
  it("each kind runs the runtime before the page uses it, keyed with its parent's secret, and its facts arrive", () => {
    const { facts, sources } = loaded;
    // A call made from the parent's realm on each frame's postMessage keeps the parent as its
    // source: the frame's runtime found the parent's, so both hold the same secret.
    expect(sources).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => `${id}: parent`));
    const page = `${server.origin}/realm/about-blank.html`;
    const contextOf = (tag: string) => {
      const posts = postsTagged(facts, tag);
      expect(posts.map((p) => p.preview.t === 'string' && p.preview.v)).toEqual(
        Array.from({ length: OBSERVED[tag] }, (_, i) => `${tag}${i + 1}`),
      );
      const ctx = new Set(posts.map((p) => p.ctx));
      expect(ctx.size, `${tag}: one context`).toBe(1);
      const context = facts.find((f) => f.kind === 'context' && f.ctx === [...ctx][0]);
      return context?.kind === 'context' ? [context.url, context.framePath, context.observed] : undefined;
    };
    expect(Object.fromEntries(Object.keys(OBSERVED).map((tag) => [tag, contextOf(tag)]))).toEqual({
      A: ['about:blank', 'top.frames[0]', true],
      // document.open() gives the written document its opener's URL (as natively).
      B: [page, 'top.frames[1]', true],
      C: ['about:srcdoc', 'top.frames[4]', true],
      D: ['about:blank', 'top.frames[3]', true],
      E: ['about:blank', 'top.frames[2]', true],
      N: [`${server.origin}/realm/child.html`, 'top.frames[2]', true],
    });
    expect(facts.filter((f) => f.kind === 'runtime-note')).toEqual([]);
  });

  it('known gap: the initial about:blank of a frame that loads a URL or a srcdoc runs no runtime, and what is done there is neither recorded nor counted', () => {
    const { facts } = loaded;
    for (const tag of Object.keys(UNOBSERVED)) expect(postsTagged(facts, tag), tag).toEqual([]);
    expect(facts.filter((f) => f.kind === 'facts-dropped')).toEqual([]);
    // The frames' own documents are observed: the runtime arrives with them, in the same Window.
    const urls = facts.flatMap((f) => (f.kind === 'context' ? [[f.framePath, f.url]] : []));
    expect(urls).toContainEqual(['top.frames[5]', 'about:srcdoc']);
    expect(urls).toContainEqual(['top.frames[6]', `${server.origin}/realm/child.html`]);
  });
});
