// Case 4: comlink-like RPC over 200 channels to one worker, one request in flight per port.
import { TARGETS } from '../targets.mjs';
export default {
  id: 'fan-out',
  title: '200-port RPC fan-out',
  async run(h) {
    const once = (page, n) => page.evaluate(([r]) => globalThis.benchWorkloads.fanOut(200, r), [n]);
    const requests = await h.calibrate(
      { min: 2_000, max: 20_000 },
      async (n) => (await once(h.pages.page('recording'), n)).ms,
    );
    const runs = await h.interleave(async (mode) => {
      const page = await h.pages.goto(mode, '/index.html');
      return h.bestOf(h.repeats, () => once(page, requests), 'perSecond', 'higher');
    });
    return [
      {
        id: 'fan-out',
        metric: `200 ports to a worker, ${requests.toLocaleString('en')} requests round-robin`,
        unit: 'requests/s',
        better: 'higher',
        values: h.field(runs, 'perSecond'),
        targets: TARGETS.fanOut,
      },
    ];
  },
};
