/** Always visible: what was recorded, and what was lost (dropped, evicted, not recorded). */
import { anyCounted, countedParts, countedTotals } from './counted.ts';
import { usePanel } from './storeContext.ts';
import { lossParts } from './losses.ts';
import { GLOSSARY } from './glossary.ts';
import { plural } from './labels.ts';

export function StatusBar() {
  const model = usePanel((s) => s.model);
  usePanel((s) => s.revision);
  const relay = usePanel((s) => s.relay);
  const paused = usePanel((s) => s.paused);
  const held = usePanel((s) => s.held);
  const liveWhileTrace = usePanel((s) => s.liveWhileTrace);
  const cleared = usePanel((s) => s.cleared);
  const traceName = usePanel((s) => s.traceName);
  const settledEarly = usePanel((s) => s.settledEarly);
  const standalone = usePanel((s) => s.connection === 'standalone');
  const totals = model.totals();
  const counted = countedTotals(model);
  const parts = [
    plural(totals.channels, 'channel'),
    plural(totals.ports, 'port'),
    plural(totals.messages.posted - cleared, 'message'),
    `${totals.messages.queued.toLocaleString('en-US')} queued`,
  ];
  if (totals.carriers) parts.push(plural(totals.carriers, 'carrier'));
  if (cleared) parts.push(`${cleared.toLocaleString('en-US')} cleared`);
  const losses = lossParts(model, relay, settledEarly);
  const behind = liveWhileTrace ? ` · ${plural(liveWhileTrace, 'live fact')} recorded behind it (Back to live)` : '';
  return (
    <footer className="statusbar" role="status" aria-live="polite">
      <span data-testid="counts" title={[GLOSSARY.carrier, GLOSSARY.cleared].join('\n')}>
        {parts.join(' · ')}
      </span>
      {anyCounted(counted) ? (
        <span
          className="counted"
          data-testid="counted"
          title="Counted while DevTools was closed on the tab: no data, call stack or timing"
        >{`counted, not recorded: ${countedParts(counted)}`}</span>
      ) : null}
      {losses.length ? <span className="losses">{losses.join(' · ')}</span> : null}
      {paused ? (
        <span className="paused" title={GLOSSARY.fact}>
          {`paused · ${plural(held, 'fact')} held, shown on resume`}
        </span>
      ) : null}
      {traceName !== null && !standalone ? (
        <span className="paused">{`showing an imported trace${behind}`}</span>
      ) : null}
    </footer>
  );
}
