// `portscope`: createPortscope(context) for any runner that drives Playwright (cli/fixture.ts),
// without Playwright Test. Loaded from the build (<dist>/cli/fixture.mjs; PORTSCOPE_DIST names
// another build folder).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = resolve(process.env.PORTSCOPE_DIST ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist'));
const entry = join(dist, 'cli', 'fixture.mjs');
if (!existsSync(entry)) throw new Error(`portscope is not built (${entry} is missing): run \`npm run build\` first`);
process.env.PORTSCOPE_DIST ??= dist;

export const { createPortscope } = await import(pathToFileURL(entry).href);
