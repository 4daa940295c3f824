// Case 1: same-thread channel throughput, port1 → port2, counted in onmessage.
export default {
  id: 'throughput',
  title: 'Same-thread channel throughput',
  async run(h) {
    const rows = [];
    for (const [kind, n, recordingTarget] of [['tiny', h.size(50_000), 1.25], ['1kb', h.size(10_000), 1.1]]) {
      const runs = await h.interleave(async (mode) => {
        const page = await h.pages.goto(mode, '/index.html');
        return h.bestOf(h.repeats, () => page.evaluate(([k, count]) => globalThis.benchWorkloads.channelThroughput(k, count), [kind, n]), 'perSecond', 'higher');
      });
      rows.push({
        id: `throughput-${kind}`,
        metric: kind === 'tiny' ? `${n.toLocaleString('en')} tiny messages (numbers)` : `${n.toLocaleString('en')} 1 KB objects`,
        unit: 'messages/s',
        better: 'higher',
        values: h.field(runs, 'perSecond'),
        targets: { idle: 1.03, recording: recordingTarget },
      });
    }
    return rows;
  },
};
