// The graph's layout (panel/graph/layout.ts) on real fact streams: frames nested in their
// parent's box, ports as chips inside their holder's box, channels as edges between chips,
// a transferred port's path through its holders; and its bounds, each counted.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/model.ts';
import type { ChannelModel } from '../../../panel/model/types.ts';
import {
  BOX_CAP,
  CHIP_H,
  CHIP_W,
  CHIPS_PER_BOX,
  EDGE_CAP,
  layoutGraph,
  type GraphBox,
  type GraphLayout,
} from '../../../panel/graph/layout.ts';
import { Stream } from '../model/facts.ts';

function modelOf(s: Stream): ChannelModel {
  const model = createModel();
  model.apply(s.all);
  model.settle();
  return model;
}

const inside = (inner: { x: number; y: number; w: number; h: number }, outer: GraphBox) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.w <= outer.x + outer.w &&
  inner.y + inner.h <= outer.y + outer.h;

function noOverlap(layout: GraphLayout) {
  // Sibling boxes (same depth, neither inside the other) never overlap.
  for (const a of layout.boxes)
    for (const b of layout.boxes) {
      if (a === b || inside(a, b) || inside(b, a)) continue;
      const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
      expect(apart, `${a.id} and ${b.id} overlap`).toBe(true);
    }
}

