// What the page's own MessagePort postMessage costs by the way it is called: directly, through
// Reflect.apply (as the runtime calls the native), and through a Proxy apply trap that finds its
// hook in a WeakMap and calls Reflect.apply (as a disguised replacement does, injected/disguise.ts),
// in a page of Debian's Chromium without the extension. µs per call, best of 15 rounds of 20,000
// posts each (the receiving port is never started: only the post is timed). Printed, never asserted.
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
    return out;
  });
  console.log(`${browser.version()}: the page's postMessage of a number, µs per call (best of 15 rounds × 20,000)\n`);
  console.log('| called | µs |\n|---|---|');
  for (const [name, us] of Object.entries(best)) console.log(`| ${name} | ${us.toFixed(2)} |`);
} finally {
  await browser.close();
}
