// Writes protocol/trace.schema.json from the contract's shapes (protocol/schema.ts):
//   node scripts/schema.mjs           write it
//   node scripts/schema.mjs --check   exit 1 when the committed file differs
// Node 20 cannot import TypeScript directly: Vite's module runner loads it.
import { runnerImport } from 'vite';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const target = resolve(root, 'protocol/trace.schema.json');
const { module } = await runnerImport(resolve(root, 'protocol/schema.ts'), { configFile: false, logLevel: 'warn' });
const text = module.traceSchemaText();

if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    console.error('protocol/trace.schema.json differs from the shapes: run node scripts/schema.mjs');
    process.exit(1);
  }
  console.log('protocol/trace.schema.json is up to date');
} else {
  writeFileSync(target, text);
  console.log(`wrote protocol/trace.schema.json (${text.split('\n').length - 1} lines)`);
}
