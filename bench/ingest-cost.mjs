// What the receiving sides spend per recorded fact, in Node (V8, as in Chromium's service worker
// and extension pages), for batches of 500 facts shaped like the bench workloads'
// (bench/fact-batches.mjs), encoded by the runtime's own encoder:
// - "decode + validate": a relay's `json-batch` message through validateContentToBackground (the
//   background's first step: the runtime's text parsed, decoded and every fact checked);
// - "background": the same message through the router (extension/router.ts: validation, who may
//   speak for which context, the fact numbers, the tab log, the message to a subscribed panel),
//   the panel's port a stand-in that keeps what it is given (Chrome's own send is not measured);
// - "panel": receiveBackgroundToPanel of that message (a JSON copy, as the port delivers it:
//   what panel/source/extensionPort.ts does before the model sees a fact: a text chunk decoded
//   and checked); validateBackgroundToPanel for a checkout from before text chunks.
// CPU time of this process (process.cpuUsage, the garbage collector's threads included), median
// of N interleaved rounds; with the flags of the second form, the bytes allocated per fact instead
// (heap growth over a stretch with no garbage collection; "–" where a collection happened anyway).
// The CPU figures are for Node's default young generation: a larger one collects less often and
// hides the cost of garbage, so the two are separate runs.
//
//   node bench/ingest-cost.mjs [--src DIR]... [--rounds N] [--only tiny|1kb|fanout]
//   node --expose-gc --max-semi-space-size=128 bench/ingest-cost.mjs [--src DIR]... [--only …]
//
// --src bundles another checkout (`git archive <commit> | tar -x -C DIR`); given several times
// (this checkout is `.`), their rounds are interleaved. Figures are printed, never asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { bundleForNode, loadFrom, parseSourceArgs } from './bundle.mjs';
import { batch } from './fact-batches.mjs';

/** With --expose-gc: bytes allocated instead of CPU time (see above). */
const measuresAllocation = typeof globalThis.gc === 'function';

const BATCHES = 8;
const ORIGIN = 'chrome-extension://bench/';
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

async function load(src, i) {
  const out = mkdtempSync(join(tmpdir(), `portscope-ingest-cost-${i}-`));
  await bundleForNode(out, {
    batch: join(src, 'injected/batch-json.ts'),
    preview: join(src, 'injected/preview.ts'),
    validate: join(src, 'protocol/validate.ts'),
    router: join(src, 'extension/router.ts'),
  });
  const load = loadFrom(out);
  const { encodeBatch } = await load('batch');
  const { describe, fingerprint } = await load('preview');
  const validate = await load('validate');
  const { validateContentToBackground } = validate;
  // What the panel runs on a background message: a checkout from before text chunks only validates.
  const validateBackgroundToPanel = validate.receiveBackgroundToPanel ?? validate.validateBackgroundToPanel;
  const { Router } = await load('router');
  return {
    src,
    out,
    encodeBatch,
    describe,
    fingerprint,
    validateContentToBackground,
    validateBackgroundToPanel,
    Router,
  };
}

/** A port that hands the router what the other side sends and keeps the last message the router sent. */
function port(name, sender) {
  const listeners = [];
  return {
    name,
    sender,
    last: undefined,
    postMessage(m) {
      this.last = m;
    },
    disconnect() {},
    onMessage: { addListener: (l) => listeners.push(l) },
    onDisconnect: { addListener() {} },
    receive(m) {
      for (const l of listeners) l(m);
    },
  };
}

/** A router with a relay that said hello for tab 1's top document and a panel subscribed to the tab. */
function routed(m) {
  const router = new m.Router({ extensionOrigin: ORIGIN, statusIntervalMs: 1e9, resync() {}, persist() {} });
  const relay = port('portscope-content', { tab: { id: 1 }, frameId: 0, url: 'https://page.test/' });
  router.connectContent(relay);
  relay.receive({
    type: 'hello',
    relay: 'r',
    session: null,
    url: 'https://page.test/',
    top: true,
    lastSeq: 0,
    firstRetained: 1,
  });
  const panel = port('portscope-panel', { url: `${ORIGIN}panel/index.html` });
  router.connectPanel(panel);
  panel.receive({ type: 'subscribe', tabId: 1 });
  return { relay, panel, seq: 0 };
}

