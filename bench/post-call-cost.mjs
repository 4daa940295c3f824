// What the page's own MessagePort postMessage costs by the way it is called: directly, through
// Reflect.apply (as the runtime calls the native), and through a Proxy apply trap that finds its
// hook in a WeakMap and calls Reflect.apply (as a disguised replacement does, injected/disguise.ts),
// in a page of Debian's Chromium without the extension. µs per call, best of 15 rounds of 20,000
// posts each (the receiving port is never started: only the post is timed). Then the post and
// dispatch of the same messages with a handler that reads nothing, `event.ports` or `event.data`
// through the captured getters (first post to last dispatch). Printed, never asserted.
//
//   node bench/post-call-cost.mjs
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';
import { runnerImport } from 'vite';

const { module: browsers } = await runnerImport(resolve(import.meta.dirname, '../cli/browsers.ts'), {
  configFile: false,
  logLevel: 'warn',
});
const browser = await chromium.launch({
  executablePath: browsers.browserPath('chromium'),
  args: browsers.CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage();
  await page.goto('about:blank');
  const best = await page.evaluate(() => {
    const N = 20_000;
    const PM = MessagePort.prototype.postMessage;
    const apply = Reflect.apply;
    const hooks = new WeakMap();
    const proxied = new Proxy(PM, { apply: (target, self, args) => hooks.get(target)(self, args) });
    hooks.set(PM, (self, args) => apply(PM, self, args));
    const ways = {
      direct: (port, i) => port.postMessage(i),
      'Reflect.apply': (port, i) => apply(PM, port, [i]),
      'Proxy apply trap → Reflect.apply': (port, i) => proxied.call(port, i),
    };
    const out = {};
    for (let round = 0; round < 15; round++)
      for (const [name, way] of Object.entries(ways)) {
        const { port1, port2 } = new MessageChannel();
        const t = performance.now();
        for (let i = 0; i < N; i++) way(port1, i);
        const us = ((performance.now() - t) * 1000) / N;
        port1.close();
        port2.close();
        out[name] = Math.min(out[name] ?? Number.POSITIVE_INFINITY, us);
      }
    // The dispatch: a message event whose handler reads nothing, `event.ports` (through the
    // captured getter, as the runtime reads it) or `event.data`; first post to last dispatch.
    const portsGet = Function.prototype.call.bind(Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'ports').get);
    const dataGet = Function.prototype.call.bind(Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data').get);
    const now = performance.now.bind(performance);
    const reads = {
      'dispatch, performance.now() ×4 (the runtime stamps a post and a dispatch, times a handler)': () => {
        now();
        now();
        now();
        now();
      },
      'dispatch, nothing read': () => {},
      'dispatch, event.ports read': portsGet,
      'dispatch, event.data read': dataGet,
    };
    const dispatch = (read) =>
      new Promise((done) => {
        const { port1, port2 } = new MessageChannel();
        let got = 0;
        port2.onmessage = (e) => {
          read(e);
          if (++got < N) return;
          port1.close();
          done(((performance.now() - t) * 1000) / N);
        };
        const t = performance.now();
        for (let i = 0; i < N; i++) port1.postMessage(i);
      });
    return (async () => {
      for (let round = 0; round < 15; round++)
        for (const [name, read] of Object.entries(reads))
          out[name] = Math.min(out[name] ?? Number.POSITIVE_INFINITY, await dispatch(read));
      return out;
    })();
  });
  console.log(`${browser.version()}: a number posted, µs per message (best of 15 rounds × 20,000)\n`);
  console.log('| what | µs |\n|---|---|');
  for (const [name, us] of Object.entries(best)) console.log(`| ${name} | ${us.toFixed(2)} |`);
} finally {
  await browser.close();
}
