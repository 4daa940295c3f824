/**
 * The graph of a page's contexts and ports, laid out for drawing: each context a box (frames
 * and workers inside the context that made them), each port a chip in its holder's box, each
 * channel an edge between its two ports' chips, each transfer the path a port took through its
 * holders. Pure: the model in, rectangles and lines out, so it is tested in Node.
 *
 * Bounded: past CHIPS_PER_BOX ports a box folds the rest into one "+N" chip; past EDGE_CAP
 * channels the edges between two contexts become one bundle with a count; past BOX_CAP
 * contexts the rest are not drawn; past PATH_CAP transfer paths the rest are not drawn. Each
 * is counted in `notes`, for the view to say.
 */
import type { ChannelModel, ContextNode, PortNode } from '../model/types.ts';
import { contextTree, type ContextBranch } from '../ui/contextTree.ts';
import { contextLabel, pageOrigin } from '../ui/labels.ts';
import { neverStartedProblem, queueStateOf, type QueueState } from '../model/index.ts';

export const CHIPS_PER_BOX = 24;
export const EDGE_CAP = 80;
export const BOX_CAP = 60;
export const PATH_CAP = 40;

export const PAD = 8;
export const HEADER = 22;
export const CHIP_W = 46;
export const CHIP_H = 18;
export const GAP = 8;
/** Between boxes: room for the edges that leave them. */
export const BOX_GAP = 20;
export const MIN_BOX_W = 150;
/** An estimate of a character's width in the graph's 11 px font, for fitting labels. */
export const CHAR_W = 6.6;

export interface Point {
  x: number;
  y: number;
}

export interface GraphBox {
  /** The context's id; `?` for the box of ports whose holder is unknown. */
  id: string;
  kind: ContextNode['kind'] | 'unknown';
  x: number;
  y: number;
  w: number;
  h: number;
  /** The label cut to fit the box (page text made visible); `title` is the whole of it. */
  label: string;
  title: string;
  observed: boolean;
  destroyed: boolean;
  depth: number;
}

export interface GraphChip {
  /** The port, or null for the chip that stands for `folded` ports. */
  port: string | null;
  channel: string | null;
  box: string;
  x: number;
  y: number;
  label: string;
  state: QueueState | null;
  problem: boolean;
  /** Ports this chip stands for when it is the fold chip. */
  folded: number;
  /** Channels with both ports folded into this chip (drawn as no edge: it would start and end here). */
  within: number;
}

export interface GraphEdge {
  /** The channel ids this edge stands for (one, unless bundled or both ends are fold chips). */
  channels: string[];
  from: Point;
  to: Point;
  /** Both ends in one box. */
  loop: boolean;
  bundle: boolean;
}

export interface GraphPath {
  port: string;
  points: Point[];
}

export interface GraphNotes {
  /** Channels drawn (edges may bundle several). */
  channels: number;
  /** Channels hidden by the caller (muted). */
  hiddenChannels: number;
  /** Ports folded into "+N" chips. */
  foldedPorts: number;
  /** Edges were bundled per pair of contexts (more than EDGE_CAP channels). */
  bundled: boolean;
  /** Contexts not drawn: past BOX_CAP, or gone with nothing left to show. */
  contextsOmitted: number;
  /** Transfer paths not drawn past PATH_CAP. */
  pathsOmitted: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  boxes: GraphBox[];
  chips: GraphChip[];
  edges: GraphEdge[];
  paths: GraphPath[];
  notes: GraphNotes;
}

export interface LayoutOptions {
  /** The width to fit boxes in; a box never gets narrower than MIN_BOX_W + padding. */
  width: number;
  /** Channels not to draw (muted). */
  hidden?: (channel: string) => boolean;
  selectedPort?: string | null;
}

interface Sized {
  branch: ContextBranch | null;
  id: string;
  ports: PortNode[];
  chips: { port: PortNode | null; folded: number }[];
  children: Sized[];
  w: number;
  h: number;
  perRow: number;
  label: string;
  title: string;
  context: ContextNode | null;
}

