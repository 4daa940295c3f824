// Where the idle path's time goes (issue 16): a CPU profile (CDP Profiler, 50 µs sampling) of the
// page while nobody watches its tab (the runtime counts), for the tiny-message throughput and the
// 200-port fan-out (its channels made, handed to the worker and closed included, since the
// browser-wide CPU of bench/ab-idle.mjs counts them too), next to the same workloads in a page
// with no extension. Also the fan-out's request loop alone (`fan-out-requests`: the 200 channels
// made and handed over before the profile starts, as the bench times only the requests), the 16 MB
// transfer round trips (`big-transfer`), the worker round trip (`worker`), and the halves of a
// request to a worker and of a transfer, one at a time (`parts-post`, `parts-dispatch`,
// `parts-post-transfer`, `parts-dispatch-transfer`), and the Worker object as the carrier
// (`parts-worker-post`, `parts-worker-message`). Per workload: total sampled, self time per Portscope function, and the time
// spent *under* each Portscope entry point (its callees included: the native postMessage called
// by the runtime's wrapper, the page handler called by its wrapper), which self time cannot show.
//
//   PORTSCOPE_DIST=.tmp/dist-x PORTSCOPE_MINIFY=0 node scripts/build.mjs
//   node bench/idle-profile.mjs .tmp/dist-x [repetitions=5] [workload]   (only the workloads whose name contains it)
import { resolve } from 'node:path';
import { launchWithPage } from './chromium.mjs';
import { partsSetUp } from './parts-worker.mjs';
import { serveBench } from './server.mjs';

const [dist, repsArg = '5', only = ''] = process.argv.slice(2);
const reps = Number(repsArg);
if (!dist || !(reps > 0)) {
  console.error('usage: node bench/idle-profile.mjs <dist> [repetitions]');
  process.exit(2);
}
const server = await serveBench({ dist: resolve(dist) });

const ALL_WORKLOADS = {
  tiny: () => globalThis.benchWorkloads.channelThroughput('tiny', 20_000),
  'fan-out': () => globalThis.benchWorkloads.fanOut(200, 4_000),
  'fan-out-requests': {
    // What bench/fixtures/workload.js fanOut times, on channels made before the profile starts.
    setup: async () => {
      const worker = new Worker('rpc-worker.js');
      const channels = Array.from({ length: 200 }, () => new MessageChannel());
      worker.postMessage(
        'serve',
        channels.map((c) => c.port2),
      );
      await new Promise((ok) => {
        worker.onmessage = ok;
      });
      globalThis.fanOutState = { worker, channels };
    },
    run: async () => {
      const { channels } = globalThis.fanOutState;
      const requests = 4_000;
      let sent = 0;
      let answered = 0;
      await new Promise((done) => {
        for (const { port1 } of channels) {
          port1.onmessage = (e) => {
            if (e.data.result !== e.data.id + 1) throw new Error('wrong reply');
            if (++answered === requests) done();
            else if (sent < requests) port1.postMessage({ id: sent, method: 'add', args: [sent++, 1] });
          };
        }
        for (const { port1 } of channels)
          if (sent < requests) port1.postMessage({ id: sent, method: 'add', args: [sent++, 1] });
      });
    },
  },
  'big-transfer': () => globalThis.benchWorkloads.bigTransfer(16, 50),
  worker: () => globalThis.benchWorkloads.workerEcho(1_000, 50),
  // The halves of a request to a worker and of a transfer to and from one, without the 16 MB
  // buffers' garbage collections (bench/idle-parts.mjs times the same): 10,000 posts to a port
  // whose peer is in a worker (a request object, or a fresh 8-byte buffer transferred), and
  // 10,000 messages from the worker (a reply object, or such a buffer).
  'parts-post': {
    setup: partsSetUp,
    run: () => {
      const port = globalThis.partsState.sink;
      for (let i = 0; i < 10_000; i++) port.postMessage({ id: i, method: 'add', args: [i, 1] });
    },
  },
  'parts-dispatch': {
    setup: partsSetUp,
    run: () =>
      new Promise((done) => {
        const port = globalThis.partsState.answer;
        let got = 0;
        port.onmessage = () => {
          if (++got === 10_000) done();
        };
        port.postMessage({ n: 10_000, transfer: false });
      }),
  },
  // The Worker object as the carrier: 10,000 `worker.postMessage` calls, and 10,000 messages
  // from the worker's global to `worker.onmessage`.
  'parts-worker-post': {
    setup: partsSetUp,
    run: () => {
      const { worker } = globalThis.partsState;
      for (let i = 0; i < 10_000; i++) worker.postMessage('drop');
    },
  },
  'parts-worker-message': {
    setup: partsSetUp,
    run: () =>
      new Promise((done) => {
        const { worker } = globalThis.partsState;
        let got = 0;
        worker.onmessage = () => {
          if (++got === 10_000) done();
        };
        worker.postMessage({ carrier: 10_000 });
      }),
  },
  'parts-post-transfer': {
    setup: partsSetUp,
    run: () => {
      const port = globalThis.partsState.sink;
      for (let i = 0; i < 10_000; i++) {
        const b = new ArrayBuffer(8);
        port.postMessage(b, [b]);
      }
    },
  },
  'parts-dispatch-transfer': {
    setup: partsSetUp,
    run: () =>
      new Promise((done) => {
        const port = globalThis.partsState.answer;
        let got = 0;
        port.onmessage = () => {
          if (++got === 10_000) done();
        };
        port.postMessage({ n: 10_000, transfer: true });
      }),
  },
};

