// Case 1: same-thread channel throughput, port1 → port2, counted in onmessage.
import { TARGETS } from '../targets.mjs';
export default {
  id: 'throughput',
  title: 'Same-thread channel throughput',
  async run(h) {
    const rows = [];
    const plans = [
      { kind: 'tiny', min: 5_000, max: 50_000, targets: TARGETS.tiny },
      { kind: '1kb', min: 500, max: 10_000, targets: TARGETS.oneKb },
    ];
    for (const { kind, min, max, targets } of plans) {
      const once = (page, n) =>
        page.evaluate(([k, count]) => globalThis.benchWorkloads.channelThroughput(k, count), [kind, n]);
      const n = await h.calibrate({ min, max }, async (count) => (await once(h.pages.page('recording'), count)).ms);
      const runs = await h.interleave(async (mode) => {
        const page = await h.pages.goto(mode, '/index.html');
        return h.bestOf(h.repeats, () => once(page, n), 'perSecond', 'higher');
      });
      rows.push({
        id: `throughput-${kind}`,
        metric:
          kind === 'tiny'
            ? `${n.toLocaleString('en')} tiny messages (numbers)`
            : `${n.toLocaleString('en')} 1 KB objects`,
        unit: 'messages/s',
        better: 'higher',
        values: h.field(runs, 'perSecond'),
        targets,
      });
    }
    return rows;
  },
};
