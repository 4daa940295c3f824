// Case 6: the relay and a panel connection under a 50,000 messages/s burst. The page posts tiny
// messages on timer ticks at that rate; the panel connection (bench/fixtures/extension) counts
// the facts that reach it and their lag (arrival time − the fact's own time stamp).
const RATE = 50_000;
const SECONDS = 2;
const SETTLE_MS = 1_500;
const WAIT_MAX_MS = 30_000;

const sum = (counts) => Object.values(counts ?? {}).reduce((a, b) => a + b, 0);

/** Waits until facts stop arriving (or every expected fact is in). */
async function settle(h, expected) {
  const started = Date.now();
  let last = await h.pages.panel.report();
  let stableSince = Date.now();
  while (Date.now() - started < WAIT_MAX_MS) {
    await new Promise((ok) => setTimeout(ok, 250));
    const now = await h.pages.panel.report();
    if (now.facts !== last.facts) stableSince = Date.now();
    last = now;
    if ((now.kinds['message-dispatched'] ?? 0) >= expected && (now.kinds['port-posted'] ?? 0) >= expected) break;
    if (Date.now() - stableSince > SETTLE_MS) break;
  }
  return last;
}

export default {
  id: 'relay-burst',
  title: 'Relay and panel connection under a 50,000 messages/s burst',
  async run(h) {
    const relay = [];
    const runs = await h.interleave(
      async (mode, round) => {
        const page = await h.pages.goto(mode, '/index.html');
        let baseline = null;
        if (mode === 'recording') {
          await new Promise((ok) => setTimeout(ok, 300));
          baseline = (await h.pages.panel.report()).status;
          await h.pages.panel.reset();
        }
        const burst = await page.evaluate(([r, s]) => globalThis.benchWorkloads.burst(r, s), [RATE, SECONDS]);
        if (mode === 'recording') {
          const got = await settle(h, burst.sent);
          const posted = got.kinds['port-posted'] ?? 0;
          const dispatched = got.kinds['message-dispatched'] ?? 0;
          // `dropped`: lost before the background (counted by the relay); `evicted`: left the
          // background's buffer, which a connected panel already has. Status counts are
          // cumulative, so the burst's share is the difference with the status before it.
          const counted = sum(got.status?.dropped) - sum(baseline?.dropped);
          const evicted = sum(got.status?.evicted) - sum(baseline?.evicted);
          if (round >= 0) {
            relay.push({
              sent: burst.sent,
              facts: got.facts,
              factsPerSecond: got.factsPerSecond,
              lagP50: got.lagP50,
              lagP95: got.lagP95,
              lagMax: got.lagMax,
              postedFacts: posted,
              dispatchedFacts: dispatched,
              countedDrops: counted,
              evicted,
              // Facts for this burst that neither arrived nor were counted as dropped.
              unaccounted: Math.max(0, 2 * burst.sent - posted - dispatched - counted),
              status: got.status,
            });
          }
          await h.pages.panel.reset();
        }
        return burst;
      },
      { rounds: Math.min(h.rounds, 3) },
    );
    const pick = (k) => ({ recording: relay.map((r) => r[k]) });
    return [
      {
        id: 'burst-page',
        metric: `page: ${(RATE * SECONDS).toLocaleString('en')} messages posted at ${RATE.toLocaleString('en')}/s, achieved rate`,
        unit: 'messages/s',
        better: 'higher',
        values: h.field(runs, 'achievedPerSecond'),
        targets: { idle: 1.03 },
      },
      {
        id: 'burst-facts-rate',
        metric: 'facts/s delivered to the panel connection',
        unit: 'facts/s',
        better: 'higher',
        values: pick('factsPerSecond'),
      },
      {
        id: 'burst-facts',
        metric: `facts delivered to the panel connection (the burst emits ${(2 * RATE * SECONDS).toLocaleString('en')} port-posted + message-dispatched)`,
        unit: 'facts',
        better: 'higher',
        values: pick('facts'),
        extra: relay.map((r) => ({ posted: r.postedFacts, dispatched: r.dispatchedFacts })),
      },
      {
        id: 'burst-lag-p50',
        metric: 'lag emit → panel connection, p50',
        unit: 'ms',
        better: 'lower',
        values: pick('lagP50'),
      },
      {
        id: 'burst-lag-p95',
        metric: 'lag emit → panel connection, p95',
        unit: 'ms',
        better: 'lower',
        values: pick('lagP95'),
      },
      {
        id: 'burst-drops',
        metric: 'facts dropped before the background and counted (status.dropped)',
        unit: 'facts',
        better: 'lower',
        values: pick('countedDrops'),
      },
      {
        id: 'burst-evicted',
        metric: 'facts evicted from the background buffer (status.evicted; a connected panel has them)',
        unit: 'facts',
        better: 'lower',
        values: pick('evicted'),
      },
      {
        id: 'burst-unaccounted',
        metric: 'facts neither delivered nor counted (must be 0)',
        unit: 'facts',
        better: 'lower',
        values: pick('unaccounted'),
        absolute: { max: 0 },
      },
    ];
  },
};