function fitLabel(text: string, width: number): string {
  const max = Math.max(4, Math.floor(width / CHAR_W));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Flows sizes into rows no wider than `width`; returns each one's offset and the total size. */
function flow(sizes: { w: number; h: number }[], width: number, gap = BOX_GAP): { at: Point[]; w: number; h: number } {
  const at: Point[] = [];
  let x = 0;
  let y = 0;
  let rowH = 0;
  let w = 0;
  for (const s of sizes) {
    if (x > 0 && x + s.w > width) {
      y += rowH + gap;
      x = 0;
      rowH = 0;
    }
    at.push({ x, y });
    x += s.w + gap;
    w = Math.max(w, x - gap);
    rowH = Math.max(rowH, s.h);
  }
  return { at, w, h: sizes.length ? y + rowH : 0 };
}

export function layoutGraph(model: ChannelModel, options: LayoutOptions): GraphLayout {
  const hidden = options.hidden ?? (() => false);
  const selected = options.selectedPort ?? null;
  const origin = pageOrigin(model);
  const notes: GraphNotes = {
    channels: 0,
    hiddenChannels: 0,
    foldedPorts: 0,
    bundled: false,
    contextsOmitted: 0,
    pathsOmitted: 0,
  };
  for (const c of model.channels.values()) if (hidden(c.id)) notes.hiddenChannels++;
  const visible = (p: PortNode) => !hidden(p.channel);
  const observed = (p: PortNode) => model.contexts.get(p.context)?.observed ?? true;
  const isProblem = (p: PortNode) => neverStartedProblem(p, queueStateOf(p, observed(p)));

  const tree = contextTree(model);
  let boxesLeft = BOX_CAP;

  /** Sizes a branch within `width`; null when it has nothing to draw or the box budget is spent. */
  const size = (branch: ContextBranch | null, ports: PortNode[], width: number): Sized | null => {
    const ctx = branch?.context ?? null;
    const mine = ports.filter(visible);
    const inner = width - 2 * PAD;
    const children: Sized[] = [];
    if (boxesLeft <= 0) {
      notes.contextsOmitted++;
      return null;
    }
    boxesLeft--;
    for (const child of branch?.children ?? []) {
      const s = size(child, child.ports, inner);
      if (s) children.push(s);
    }
    // A context gone with nothing left in it says nothing: leave it out (counted).
    if (ctx?.destroyed && mine.length === 0 && children.length === 0) {
      boxesLeft++;
      notes.contextsOmitted++;
      return null;
    }
    const chips = chooseChips(mine, selected, isProblem);
    const perRow = Math.max(1, Math.floor((inner + GAP) / (CHIP_W + GAP)));
    const rows = Math.ceil(chips.length / perRow);
    const chipsW = Math.min(chips.length, perRow) * (CHIP_W + GAP) - GAP;
    const kids = flow(children, inner);
    const title = ctx ? contextLabel(ctx, ctx.id, origin) : 'unknown context';
    const w = Math.min(
      Math.max(width, MIN_BOX_W + 2 * PAD),
      Math.max(MIN_BOX_W, chipsW, kids.w, title.length * CHAR_W) + 2 * PAD,
    );
    // Room between the chips and the boxes below them, for the edges between the two.
    const h = HEADER + rows * (CHIP_H + GAP) + (rows && kids.h ? BOX_GAP - GAP : 0) + kids.h + PAD;
    return {
      branch,
      id: ctx?.id ?? '?',
      ports: mine,
      chips,
      children,
      w,
      h,
      perRow,
      label: fitLabel(title, w - 2 * PAD),
      title,
      context: ctx,
    };
  };

  const roots: Sized[] = [];
  for (const b of tree.roots) {
    const s = size(b, b.ports, options.width);
    if (s) roots.push(s);
  }
  if (tree.orphanPorts.some(visible)) {
    const s = size(null, tree.orphanPorts, options.width);
    if (s) roots.push(s);
  }

  const boxes: GraphBox[] = [];
  const chips: GraphChip[] = [];
  const chipOf = new Map<string, GraphChip>();
  const boxOf = new Map<string, GraphBox>();
  const place = (s: Sized, x: number, y: number, depth: number) => {
    const box: GraphBox = {
      id: s.id,
      kind: s.context?.kind ?? 'unknown',
      x,
      y,
      w: s.w,
      h: s.h,
      label: s.label,
      title: s.title,
      observed: s.context?.observed ?? false,
      destroyed: !!s.context?.destroyed,
      depth,
    };
    boxes.push(box);
    boxOf.set(s.id, box);
    let cy = y + HEADER;
    s.chips.forEach((c, i) => {
      const chip: GraphChip = {
        port: c.port?.id ?? null,
        channel: c.port?.channel ?? null,
        box: s.id,
        x: x + PAD + (i % s.perRow) * (CHIP_W + GAP),
        y: cy + Math.floor(i / s.perRow) * (CHIP_H + GAP),
        label: c.port ? c.port.id : `+${c.folded}`,
        state: c.port ? queueStateOf(c.port, observed(c.port)) : null,
        problem: c.port ? isProblem(c.port) : false,
        folded: c.folded,
        within: 0,
      };
      chips.push(chip);
      if (c.port) chipOf.set(c.port.id, chip);
    });
    const folds = s.chips.find((c) => c.port === null);
    if (folds) {
      notes.foldedPorts += folds.folded;
      const fold = chips.at(-1)!;
      const shown = new Set(s.chips.map((c) => c.port));
      for (const p of s.ports) if (!shown.has(p)) chipOf.set(p.id, fold);
    }
    if (s.chips.length) cy += Math.ceil(s.chips.length / s.perRow) * (CHIP_H + GAP);
    if (s.chips.length && s.children.length) cy += BOX_GAP - GAP;
    const kids = flow(s.children, s.w - 2 * PAD);
    s.children.forEach((child, i) => {
      place(child, x + PAD + kids.at[i]!.x, cy + kids.at[i]!.y, depth + 1);
    });
  };
  const top = flow(roots, options.width);
  roots.forEach((r, i) => {
    place(r, top.at[i]!.x, top.at[i]!.y, 0);
  });

  const edges = channelEdges(model, hidden, chipOf, boxOf, notes);
  const paths = transferPaths(model, hidden, chipOf, boxOf, selected, notes);
  return { width: Math.max(top.w, 0), height: top.h, boxes, chips, edges, paths, notes };
}

/** The ports a box shows as chips: problems and the selected port first, then the newest; the rest as one fold chip. */
function chooseChips(
  ports: PortNode[],
  selected: string | null,
  isProblem: (p: PortNode) => boolean,
): { port: PortNode | null; folded: number }[] {
  if (ports.length <= CHIPS_PER_BOX) return ports.map((port) => ({ port, folded: 0 }));
  const keep = new Set<PortNode>();
  const room = CHIPS_PER_BOX - 1;
  for (const p of ports) if (keep.size < room && (p.id === selected || isProblem(p))) keep.add(p);
  for (let i = ports.length - 1; i >= 0 && keep.size < room; i--) keep.add(ports[i]!);
  const shown = ports.filter((p) => keep.has(p));
  return [...shown.map((port) => ({ port, folded: 0 })), { port: null, folded: ports.length - shown.length }];
}

const centre = (c: GraphChip): Point => ({ x: c.x + CHIP_W / 2, y: c.y + CHIP_H / 2 });

function channelEdges(
  model: ChannelModel,
  hidden: (channel: string) => boolean,
  chipOf: Map<string, GraphChip>,
  boxOf: Map<string, GraphBox>,
  notes: GraphNotes,
): GraphEdge[] {
  const ends: [GraphChip, GraphChip, string][] = [];
  for (const c of model.channels.values()) {
    if (hidden(c.id)) continue;
    const a = chipOf.get(c.ports[0]);
    const b = chipOf.get(c.ports[1]);
    if (!a || !b) continue;
    ends.push([a, b, c.id]);
  }
  notes.channels = ends.length;
  notes.bundled = ends.length > EDGE_CAP;
  const merged = new Map<string, GraphEdge>();
  for (const [a, b, channel] of ends) {
    if (a === b && !notes.bundled) {
      a.within++;
      continue;
    }
    let key: string;
    let from: Point;
    let to: Point;
    if (notes.bundled) {
      // One edge per pair of contexts, from header to header.
      const [x, y] = [boxOf.get(a.box)!, boxOf.get(b.box)!].sort((p, q) => (p.id < q.id ? -1 : 1)) as [
        GraphBox,
        GraphBox,
      ];
      key = `${x.id}\u0000${y.id}`;
      from = { x: x.x + x.w / 2, y: x.y + HEADER / 2 };
      to = { x: y.x + y.w / 2, y: y.y + HEADER / 2 };
    } else {
      // Fold chips stand for many ports: their channels share one edge.
      key = a.port && b.port ? channel : `${a.box}+${a.label}\u0000${b.box}+${b.label}`;
      from = centre(a);
      to = centre(b);
    }
    const edge = merged.get(key);
    if (edge) edge.channels.push(channel);
    else merged.set(key, { channels: [channel], from, to, loop: a.box === b.box, bundle: notes.bundled });
  }
  return [...merged.values()];
}

function transferPaths(
  model: ChannelModel,
  hidden: (channel: string) => boolean,
  chipOf: Map<string, GraphChip>,
  boxOf: Map<string, GraphBox>,
  selected: string | null,
  notes: GraphNotes,
): GraphPath[] {
  const moved: PortNode[] = [];
  for (const p of model.ports.values()) if (p.holders.length > 1 && !hidden(p.channel)) moved.push(p);
  // The selected port's path is always drawn; then the latest moves.
  const ordered = moved.filter((p) => p.id === selected).concat(moved.filter((p) => p.id !== selected).reverse());
  const paths: GraphPath[] = [];
  for (const p of ordered) {
    if (paths.length >= PATH_CAP) {
      notes.pathsOmitted++;
      continue;
    }
    const points: Point[] = [];
    p.holders.forEach((h, i) => {
      const chip = i === p.holders.length - 1 ? chipOf.get(p.id) : undefined;
      if (chip) {
        points.push(centre(chip));
        return;
      }
      const box = boxOf.get(h.context);
      if (box) points.push({ x: box.x + Math.min(box.w - PAD, PAD + 10 + i * 6), y: box.y + HEADER / 2 });
    });
    if (points.length > 1) paths.push({ port: p.id, points });
  }
  return paths;
}
