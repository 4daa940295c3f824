// The model is pure TypeScript (DESIGN.md): it reads nothing of its host (no environment
// variables, no DOM, no extension APIs) and imports only protocol/ and itself.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importGraph } from './importGraph.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MODEL = `${ROOT}panel/model/`;
const HOST = /(?<![\w$.\-/])(process|globalThis|window|document|chrome|browser|navigator|localStorage)\s*[.[]/;

const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

describe('panel/model', () => {
  it('reads nothing of its host', () => {
    const found: string[] = [];
    for (const name of readdirSync(MODEL).filter((n) => n.endsWith('.ts'))) {
      code(readFileSync(MODEL + name, 'utf8'))
        .split('\n')
        .forEach((line, i) => {
          if (HOST.test(line)) found.push(`${name}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });

  it('imports only protocol/ and itself', () => {
    const outside: string[] = [];
    for (const [file, targets] of importGraph(ROOT, ['panel/model']).edges) {
      for (const t of targets)
        if (!t.startsWith('panel/model/') && !t.startsWith('protocol/')) outside.push(`${file} → ${t}`);
    }
    expect(outside).toEqual([]);
  });
});
