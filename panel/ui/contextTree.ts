/**
 * Contexts arranged as the page is: frames under their parent frame, workers under the
 * context that created them. A context whose parent is unknown is a root.
 */
import type { ChannelModel, ContextNode, PortNode } from '../model/types.ts';

export interface ContextBranch {
  context: ContextNode;
  ports: PortNode[];
  children: ContextBranch[];
}

function parentPath(framePath: string): string | null {
  const slash = framePath.lastIndexOf('/');
  if (slash > 0) return framePath.slice(0, slash);
  const frame = framePath.lastIndexOf('.frames[');
  return frame > 0 ? framePath.slice(0, frame) : null;
}

export function contextTree(model: ChannelModel): { roots: ContextBranch[]; orphanPorts: PortNode[] } {
  const branches = new Map<string, ContextBranch>();
  const byPath = new Map<string, ContextBranch>();
  for (const c of model.contexts.values()) {
    const b: ContextBranch = { context: c, ports: [], children: [] };
    branches.set(c.id, b);
    // The live context wins a frame path reused after a navigation.
    if (c.framePath && (!byPath.has(c.framePath) || !c.destroyed)) byPath.set(c.framePath, b);
  }
  const orphanPorts: PortNode[] = [];
  for (const p of model.ports.values()) {
    const b = branches.get(p.context);
    if (b) b.ports.push(p);
    else orphanPorts.push(p);
  }
  const roots: ContextBranch[] = [];
  for (const b of branches.values()) {
    const c = b.context;
    const pp = c.framePath ? parentPath(c.framePath) : null;
    const parent = (c.parent && branches.get(c.parent)) || (pp ? byPath.get(pp) : undefined);
    if (parent && parent !== b) parent.children.push(b);
    else roots.push(b);
  }
  return { roots, orphanPorts };
}
