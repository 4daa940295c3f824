/**
 * The import graph of the project's TypeScript sources, read from their text: every static
 * `import … from`, `export … from` and `import('…')` of a relative path. Enough to find cycles;
 * not a TypeScript parser (a specifier built at run time is not seen, and none is used).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SOURCE = /\.(ts|tsx|mts)$/;
const SPECIFIER = new RegExp(
  [
    String.raw`(?:\bimport|\bexport)\s[^'"\x60;]*?\bfrom\s*['"]([^'"]+)['"]`,
    String.raw`\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)`,
    String.raw`\bimport\s+['"]([^'"]+)['"]`,
  ].join('|'),
  'g',
);

export interface ImportGraph {
  /** File (relative to the root) → the files it imports (relative to the root). */
  edges: Map<string, string[]>;
}

function sources(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.d.mts')) out.push(path);
  }
  return out;
}

/** Strips comments so that an example in a comment is not taken for an import. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

export function importGraph(root: string, folders: readonly string[]): ImportGraph {
  const edges = new Map<string, string[]>();
  for (const folder of folders) {
    for (const file of sources(join(root, folder), [])) {
      const targets: string[] = [];
      for (const match of code(readFileSync(file, 'utf8')).matchAll(SPECIFIER)) {
        const specifier = match[1] ?? match[2] ?? match[3];
        if (!specifier?.startsWith('.')) continue;
        targets.push(relative(root, resolve(dirname(file), specifier)));
      }
      edges.set(relative(root, file), targets);
    }
  }
  return { edges };
}

/** Every cycle, each as the list of files around it (one per strongly connected group, Tarjan). */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.edges.get(file) ?? []) {
      if (!graph.edges.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file) ?? 0, index.get(target) ?? 0));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    const selfLoop = graph.edges.get(file)?.includes(file) ?? false;
    if (group.length > 1 || selfLoop) cycles.push(group.sort());
  };
  for (const file of graph.edges.keys()) if (!index.has(file)) visit(file);
  return cycles;
}