describe('the graph of contexts and ports', () => {
  function page() {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const worker = s.context('w', 'worker', {
      url: 'https://app.test/w.js',
      framePath: 'top/worker[1]',
      parent: 'top',
    });
    const [a, b] = top.channel();
    top.onmessage(a);
    const inChild = top.handToFrame(child, b);
    child.post(inChild, 'hi');
    top.dispatch(a, 'hi');
    const [c, d] = top.channel();
    top.start(c);
    top.post(d, 'local');
    top.dispatch(c, 'local');
    void worker;
    return s;
  }

  it('nests frames and workers in their parent, each port in its holder, and joins the ports of each channel', () => {
    const model = modelOf(page());
    const layout = layoutGraph(model, { width: 800 });
    const box = (id: string) => layout.boxes.find((b) => b.id === id)!;
    expect(layout.boxes.map((b) => b.id).sort()).toEqual(['child', 'top', 'w']);
    expect(inside(box('child'), box('top'))).toBe(true);
    expect(inside(box('w'), box('top'))).toBe(true);
    expect(box('child').label).toBe('iframe /child.html');
    noOverlap(layout);
    for (const chip of layout.chips) {
      const holder = model.ports.get(chip.port!)!.context;
      expect(chip.box).toBe(holder);
      expect(inside({ x: chip.x, y: chip.y, w: CHIP_W, h: CHIP_H }, box(holder))).toBe(true);
    }
    expect(layout.chips.map((c) => `${c.port}@${c.box}`).sort()).toEqual(['p1@top', 'p2@child', 'p3@top', 'p4@top']);
    expect(layout.edges.map((e) => e.channels)).toEqual([['c1'], ['c2']]);
    const c1 = layout.edges[0]!;
    const chip = (p: string) => layout.chips.find((c) => c.port === p)!;
    expect(c1.from).toEqual({ x: chip('p1').x + CHIP_W / 2, y: chip('p1').y + CHIP_H / 2 });
    expect(c1.to).toEqual({ x: chip('p2').x + CHIP_W / 2, y: chip('p2').y + CHIP_H / 2 });
    expect(c1.loop).toBe(false);
    expect(layout.edges[1]!.loop).toBe(true);
    // p2 moved from the top window to the frame: its path starts in the top's box and ends on its chip.
    expect(layout.paths).toHaveLength(1);
    const path = layout.paths[0]!;
    expect(path.port).toBe('p2');
    expect(inside({ ...path.points[0]!, w: 0, h: 0 }, box('top'))).toBe(true);
    expect(path.points.at(-1)).toEqual(c1.to);
    expect(layout.notes).toEqual({
      channels: 2,
      hiddenChannels: 0,
      foldedPorts: 0,
      bundled: false,
      contextsOmitted: 0,
      pathsOmitted: 0,
    });
  });

  it('marks a port never started with a listener as a problem, and a port that only sends as none', () => {
    const s = new Stream();
    const top = s.context('top');
    const [sender, receiver] = top.channel();
    top.onmessage(receiver);
    top.post(sender, 'x');
    const [listening] = top.channel();
    top.addListener(listening);
    const layout = layoutGraph(modelOf(s), { width: 800 });
    const chip = (p: string) => layout.chips.find((c) => c.port === p)!;
    expect(chip('p1')).toMatchObject({ state: 'not-started', problem: false });
    expect(chip('p2')).toMatchObject({ state: 'enabled', problem: false });
    expect(chip('p3')).toMatchObject({ state: 'not-started', problem: true });
  });

  it('leaves hidden (muted) channels out and counts them', () => {
    const layout = layoutGraph(modelOf(page()), { width: 800, hidden: (c) => c === 'c2' });
    expect(layout.edges.map((e) => e.channels)).toEqual([['c1']]);
    expect(layout.chips.map((c) => c.port).sort()).toEqual(['p1', 'p2']);
    expect(layout.notes.hiddenChannels).toBe(1);
  });

  it('fits boxes to the width it is given, wrapping rows of chips', () => {
    const s = new Stream();
    const top = s.context('top');
    for (let i = 0; i < 10; i++) top.channel();
    const layout = layoutGraph(modelOf(s), { width: 300 });
    expect(layout.width).toBeLessThanOrEqual(300);
    expect(new Set(layout.chips.map((c) => c.y)).size).toBeGreaterThan(1);
    for (const c of layout.chips) expect(c.x + CHIP_W).toBeLessThanOrEqual(300);
  });

  it(`folds ports past ${CHIPS_PER_BOX} in a box into one chip, keeping the problem ports, and says how many`, () => {
    const s = new Stream();
    const top = s.context('top');
    const [first] = top.channel();
    top.addListener(first); // p1: a problem, oldest: it must stay drawn
    for (let i = 0; i < 29; i++) top.channel();
    const layout = layoutGraph(modelOf(s), { width: 2000 });
    expect(layout.chips).toHaveLength(CHIPS_PER_BOX);
    const fold = layout.chips.find((c) => c.port === null)!;
    expect(fold.label).toBe(`+${60 - (CHIPS_PER_BOX - 1)}`);
    expect(layout.notes.foldedPorts).toBe(60 - (CHIPS_PER_BOX - 1));
    expect(layout.chips.some((c) => c.port === 'p1')).toBe(true);
    // A channel with one port folded ends on the fold chip; one with both folded is no edge,
    // counted on the chip (p2…p38 are folded: c1 ends on it, c2…c19 are within it).
    expect(fold.within).toBe(18);
    expect(layout.edges.every((e) => e.from.x !== e.to.x || e.from.y !== e.to.y)).toBe(true);
    expect(layout.edges.reduce((n, e) => n + e.channels.length, 0)).toBe(30 - 18);
    expect(layout.notes.channels).toBe(30);
  });

  it(`bundles edges per pair of contexts past ${EDGE_CAP} channels, and says so`, () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    for (let i = 0; i < EDGE_CAP; i++) top.channel();
    for (let i = 0; i < 5; i++) {
      const [, b] = top.channel();
      top.handToFrame(child, b);
    }
    const layout = layoutGraph(modelOf(s), { width: 1200 });
    expect(layout.notes.bundled).toBe(true);
    expect(layout.notes.channels).toBe(EDGE_CAP + 5);
    const sizes = layout.edges.map((e) => e.channels.length).sort((a, b) => a - b);
    expect(sizes).toEqual([5, EDGE_CAP]);
    expect(layout.edges.every((e) => e.bundle)).toBe(true);
  });

  it(`draws at most ${BOX_CAP} contexts and counts the rest; a context gone and empty is left out`, () => {
    const s = new Stream();
    const top = s.context('top');
    top.channel();
    for (let i = 0; i < BOX_CAP + 10; i++) s.context(`f${i}`, 'iframe', { framePath: `top.frames[${i}]` });
    const gone = s.context('gone', 'iframe', { framePath: 'top.frames[999]' });
    gone.destroyed();
    const layout = layoutGraph(modelOf(s), { width: 1200 });
    expect(layout.boxes).toHaveLength(BOX_CAP);
    expect(layout.notes.contextsOmitted).toBe(BOX_CAP + 12 - BOX_CAP);
    expect(layout.boxes.some((b) => b.id === 'gone')).toBe(false);
    noOverlap(layout);
  });
});
