// Case 7: memory after 1,000,000 messages. Page heap after a forced GC, at three checkpoints
// (before, after 250,000, after 1,000,000): growth between the last two must not scale with the
// message count. The extension's service worker heap is read through its own CDP target.
import { serviceWorkerSession } from '../chromium.mjs';

const FIRST = 250_000;
const TOTAL = 1_000_000;
const CHUNK = 10_000;
const MB = 1024 * 1024;
const sumOf = (counts) => Object.values(counts ?? {}).reduce((a, b) => a + b, 0);

async function heap(h, mode) {
  return h.pages.withCdp(mode, async (cdp) => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  });
}

async function serviceWorkerHeap(h) {
  const sw = await serviceWorkerSession(h.bench.browser);
  try {
    await sw.send('HeapProfiler.collectGarbage');
    return (await sw.send('Runtime.getHeapUsage')).usedSize;
  } finally {
    await sw.detach();
  }
}

export default {
  id: 'memory',
  title: 'Memory after 1,000,000 messages',
  async run(h) {
    const total = h.size(TOTAL);
    const first = h.size(FIRST);
    const runs = await h.interleave(
      async (mode) => {
        const page = await h.pages.goto(mode, '/index.html');
        const swRead = () => (mode === 'native' ? null : serviceWorkerHeap(h).catch((e) => ({ error: e.message })));
        const swBefore = await swRead();
        const before = await heap(h, mode);
        await page.evaluate(([n, c]) => globalThis.benchWorkloads.many(n, c), [first, CHUNK]);
        const atFirst = await heap(h, mode);
        await page.evaluate(([n, c]) => globalThis.benchWorkloads.many(n, c), [total - first, CHUNK]);
        const atTotal = await heap(h, mode);
        // Let the relay drain before reading the background: what it holds then is what it keeps.
        await new Promise((ok) => setTimeout(ok, 2_000));
        const sw = await swRead();
        const relay = mode === 'recording' ? await h.pages.panel.report() : null;
        if (mode === 'recording') await h.pages.panel.reset();
        return {
          growth: (atTotal - before) / MB,
          lateGrowth: (atTotal - atFirst) / MB,
          lateBytesPerMessage: (atTotal - atFirst) / (total - first),
          heap: atTotal / MB,
          serviceWorker: typeof sw === 'number' ? sw / MB : null,
          serviceWorkerGrowth: typeof sw === 'number' && typeof swBefore === 'number' ? (sw - swBefore) / MB : null,
          serviceWorkerError: sw?.error ?? swBefore?.error,
          relayStatus: relay?.status ?? null,
          factsAtPanel: relay?.facts ?? null,
        };
      },
      { rounds: 1, warmup: false },
    );
    const errors = [...runs.idle, ...runs.recording].map((r) => r.serviceWorkerError).filter(Boolean);
    const status = runs.recording[0]?.relayStatus;
    return [
      {
        id: 'memory-heap',
        metric: `page heap after ${total.toLocaleString('en')} messages (after GC)`,
        unit: 'MB',
        better: 'lower',
        values: h.field(runs, 'heap'),
      },
      {
        id: 'memory-growth',
        metric: `page heap growth, 0 → ${total.toLocaleString('en')} messages`,
        unit: 'MB',
        better: 'lower',
        values: h.field(runs, 'growth'),
        ratio: false,
      },
      {
        id: 'memory-late-growth',
        metric: `page heap growth, ${first.toLocaleString('en')} → ${total.toLocaleString('en')} messages`,
        unit: 'MB',
        better: 'lower',
        values: h.field(runs, 'lateGrowth'),
        ratio: false,
      },
      {
        // Retaining anything per message costs at least one object (≥ 12 bytes on V8): growth
        // under 8 bytes a message is heap noise, not something kept per message.
        id: 'memory-late-growth-per-message',
        metric: `the same, per message (bounded: < 8 bytes a message, less than any retained object)`,
        unit: 'bytes',
        better: 'lower',
        values: h.field(runs, 'lateBytesPerMessage'),
        absolute: { max: 8 },
        ratio: false,
      },
      {
        id: 'memory-service-worker',
        metric: `extension service worker heap after ${total.toLocaleString('en')} messages${errors.length ? ` (not read: ${errors[0]})` : ''}`,
        unit: 'MB',
        better: 'lower',
        values: { idle: runs.idle.map((r) => r.serviceWorker), recording: runs.recording.map((r) => r.serviceWorker) },
      },
      {
        id: 'memory-service-worker-growth',
        metric: `extension service worker heap growth during this tab's ${total.toLocaleString('en')} messages`,
        unit: 'MB',
        better: 'lower',
        values: {
          idle: runs.idle.map((r) => r.serviceWorkerGrowth),
          recording: runs.recording.map((r) => r.serviceWorkerGrowth),
        },
      },
      {
        id: 'memory-relay-facts',
        metric: `recording: facts delivered to the panel connection${status ? ` (background status: ${sumOf(status.dropped).toLocaleString('en')} dropped, ${sumOf(status.evicted).toLocaleString('en')} evicted from its buffer, ${status.buffered.toLocaleString('en')} buffered)` : ''}`,
        unit: 'facts',
        better: 'higher',
        values: { recording: runs.recording.map((r) => r.factsAtPanel) },
        extra: status
          ? { buffered: status.buffered, dropped: status.dropped, evicted: status.evicted, rejected: status.rejected }
          : null,
      },
    ];
  },
};