/** The relay's message for text `t`, as the port delivers it: a fresh object each time. */
const message = (seq, t) => ({ type: 'json-batch', seq, json: [{ json: t.json, count: 500 }] });

/** Runs `once` `reps` times; bytes allocated per fact, or null when a collection happened meanwhile. */
async function allocated(once, reps) {
  const seen = [];
  const obs = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  obs.observe({ entryTypes: ['gc'] });
  globalThis.gc();
  await new Promise((ok) => setTimeout(ok, 0));
  seen.length = 0;
  const before = process.memoryUsage().heapUsed;
  const kept = [];
  for (let r = 0; r < reps; r++) kept.push(once(r));
  const after = process.memoryUsage().heapUsed;
  await new Promise((ok) => setTimeout(ok, 0));
  obs.disconnect();
  return seen.length ? null : (after - before) / (reps * 500);
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--only');
  const only = at < 0 ? undefined : args.splice(at, 2)[1];
  if (only !== undefined && !['tiny', '1kb', 'fanout'].includes(only)) throw new Error('--only: tiny, 1kb or fanout');
  const opts = { ...parseSourceArgs(args, 9), only };
  const impls = [];
  try {
    for (const [i, src] of opts.srcs.entries()) impls.push(await load(src, i));
    console.log(
      measuresAllocation
        ? 'Bytes allocated per fact, batches of 500\n'
        : `CPU time per fact, µs, median (min) of ${opts.rounds} interleaved rounds, batches of 500\n`,
    );
    console.log(`| Workload | Step | ${impls.map((m) => m.src).join(' | ')} |`);
    console.log(`|---|---|${impls.map(() => '---|').join('')}`);
    for (const kind of opts.only ? [opts.only] : ['tiny', '1kb', 'fanout']) {
      // Every implementation gets the same facts, encoded by its own encoder.
      const facts = Array.from({ length: BATCHES }, (_, b) => batch(impls[0], kind, 250 * b, 5 * b));
      const texts = impls.map((m) => facts.map((f) => m.encodeBatch(f)));
      const routers = impls.map((m) => routed(m));
      const toPanel = impls.map((m, k) => {
        const r = routed(m);
        for (const t of texts[k]) r.relay.receive(message(++r.seq, t));
        return JSON.stringify(r.panel.last);
      });
      const reps = kind === '1kb' ? 40 : 120;
      const steps = [
        ['decode + validate', (m, k, r) => m.validateContentToBackground(message(1, texts[k][r % BATCHES]))],
        [
          'background (router)',
          (_m, k) => {
            const r = routers[k];
            r.relay.receive(message(++r.seq, texts[k][r.seq % BATCHES]));
            return r.panel.last;
          },
        ],
        ['panel (receiveBackgroundToPanel)', (m, _k, r, copies) => m.validateBackgroundToPanel(copies[r])],
      ];
      for (const [step, once] of steps) {
        const copies = (k) =>
          step.startsWith('panel') ? Array.from({ length: reps }, () => JSON.parse(toPanel[k])) : [];
        for (const [k, m] of impls.entries()) {
          const c = copies(k);
          for (let r = 0; r < reps; r++) once(m, k, r, c);
        }
        if (measuresAllocation) {
          const bytes = [];
          for (const [k, m] of impls.entries()) {
            const c = copies(k);
            bytes.push(await allocated((r) => once(m, k, r, c), kind === '1kb' ? 8 : 20));
          }
          console.log(
            `| ${kind} | ${step}: bytes | ${bytes.map((b) => (b === null ? '–' : b.toFixed(0))).join(' | ')} |`,
          );
          continue;
        }
        const rounds = impls.map(() => []);
        for (let round = 0; round < opts.rounds; round++)
          for (const [k, m] of impls.entries()) {
            const c = copies(k);
            const t0 = cpuUs();
            for (let r = 0; r < reps; r++) once(m, k, r, c);
            rounds[k].push((cpuUs() - t0) / (reps * 500));
          }
        console.log(
          `| ${kind} | ${step}: µs | ${rounds.map((xs) => `${median(xs).toFixed(3)} (${Math.min(...xs).toFixed(3)})`).join(' | ')} |`,
        );
      }
    }
  } finally {
    for (const m of impls) rmSync(m.out, { recursive: true, force: true });
  }
}

// The routers' status timers would keep the process alive.
main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
