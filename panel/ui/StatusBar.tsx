/** Always visible: what was recorded, and what was lost (dropped, evicted, not recorded). */
import { anyCounted, countedParts } from './counted.ts';
import { usePanel } from './storeContext.ts';
import { lossParts } from './losses.ts';

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
  const totals = model.totals();
  const counted = totals.counted;
  const parts = [
    plural(totals.channels, 'channel'),
    plural(totals.ports, 'port'),
    plural(totals.messages.posted, 'message'),
    `${totals.messages.queued.toLocaleString('en-US')} queued`,
  ];
  if (totals.carriers) parts.push(plural(totals.carriers, 'carrier'));
  const losses = lossParts(model, relay, settledEarly);
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
