#!/usr/bin/env node
// The `portscope` command. Node cannot run the TypeScript sources, so this loads the build
// (`npm run build` writes <dist>/cli/main.mjs; PORTSCOPE_DIST names another build folder).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = resolve(process.env.PORTSCOPE_DIST ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist'));
const entry = join(dist, 'cli', 'main.mjs');
if (!existsSync(entry)) {
  process.stderr.write(`portscope: the CLI is not built (${entry} is missing): run \`npm run build\` first\n`);
  process.exit(2);
}
process.env.PORTSCOPE_DIST = dist;
const { main } = await import(pathToFileURL(entry).href);
const tty = process.stderr.isTTY && !process.env.CI;
let progressShown = false;
const io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${progressShown ? '\n' : ''}${text}\n`),
  progress: tty
    ? (line) => {
        progressShown = true;
        process.stderr.write(`\r\x1b[2K${line}`);
      }
    : undefined,
};
const out = io.out;
io.out = (text) => {
  if (progressShown) {
    process.stderr.write('\r\x1b[2K');
    progressShown = false;
  }
  out(text);
};
process.exitCode = await main(process.argv.slice(2), io);
