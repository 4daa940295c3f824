// Writes protocol/wire-layout.ts from the contract's shapes (protocol/wire.ts):
//   node scripts/wire-layout.mjs           write it
//   node scripts/wire-layout.mjs --check   exit 1 when the committed file differs
// Node 20 cannot import TypeScript directly: Vite's module runner loads it.
import { runnerImport } from 'vite';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const target = resolve(root, 'protocol/wire-layout.ts');
const { module } = await runnerImport(resolve(root, 'protocol/wire.ts'), { configFile: false, logLevel: 'warn' });
// In the tree's own format (biome.jsonc), so that formatting the tree leaves it as written.
const text = execFileSync(
  resolve(root, 'node_modules/.bin/biome'),
  ['format', '--stdin-file-path=protocol/wire-layout.ts'],
  {
    input: module.wireLayoutText(),
    encoding: 'utf8',
  },
);

if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    console.error('protocol/wire-layout.ts differs from the shapes: run node scripts/wire-layout.mjs');
    process.exit(1);
  }
  console.log('protocol/wire-layout.ts is up to date');
} else {
  writeFileSync(target, text);
  console.log(`wrote protocol/wire-layout.ts (${text.split('\n').length - 1} lines)`);
}
