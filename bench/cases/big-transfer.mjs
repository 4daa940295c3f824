// Case 3: a 16 MB ArrayBuffer transferred to a worker and back. A transfer moves ownership and
// copies nothing; a preview that copied or scanned the buffer would show up here at once.
import { TARGETS } from '../targets.mjs';
export default {
  id: 'big-transfer',
  title: '16 MB ArrayBuffer transfers',
  async run(h) {
    const trips = 50;
    const runs = await h.interleave(async (mode) => {
      const page = await h.pages.goto(mode, '/index.html');
      return h.bestOf(
        h.repeats,
        () => page.evaluate(([t]) => globalThis.benchWorkloads.bigTransfer(16, t), [trips]),
        'ms',
        'lower',
      );
    });
    const copy = await h.interleave(
      async (mode) => {
        if (mode !== 'native') return null;
        const page = await h.pages.goto(mode, '/index.html');
        return h.bestOf(h.repeats, () => page.evaluate(() => globalThis.benchWorkloads.bigCopy(16)), 'ms', 'lower');
      },
      { rounds: 3 },
    );
    return [
      {
        id: 'big-transfer',
        metric: `16 MB ArrayBuffer, ${trips} round trips to a worker (${2 * trips} transfers), total`,
        unit: 'ms',
        better: 'lower',
        values: h.field(runs, 'ms'),
        targets: TARGETS.transfer16Mb,
      },
      {
        id: 'big-copy-reference',
        metric: 'reference: the same buffer sent once to the worker and back *copied* (structured clone, no transfer)',
        unit: 'ms',
        better: 'lower',
        values: { native: copy.native.map((r) => r?.ms) },
      },
    ];
  },
};
