/**
 * The headless recorder end to end: `portscope record` on the demo site in real Chromium and
 * Firefox ESR, then `summary --json`, `convert --perfetto` and `view` on what it wrote, plus
 * the Playwright fixture. Runs the built CLI (cli/bin.mjs → $PORTSCOPE_DIST/cli/main.mjs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { launchChromium } from '../support/chromium.ts';
import { chromeTraceProblems } from '../node/cli/chrome-trace-check.ts';
import type { Summary } from '../../protocol/summary.ts';

const BIN = resolve('cli/bin.mjs');
const env = { ...process.env, CI: 'true', PORTSCOPE_DIST: resolve(process.env.PORTSCOPE_DIST ?? 'dist') };
const dir = mkdtempSync(join(tmpdir(), 'portscope-cli-browser-'));
let server: FixtureServer;

function cli(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((ok) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv }, timeout: 90_000 }, (error, out, err) => {
      ok({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out, err });
    });
  });
}

/** A port nobody listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', () => ok()));
  const { port } = s.address() as import('node:net').AddressInfo;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

/**
 * The demo's graph without run-specific ids: contexts by kind, ports as their observable state.
 * tests/fixtures/demo: main⇄iframe (2 pings, 2 pongs), main⇄worker (1 echo each way), and a
 * never-started port with 3 messages waiting.
 */
function shape(s: Summary) {
  const kindOf = new Map(s.contexts.map((c) => [c.id, c.kind]));
  return {
    contexts: s.contexts
      .map((c) => `${c.kind} ${URL.canParse(c.url) ? new URL(c.url).pathname : c.url} observed=${c.observed}`)
      .sort(),
    channels: s.channels,
    ports: s.ports
      .map(
        (p) =>
          `${kindOf.get(p.context)} enabled=${p.enabled} shipped=${p.shipped} closed=${p.closed} queued=${p.queued} posted=${p.posted} delivered=${p.delivered} dropped=${p.dropped}`,
      )
      .sort(),
    // `summary --json` (version 1) carries `unobserved` in `messages`; the model's Summary beside it.
    messages: { ...s.messages, unobserved: (s.messages as { unobserved?: number }).unobserved ?? s.unobserved ?? 0 },
    transfers: s.transfers.map((t) => `${kindOf.get(t.from)}→${kindOf.get(t.to)}`).sort(),
    diagnostics: s.diagnostics
      .map((d) => `${d.code} ${d.port ? kindOf.get(s.ports.find((p) => p.id === d.port)!.context) : '-'}`)
      .sort(),
  };
}

const EXPECTED_DEMO = {
  contexts: [
    'iframe /demo/child.html observed=true',
    'window /demo/ observed=true',
    'worker /demo/worker.js observed=false',
  ],
  channels: 3,
  ports: [
    'iframe enabled=true shipped=true closed=false queued=0 posted=2 delivered=2 dropped=0',
    'window enabled=false shipped=false closed=false queued=0 posted=3 delivered=0 dropped=0',
    'window enabled=false shipped=false closed=false queued=3 posted=0 delivered=0 dropped=0',
    'window enabled=true shipped=false closed=false queued=0 posted=1 delivered=1 dropped=0',
    'window enabled=true shipped=false closed=false queued=0 posted=2 delivered=2 dropped=0',
    // Not observed (no in-worker runtime): its start and the echo's dispatch cannot be seen;
    // the echo back is known from its dispatch at the window, so it counts as posted here.
    'worker enabled=false shipped=true closed=false queued=0 posted=1 delivered=0 dropped=0',
  ],
  // The echo into the unobserved worker is neither delivered nor queued as far as anyone can see.
  messages: { posted: 9, delivered: 5, queued: 3, dropped: 0, unobserved: 1 },
  transfers: ['window→iframe', 'window→worker'],
  diagnostics: ['port-never-started window'],
};

/**
 * The same demo recorded by `portscope record` in Chromium: the worker is seen from inside from
 * its first line (cli/workers.ts), so it is observed, its port was started and the echo into it
 * was delivered.
 */
const EXPECTED_DEMO_INSIDE_WORKER = {
  ...EXPECTED_DEMO,
  contexts: [
    'iframe /demo/child.html observed=true',
    'window /demo/ observed=true',
    'worker /demo/worker.js observed=true',
  ],
  ports: [
    ...EXPECTED_DEMO.ports.slice(0, -1),
    'worker enabled=true shipped=true closed=false queued=0 posted=1 delivered=1 dropped=0',
  ],
  messages: { posted: 9, delivered: 6, queued: 3, dropped: 0, unobserved: 0 },
};

