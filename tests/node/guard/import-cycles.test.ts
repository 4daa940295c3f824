// No import cycle in the shipped code: a module's dependencies can be read before it, and a
// split that only moved code around would show up here.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { importCycles, importGraph } from './importGraph.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FOLDERS = ['panel', 'protocol', 'cli', 'extension', 'content', 'injected'];

describe('import graph', () => {
  it('has no cycle in panel/, protocol/, cli/, extension/, content/, injected/', () => {
    const graph = importGraph(ROOT, FOLDERS);
    expect(graph.edges.size).toBeGreaterThan(100);
    expect(importCycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one (two files, and a file importing itself)', () => {
    const edges = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['d.ts']],
      ['e.ts', ['a.ts']],
    ]);
    expect(importCycles({ edges })).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
  });

  it('reads import, export-from, type-only and dynamic imports, and skips comments', () => {
    const graph = importGraph(ROOT, ['tests/node/guard/fixture']);
    expect(graph.edges.get('tests/node/guard/fixture/one.ts')).toEqual([
      'tests/node/guard/fixture/two.ts',
      'tests/node/guard/fixture/three.ts',
      'tests/node/guard/fixture/four.ts',
      'tests/node/guard/fixture/two.ts',
    ]);
    expect(importCycles(graph)).toEqual([['tests/node/guard/fixture/one.ts', 'tests/node/guard/fixture/two.ts']]);
  });
});
