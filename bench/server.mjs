// The benchmark's own static server. Every response is cross-origin isolated (COOP + COEP) so
// performance.now() has its fine resolution (5 µs instead of 100 µs): worker round trips are
// well under a millisecond. Serves bench/fixtures at `/`, the demo site at `/demo/`, and
// `/eval.html?bundle=standalone|extension`, which inlines a build of the runtime between two
// clock readings: the standalone bundle (minified, what the recorder injects) or the
// extension's MAIN-world content script (as built for Chrome).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.json': 'application/json',
};
const ISOLATED = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cache-control': 'no-store',
};

/** Roots are resolved from the repository root (the cwd of `npm run bench`). */
export async function serveBench({ dist }) {
  const bundles = {
    standalone: join(dist, 'portscope-injected.js'),
    extension: join(dist, 'chrome/injected/main.iife.js'),
  };
  const roots = [
    ['/demo/', resolve('tests/fixtures/demo')],
    ['/', resolve('bench/fixtures')],
  ];
  let evalLoads = 0;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://bench');
    if (url.pathname === '/eval.html') {
      // A unique comment per load defeats V8's in-memory compilation cache: every load is a cold
      // compile, as on a first visit.
      const which = url.searchParams.get('bundle') ?? 'standalone';
      if (!Object.hasOwn(bundles, which)) {
        res
          .writeHead(400, { 'content-type': 'text/plain' })
          .end(`bundle: expected standalone or extension, got ${which}`);
        return;
      }
      const source = await readFile(bundles[which], 'utf8');
      // `run=0` parses and compiles the bundle without running it: the install cost is the difference.
      const bundle = url.searchParams.get('run') === '0' ? `if (globalThis.__never) {\n${source}\n}` : source;
      const body = evalPage(`${bundle}\n//# load ${++evalLoads}`);
      res.writeHead(200, { 'content-type': TYPES['.html'], ...ISOLATED }).end(body);
      return;
    }
    const [prefix, base] = roots.find(([p]) => url.pathname.startsWith(p));
    const rel = normalize(decodeURIComponent(url.pathname.slice(prefix.length - 1))).replace(/^(\.\.[/\\])+/, '');
    const file = join(base, rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...ISOLATED }).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

// The runtime installs into the global it runs in; a no-op sink makes it take its full install
// path (it captures and deletes `__portscopeEmit`). The bundle is our own build, never page data.
function evalPage(bundle) {
  const safe = bundle.replace(/<\/script/gi, '<\\/script');
  return `<!doctype html><meta charset="utf-8"><title>eval</title>
<script>globalThis.__portscopeEmit = function () {}; window.__evalStart = performance.now();</script>
<script>${safe}</script>
<script>window.__evalMs = performance.now() - window.__evalStart;</script>`;
}