const WORKLOADS = Object.fromEntries(Object.entries(ALL_WORKLOADS).filter(([name]) => name.includes(only)));

/** Self and inclusive time per function (inclusive counted once per sample even under recursion). */
function analyse(profile, isOurs) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => {
    const { functionName, url, lineNumber } = n.callFrame;
    const file = url.replace(/^.*\//, '').replace(/\?.*$/, '');
    return `${functionName || '(anonymous)'}${url ? ` ${file}:${lineNumber + 1}` : ''}`;
  };
  const self = new Map();
  const inclusive = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    total += dt;
    let node = byId.get(profile.samples[i]);
    const own = name(node);
    self.set(own, (self.get(own) ?? 0) + dt);
    const seen = new Set();
    for (; node; node = byId.get(parent.get(node.id))) {
      if (!isOurs(node.callFrame.url)) continue;
      const k = name(node);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
  // Who calls the functions the native page does not run: the parent frames of each sample, by self name.
  const callers = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    const node = byId.get(profile.samples[i]);
    const p = byId.get(parent.get(node.id));
    const key = `${name(node)}  <-  ${p ? name(p) : '(root)'}`;
    callers.set(key, (callers.get(key) ?? 0) + dt);
  }
  // Functions V8 gave up optimizing (or deoptimized), as the profile's nodes say.
  const deopts = new Map();
  for (const n of profile.nodes) if (n.deoptReason) deopts.set(`${name(n)}: ${n.deoptReason}`, true);
  return { total, self, inclusive, callers, deopts: [...deopts.keys()] };
}

const ms = (us) => (us / 1000).toFixed(2);
const top = (map, filter, n) =>
  [...map]
    .filter(([k]) => filter(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);

const native = await launchWithPage(undefined, { prefix: 'ps-idle-profile-' });
const idle = await launchWithPage(resolve(dist, 'test/chrome'), { prefix: 'ps-idle-profile-' });
const isExt = (url) => url.startsWith('chrome-extension://');
for (const [w, workload] of Object.entries(WORKLOADS)) {
  const run = typeof workload === 'function' ? workload : workload.run;
  const totals = {};
  for (const [mode, b] of [
    ['native', native],
    ['idle', idle],
  ]) {
    await b.page.goto(`${server.origin}/index.html?w=${w}`);
    await b.page.waitForTimeout(300);
    if (typeof workload !== 'function') await b.page.evaluate(workload.setup);
    await b.page.evaluate(run); // warm-up
    const cdp = await b.context.newCDPSession(b.page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Profiler.start');
    for (let k = 0; k < reps; k++) await b.page.evaluate(run);
    const { profile } = await cdp.send('Profiler.stop');
    await cdp.detach();
    const a = analyse(profile, isExt);
    totals[mode] = a;
    if (mode === 'native') continue;
    const busy = (m) => m.total - (m.self.get('(idle)') ?? 0) - (m.self.get('(program)') ?? 0);
    console.log(
      `\n## ${w} × ${reps}: sampled ${ms(totals.native.total)} ms native, ${ms(a.total)} ms idle; ` +
        `busy (not idle/program) ${ms(busy(totals.native))} vs ${ms(busy(a))} ms`,
    );
    const ours = (k) => / main\.iife\.js:/.test(k);
    console.log('self time, Portscope functions (ms):');
    for (const [k, v] of top(a.self, ours, 14)) console.log(`  ${ms(v).padStart(8)}  ${k}`);
    console.log('inclusive time under Portscope functions (ms):');
    for (const [k, v] of top(a.inclusive, () => true, 30)) console.log(`  ${ms(v).padStart(8)}  ${k}`);
    if (a.deopts.length) console.log(`deoptimized or not optimized: ${a.deopts.join('; ')}`);
    console.log('top self time with its caller, idle (ms):');
    for (const [k, v] of top(a.callers, (k) => !k.startsWith('(idle)') && !k.startsWith('(program)'), 16))
      console.log(`  ${ms(v).padStart(8)}  ${k}`);
    console.log('top self time overall, native | idle (ms):');
    const tn = top(totals.native.self, () => true, 10);
    const ti = top(a.self, () => true, 10);
    for (let i = 0; i < 10; i++)
      console.log(
        `  ${(tn[i] ? `${ms(tn[i][1])}  ${tn[i][0]}` : '').padEnd(50)} | ${ti[i] ? `${ms(ti[i][1])}  ${ti[i][0]}` : ''}`,
      );
  }
}
await native.close();
await idle.close();
await server.close();