beforeAll(async () => {
  server = await serveFixtures();
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('portscope record → summary → convert → view (Chromium)', () => {
  const trace = join(dir, 'demo-chromium.json');

  it('records the demo site and prints a one-line summary', async () => {
    const r = await cli(['record', `${server.origin}/demo/`, '--out', trace, '--duration', '1500']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.out).toMatch(
      /^recorded \d+ facts from 3 contexts: 3 channels, 6 ports, 9 messages \(3 still queued\), 1 diagnostic → /,
    );
    const file = JSON.parse(readFileSync(trace, 'utf8'));
    expect(file.format).toBe('portscope-trace');
    expect(file.meta.browser).toMatch(/^Chromium \d+/);
    expect(file.meta.url).toBe(`${server.origin}/demo/`);
  });

  it('summary --json gives exactly the demo graph', async () => {
    const r = await cli(['summary', trace, '--json']);
    expect(r.code).toBe(0);
    expect(shape(JSON.parse(r.out))).toEqual(EXPECTED_DEMO_INSIDE_WORKER);
  });

  it('convert --perfetto writes a structurally sound trace-event file', async () => {
    const out = join(dir, 'demo-perfetto.json');
    const r = await cli(['convert', trace, '--perfetto', out]);
    expect(r.code).toBe(0);
    const chrome = JSON.parse(readFileSync(out, 'utf8'));
    expect(chromeTraceProblems(chrome)).toEqual([]);
    // The 4 ping/pong messages pair up; the worker's side is not observed, so its messages have no
    // flow. An arrow that clock skew between the two windows would point back in time is left out, and counted.
    const flows = chrome.traceEvents.filter((e: { ph: string }) => e.ph === 's').length;
    expect(flows + Number(chrome.otherData.flowsLeftOutForClockSkew ?? 0)).toBeGreaterThanOrEqual(4);
    expect(chrome.traceEvents.filter((e: { name: string }) => e.name === 'process_name')).toHaveLength(3);
  });

  it('view serves the panel app and the trace on loopback', async () => {
    const child = spawn(process.execPath, [BIN, 'view', trace], { env });
    try {
      const line = await new Promise<string>((ok, fail) => {
        let buf = '';
        child.stdout.on('data', (d) => {
          buf += d;
          if (buf.includes('\n')) ok(buf);
        });
        child.once('exit', (code) => fail(new Error(`view exited ${code}`)));
      });
      const url = /serving the Portscope viewer at (\S+)/.exec(line)![1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/panel\/index\.html\?trace=\/trace\.json$/);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      const served = await fetch(new URL('/trace.json', url));
      expect(await served.text()).toBe(readFileSync(trace, 'utf8'));
      expect((await fetch(new URL('/../../etc/passwd', url))).status).not.toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('portscope record: clear errors', () => {
  it('an unreachable URL', async () => {
    const r = await cli([
      'record',
      `http://127.0.0.1:${await closedPort()}/`,
      '--out',
      join(dir, 'x.json'),
      '--duration',
      '100',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^portscope: cannot load http:\/\/127\.0\.0\.1:\d+\/: net::ERR_CONNECTION_REFUSED/);
  });

  it('a missing browser', async () => {
    const r = await cli(['record', `${server.origin}/demo/`, '--out', join(dir, 'x.json')], {
      PORTSCOPE_CHROMIUM: '/nonexistent/chromium',
    });
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'portscope: chromium not found (tried /nonexistent/chromium): install it (apt-get install -y chromium) or set PORTSCOPE_CHROMIUM to its executable\n',
    );
  });

  it('a page that crashes (the crash watch of the recorder on a real renderer crash, in process)', async () => {
    const { watchCrash } = await import('../../cli/drive-chromium.ts');
    const browser = await launchChromium({ extension: false });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.origin}/demo/`);
      const crashed = watchCrash(page);
      const cdp = await browser.context.newCDPSession(page);
      void cdp.send('Page.crash').catch(() => {});
      const outcome = await crashed.catch((e: Error) => e);
      expect((outcome as Error).name).toBe('PortscopeCliError');
      expect((outcome as Error).message).toBe(`the page crashed while recording (${server.origin}/demo/)`);
    } finally {
      await browser.close();
    }
  });
});

describe('portscope record --browser firefox', () => {
  it('records the same demo graph in Firefox ESR', async () => {
    const trace = join(dir, 'demo-firefox.json');
    const r = await cli([
      'record',
      `${server.origin}/demo/`,
      '--out',
      trace,
      '--duration',
      '1500',
      '--browser',
      'firefox',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(trace, 'utf8')).meta.browser).toMatch(/^Firefox \d+/);
    const s = await cli(['summary', trace, '--json']);
    expect(shape(JSON.parse(s.out))).toEqual(EXPECTED_DEMO);
  });
});

describe('the Playwright fixture (portscope/playwright)', () => {
  it('records a page and returns the summary view', async () => {
    process.env.PORTSCOPE_DIST = env.PORTSCOPE_DIST;
    const { createPortscope } = await import('../../cli/playwright-fixture.mjs' as string);
    const browser = await launchChromium({ extension: false });
    try {
      const page = await browser.context.newPage();
      const portscope = createPortscope(browser.context);
      await portscope.attach(page);
      await page.goto(`${server.origin}/demo/`);
      await page.waitForFunction(() => document.getElementById('log')!.textContent!.split('\n').length > 3);
      const trace = await portscope.trace();
      expect(trace.diagnostics.map((d: { code: string }) => d.code)).toEqual(['port-never-started']);
      expect(shape(trace)).toEqual(EXPECTED_DEMO);
      await expect(portscope.attach(page)).rejects.toThrow(/was loaded before Portscope was attached/);
    } finally {
      await browser.close();
    }
  });
});
