/** Always visible: what was recorded, and what was lost (dropped, evicted, not recorded). */
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
  const recording = usePanel((s) => s.recording);
  const notRecorded = usePanel((s) => s.notRecorded);
  let posted = 0;
  let queued = 0;
  for (const p of model.ports.values()) {
    posted += p.posted;
    queued += p.queued;
  }
  const dropped = sum(model.stats.droppedFacts) + sum(relay.dropped);
  const evicted = model.stats.evictedMessages;
  const evictedRelay = sum(relay.evicted);
  const parts = [plural(model.channels.size, 'channel'), plural(model.ports.size, 'port'), plural(posted, 'message'), `${queued.toLocaleString('en-US')} queued`];
  if (model.carriers.length) parts.push(plural(model.carriers.length, 'carrier'));
  const losses: string[] = [];
  if (dropped) losses.push(`${dropped.toLocaleString('en-US')} facts dropped`);
  if (evicted) losses.push(`${evicted.toLocaleString('en-US')} message bodies evicted`);
  if (model.stats.evictedRecords) losses.push(`${model.stats.evictedRecords.toLocaleString('en-US')} old messages evicted`);
  if (evictedRelay) losses.push(`${evictedRelay.toLocaleString('en-US')} facts evicted by the background before this panel read them`);
  if (model.stats.evictedFacts) losses.push(`${model.stats.evictedFacts.toLocaleString('en-US')} facts not kept for export`);
  if (relay.rejected) losses.push(`${relay.rejected.toLocaleString('en-US')} batches rejected`);
  return (
    <footer className="statusbar" role="status" aria-live="polite">
      <span data-testid="counts">{parts.join(' · ')}</span>
      {losses.length ? <span className="losses">{losses.join(' · ')}</span> : null}
      {!recording ? <span className="paused">{`recording paused${notRecorded ? ` · ${notRecorded.toLocaleString('en-US')} facts not recorded` : ''}`}</span> : null}
    </footer>
  );
}
