/** Always visible: what was recorded, and what was lost (dropped, evicted, not recorded). */
import { anyCounted, countedParts, countedTotals } from './counted.ts';
import { usePanel } from './storeContext.ts';

function sum(r: Record<string, number>): number {
  let n = 0;
  for (const v of Object.values(r)) n += v;
  return n;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export function StatusBar() {
  const model = usePanel((s) => s.model);
  usePanel((s) => s.revision);
  const relay = usePanel((s) => s.relay);
  const paused = usePanel((s) => s.paused);
  const held = usePanel((s) => s.held);
  const ignored = usePanel((s) => s.ignored);
  const traceName = usePanel((s) => s.traceName);
  const settledEarly = usePanel((s) => s.settledEarly);
  const standalone = usePanel((s) => s.connection === 'standalone');
  let posted = 0;
  let queued = 0;
  for (const p of model.ports.values()) {
    posted += p.posted;
    queued += p.queued;
  }
  const counted = countedTotals(model);
  const dropped = sum(model.stats.droppedFacts) + sum(relay.dropped);
  const evicted = model.stats.evictedMessages;
  const evictedRelay = sum(relay.evicted);
  const parts = [plural(model.channels.size, 'channel'), plural(model.ports.size, 'port'), plural(posted, 'message'), `${queued.toLocaleString('en-US')} queued`];
  if (model.carriers.length) parts.push(plural(model.carriers.length, 'carrier'));
  const losses: string[] = [];
  if (dropped) losses.push(`${dropped.toLocaleString('en-US')} facts dropped`);
  if (evicted) losses.push(`${evicted.toLocaleString('en-US')} message bodies evicted`);
  if (model.stats.evictedRecords) losses.push(`${model.stats.evictedRecords.toLocaleString('en-US')} old messages evicted`);
  if (evictedRelay) losses.push(`${evictedRelay.toLocaleString('en-US')} facts evicted from the background's buffer (a panel opened later misses them)`);
  if (model.stats.evictedFacts) losses.push(`${model.stats.evictedFacts.toLocaleString('en-US')} facts not kept for export`);
  if (settledEarly) losses.push('inferred before every fact came: an export may replay slightly differently');
  if (relay.rejected) losses.push(`${relay.rejected.toLocaleString('en-US')} batches rejected`);
  return (
    <footer className="statusbar" role="status" aria-live="polite">
      <span data-testid="counts">{parts.join(' · ')}</span>
      {anyCounted(counted) ? <span className="counted" data-testid="counted" title="Counted while DevTools was closed on the tab: no data, call stack or timing">{`counted, not recorded: ${countedParts(counted)}`}</span> : null}
      {losses.length ? <span className="losses">{losses.join(' · ')}</span> : null}
      {paused ? <span className="paused">{`paused · ${plural(held, 'fact')} held, shown on resume`}</span> : null}
      {traceName !== null && !standalone ? <span className="paused">{`showing an imported trace${ignored ? ` · ${plural(ignored, 'live fact')} not recorded` : ''}`}</span> : null}
    </footer>
  );
}
