/**
 * A static server for test fixtures and the demo site. Two listeners on different ports give
 * two origins (cross-origin iframes) on loopback. Headers can be set per path with a
 * `?headers=` convention-free API: `server.headers.set('/path', {...})`. A request under
 * `/stall/` is never answered: a parser-blocking `<script src="/stall/x.js">` keeps its document
 * parsing for good, so its DOMContentLoaded never fires (the client message queue tests); closing
 * ends such requests with the server.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css',
  '.png': 'image/png',
};

export interface FixtureServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** A second origin serving the same files (`http://localhost:<port2>`). */
  crossOrigin: string;
  headers: Map<string, Record<string, string>>;
  close(): Promise<void>;
}

export async function serveFixtures(root = 'tests/fixtures'): Promise<FixtureServer> {
  const base = resolve(root);
  const headers = new Map<string, Record<string, string>>();
  const handler = async (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/stall/')) return;
    const path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(base, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        ...(headers.get(url.pathname) ?? {}),
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  };
  const listen = (host: string) =>
    new Promise<Server>((ok) => {
      const s = createServer(handler);
      s.listen(0, host, () => ok(s));
    });
  const a = await listen('127.0.0.1');
  const b = await listen('127.0.0.1');
  const port = (s: Server) => (s.address() as import('node:net').AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port(a)}`,
    crossOrigin: `http://localhost:${port(b)}`,
    headers,
    close: () =>
      Promise.all(
        [a, b].map(
          (s) =>
            new Promise<void>((ok) => {
              s.closeAllConnections();
              s.close(() => ok());
            }),
        ),
      ).then(() => {}),
  };
}
