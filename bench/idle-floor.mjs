// What the idle path's extra work costs natively, with no extension (issue 16): one more capture
// listener per dispatch (the runtime's observer, injected/observe.ts, on every port before the
// idle path changed), postMessage through a Proxy with an `apply` trap (injected/disguise.ts),
// and the page handler's wrapper reading what counting needs before it calls the handler
// (injected/handlers.ts): `isTrusted` through the captured getter's bound call or read directly
// (it is an own, unforgeable property), `event.ports` through its getter, or nothing (step 2:
// ports read only when the posts cannot prove there are none). 5,000 tiny messages port1 → port2
// per run, 21 rounds, the variants rotating; per variant the median over rounds of the page's
// wall time and of its main thread's CPU time (CDP Performance metrics, `ThreadTime` in thread
// ticks), in µs per message. On a loaded machine trust the CPU column.
//
//   node bench/idle-floor.mjs
import { chromium } from '@playwright/test';

const b = await chromium.launch({
  executablePath: process.env.PORTSCOPE_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
});
const page = await b.newPage();
await page.goto('about:blank');
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
const threadTime = async () =>
  (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value;

await page.evaluate(() => {
  const R = Reflect;
  const apply = R.apply;
  const uncurry = (fn) => apply(Function.prototype.bind, Function.prototype.call, [fn]);
  const orig = MessagePort.prototype.postMessage;
  const proxied = new Proxy(orig, {
    __proto__: null,
    apply(t, s, a) {
      return apply(t, s, a);
    },
  });
  const isTrusted = uncurry(R.getOwnPropertyDescriptor(new MessageEvent(''), 'isTrusted').get);
  const ports = uncurry(R.getOwnPropertyDescriptor(MessageEvent.prototype, 'ports').get);
  // The count is kept on the page (globalThis) so the reads are not optimized away.
  globalThis.floorCounted = 0;
  const wrap = (read) => (f) =>
    function (...args) {
      if (read(args[0])) globalThis.floorCounted++;
      return apply(f, this, args);
    };
  const variants = {
    plain: {},
    listener: { listener: true },
    proxy: { proxy: true },
    'listener+proxy (idle, issue 16 start)': { listener: true, proxy: true },
    'wrapper: bound isTrusted + ports, proxy (idle, step 1)': {
      wrap: wrap((e) => isTrusted(e) && ports(e).length === 0),
      proxy: true,
    },
    'wrapper: direct isTrusted, no ports, proxy (idle, step 2)': { wrap: wrap((e) => e.isTrusted), proxy: true },
    'wrapper: direct isTrusted + ports, proxy (step 2, ports unproven)': {
      wrap: wrap((e) => e.isTrusted && ports(e).length === 0),
      proxy: true,
    },
  };
  globalThis.floorVariants = Object.keys(variants);
  globalThis.floorRun = async (name, n) => {
    const { listener, proxy, wrap: w } = variants[name];
    const c = new MessageChannel();
    if (listener) c.port2.addEventListener('message', () => {}, true);
    let got = 0;
    let done;
    const all = new Promise((r) => (done = r));
    const handler = () => {
      if (++got === n) done();
    };
    c.port2.onmessage = w ? w(handler) : handler;
    const post = proxy ? proxied : orig;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) post.call(c.port1, i);
    await all;
    const ms = performance.now() - t0;
    c.port1.close();
    return ms;
  };
});

const N = 5000;
const names = await page.evaluate(() => globalThis.floorVariants);
const wall = Object.fromEntries(names.map((k) => [k, []]));
const cpu = Object.fromEntries(names.map((k) => [k, []]));
for (let round = 0; round < 21; round++)
  for (let j = 0; j < names.length; j++) {
    const k = names[(round + j) % names.length];
    const before = await threadTime();
    const ms = await page.evaluate(([name, n]) => globalThis.floorRun(name, n), [k, N]);
    cpu[k].push((((await threadTime()) - before) * 1e6) / N);
    wall[k].push((ms * 1000) / N);
  }
const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
const plus = (x, base) => `${x.toFixed(2)} (${x >= base ? '+' : ''}${(x - base).toFixed(2)})`;
console.log('| variant | page wall, µs/msg | page thread CPU, µs/msg |');
console.log('|---|---|---|');
for (const k of names)
  console.log(`| ${k} | ${plus(med(wall[k]), med(wall.plain))} | ${plus(med(cpu[k]), med(cpu.plain))} |`);
await b.close();
