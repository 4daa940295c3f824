/**
 * Where the built artefacts are: the runtime bundle the recorder injects and the panel app
 * the viewer serves. The built CLI lives in `<dist>/cli/`, so its parent is the build;
 * PORTSCOPE_DIST names another build (parallel work, tests running from source).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PortscopeCliError } from './errors.ts';

export function distDir(): string {
  if (process.env.PORTSCOPE_DIST) return resolve(process.env.PORTSCOPE_DIST);
  return resolve(dirname(fileURLToPath(import.meta.url)), '..');
}

function built(relative: string, what: string): string {
  const path = join(distDir(), relative);
  if (!existsSync(path)) throw new PortscopeCliError(`${what} is missing (${path}): run \`npm run build\` first`);
  return path;
}

export const runtimeBundle = () => built('portscope-injected.js', 'the Portscope runtime bundle');
export const panelRoot = () => dirname(dirname(built('chrome/panel/index.html', 'the built panel app')));
