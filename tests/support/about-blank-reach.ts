/**
 * The tests of tests/browser/about-blank-reach*.test.ts that read the same in both browsers: a
 * cross-origin frame that replaced `Reflect.apply` in its same-origin child's initial about:blank
 * (tests/fixtures/about-blank-reach/) reaches the child runtime's objects; what it can do with
 * them is bounded in the background (extension/fact-sender.ts). Each file launches its browser
 * and hands these tests its way of reading the background and driving the frames.
 */
import { expect, it } from 'vitest';
import type { Fact } from '../../protocol/facts.ts';
import type { FixtureServer } from './server.ts';
import { until } from './until.ts';

export type Status = { dropped: Record<string, number>; rejected: number; lastError?: string };
export type Context = Extract<Fact, { kind: 'context' }>;
/** What the ad frame's replacement of its child's `Reflect.apply` saw (the fixture's `state()`). */
export type Reached = {
  calls: number;
  natives: string[];
  runtimeFunctions: number;
  batches: number;
  hidden: number;
  port: string | null;
  portIsChilds: boolean;
  type: string;
};

export interface ReachHarness {
  /** The contexts of the top, the ad and its child as their runtimes announced them, and the server. */
  state(): { ctx: { top: Context; ad: Context; child: Context }; server: FixtureServer };
  facts(): Promise<Fact[]>;
  status(): Promise<Status | null>;
  reached(): Promise<Reached>;
  /** The ad hands the relay's end of its child's private channel a batch of these facts. */
  forge(list: unknown[]): Promise<boolean>;
  /** The ad's replacement stops (or resumes) passing its child's batches on. */
  hide(on: boolean): Promise<void>;
  /** The child posts `n` messages whose text starts with `tag`. */
  post(tag: string, n: number): Promise<number>;
}

export const postsTagged = (all: Fact[], tag: string) =>
  all.filter((f) => f.kind === 'port-posted' && f.preview.t === 'string' && f.preview.v.startsWith(tag)).length;
export const contextOf = (all: Fact[], path: string) =>
  all.find((f): f is Context => f.kind === 'context' && f.url.includes(`/about-blank-reach/${path}`));

export function reachTests(h: ReachHarness): void {
  it('the documents are what they say: the ad is cross-origin, its child of its origin, nothing refused', async () => {
    const { ctx, server } = h.state();
    expect(ctx.top.origin).toBe(server.origin);
    expect(ctx.ad.origin).toBe(server.crossOrigin);
    expect(ctx.child.origin).toBe(server.crossOrigin);
    expect((await h.status())?.rejected).toBe(0);
  });

  it("the parent's replacement is the child runtime's Reflect.apply: it gets the relay's end of the private channel and runtime functions", async () => {
    const r = await h.reached();
    // What the runtime hands a page's Reflect.apply, pinned: if this goes, the residue in the README changes.
    expect(r.batches).toBeGreaterThanOrEqual(1);
    expect(r.portIsChilds).toBe(true);
    expect(r.port).toBe('[object MessagePort]');
    expect(r.type).toMatch(/^portscope-batch-[0-9a-f]+$/);
    expect(r.natives).toEqual(expect.arrayContaining(['dispatchEvent', 'addEventListener', 'postMessage']));
    expect(r.runtimeFunctions).toBeGreaterThan(0);
  });

  it("can hide the child's batches; a hidden run between delivered ones is counted missing", async () => {
    const before = (await h.status())?.dropped.missing ?? 0;
    await h.hide(true);
    const hiddenBefore = (await h.reached()).hidden;
    await h.post('hidden-', 5);
    await until('the runtime to hand the hidden posts to the replacement', h.reached, (r) => r.hidden > hiddenBefore);
    await h.hide(false);
    await h.post('shown-', 3);
    const all = await until('the posts after it', h.facts, (f) => postsTagged(f, 'shown-') === 3);
    expect(postsTagged(all, 'hidden-')).toBe(0);
    // The child's facts are numbered; the background notes the run that never came.
    const s = await until('the gap to be counted', h.status, (x) => (x?.dropped.missing ?? 0) - before >= 5);
    expect((s?.dropped.missing ?? 0) - before).toBe(5);
  });

  it('can forge facts of its child, but not a context of another origin nor facts of another frame', async () => {
    const { ctx, server } = h.state();
    const time = Date.now();
    const note = (c: string, code: string) => ({
      kind: 'runtime-note',
      ctx: c,
      code,
      message: 'written by the parent',
      seq: 1_000_000,
      time,
    });
    const context = (c: string, url: string, origin: string) => ({
      kind: 'context',
      ctx: c,
      contextKind: 'iframe',
      url,
      origin,
      framePath: 'top.frames[0]',
      observed: true,
      userAgent: 'forged',
      seq: 1,
      time,
    });
    const forged = [
      note(ctx.child.ctx, 'forged-child'),
      context('bada55bada55bada55ba', 'https://bank.example/transfer', 'https://bank.example'),
      context('bada55bada55bada55bb', 'https://bank.example/transfer', server.crossOrigin),
      context('bada55bada55bada55bc', `${server.origin}/about-blank-reach/top.html`, server.origin),
      note(ctx.top.ctx, 'forged-top'),
      note(ctx.ad.ctx, 'forged-ad'),
      context(ctx.top.ctx, `${server.crossOrigin}/about-blank-reach/top.html`, server.crossOrigin),
    ];
    expect(await h.forge(forged)).toBe(true);
    const all = await until('the forged batch to be taken', h.facts, (f) =>
      f.some((x) => x.kind === 'runtime-note' && x.code === 'forged-child'),
    );
    // (a) The relay's end of the channel takes the batch: the child's context speaks as the parent says.
    expect(all.filter((f) => f.kind === 'runtime-note' && f.code === 'forged-child')).toHaveLength(1);
    // (b) No context of another origin, nor a URL of another origin under the frame's own.
    expect(all.filter((f) => f.kind === 'context' && f.url.startsWith('https://bank.example'))).toEqual([]);
    expect(all.filter((f) => f.kind === 'context' && f.ctx.startsWith('bada55'))).toEqual([]);
    // (c) Nothing in the top document's or the ad's own context, and the top's context is still its own.
    expect(
      all.filter((f) => f.kind === 'runtime-note' && f.code !== 'forged-child' && f.code.startsWith('forged')),
    ).toEqual([]);
    expect(all.filter((f) => f.kind === 'context' && f.ctx === ctx.top.ctx).map((f) => (f as Context).origin)).toEqual([
      server.origin,
    ]);
    const s = await until('the refusals to be counted', h.status, (x) => (x?.rejected ?? 0) >= 6);
    expect(s?.rejected).toBe(6);
    expect(s?.lastError).toMatch(/context "[0-9a-f]{20}"/);
  });
}
