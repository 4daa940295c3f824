// What the idle path's extra work costs natively, with no extension (issue 16): one more capture
// listener per dispatch (the runtime's observer, injected/observe.ts, on every port before the
// idle path changed), postMessage through a Proxy with an `apply` trap (injected/disguise.ts),
// and the page handler's wrapper reading what counting needs (isTrusted through a cached getter,
// event.ports) before it calls the handler (injected/handlers.ts, the only observer of a port
// with an onmessage since). 5,000 tiny messages port1 → port2, 21 rounds, the variants rotating;
// median µs per message.
//
//   node bench/idle-floor.mjs
import { chromium } from '@playwright/test';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
const page = await b.newPage();
await page.goto('about:blank');
const r = await page.evaluate(async () => {
  const orig = MessagePort.prototype.postMessage;
  const proxied = new Proxy(orig, {
    __proto__: null,
    apply(t, s, a) {
      return Reflect.apply(t, s, a);
    },
  });
  const isTrusted = Function.prototype.call.bind(
    Reflect.getOwnPropertyDescriptor(Event.prototype, 'isTrusted')?.get ??
      Reflect.getOwnPropertyDescriptor(new MessageEvent(''), 'isTrusted').get,
  );
  const ports = Function.prototype.call.bind(Reflect.getOwnPropertyDescriptor(MessageEvent.prototype, 'ports').get);
  let counted = 0;
  const wrap = (f) =>
    function (event, ...rest) {
      if (isTrusted(event) && ports(event).length === 0) counted++;
      return Reflect.apply(f, this, [event, ...rest]);
    };
  async function run(n, { listener, proxy, wrapped }) {
    const c = new MessageChannel();
    if (listener) c.port2.addEventListener('message', () => {}, true);
    let got = 0;
    let done;
    const all = new Promise((r) => (done = r));
    const handler = () => {
      if (++got === n) done();
    };
    c.port2.onmessage = wrapped ? wrap(handler) : handler;
    const post = proxy ? proxied : orig;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) post.call(c.port1, i);
    await all;
    return ((performance.now() - t0) / n) * 1000;
  }
  const modes = {
    plain: {},
    listener: { listener: true },
    proxy: { proxy: true },
    'listener+proxy (idle before)': { listener: true, proxy: true },
    'wrapper+proxy (idle after)': { wrapped: true, proxy: true },
  };
  const out = Object.fromEntries(Object.keys(modes).map((k) => [k, []]));
  const order = Object.entries(modes);
  for (let round = 0; round < 21; round++)
    for (let j = 0; j < order.length; j++) {
      const [k, m] = order[(round + j) % order.length];
      out[k].push(await run(5000, m));
    }
  const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
  globalThis.__counted = counted;
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, med(v).toFixed(2) + ' µs/msg']));
});
console.log(r);
await b.close();
