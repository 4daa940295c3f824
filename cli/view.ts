/**
 * `portscope view <trace.json>`: serves the built panel app and the trace on loopback and
 * prints the address that opens the trace (`panel/index.html?trace=/trace.json`).
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { panelRoot } from './artefacts.ts';
import { readTrace } from './trace-file.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

export interface Viewer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function view(tracePath: string, port = 0): Promise<Viewer> {
  await readTrace(tracePath); // refuse a bad file here, with the CLI's precise message
  const root = panelRoot();
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://viewer').pathname;
    const file = path === '/trace.json' ? tracePath : join(root, normalize(decodeURIComponent(path)));
    if (file !== tracePath && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/panel/index.html?trace=/trace.json`,
    server,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
