/** The card beside the hovered (or keyboard-focused) message: what it was, from → to, its wait. */
import type { ChannelModel, MessageRecord } from '../../model/types.ts';
import { previewText } from '../../previewText.ts';
import { contextName, formatBytes, formatTime, receiverContext } from '../labels.ts';
import { waitText } from '../waitText.ts';

const CARD_WIDTH = 280;

function waitLine(model: ChannelModel, m: MessageRecord, now: number): string {
  if (m.state === 'delivered' && m.dispatchedAt !== undefined) {
    // As the colour class has it (drawPlan.ts): a post only bounded in time has no wait to colour by.
    if (m.counted) return 'delivered; wait unknown (the post was counted, not recorded)';
    if (m.postEvicted) return "delivered; wait unknown (the post's record was evicted)";
    if (!m.postObserved) return 'delivered; wait unknown (the sender is not observed: its post is inferred)';
    const wait = model.wait(m);
    if (wait === undefined) return 'delivered; wait unknown';
    return wait.approximate
      ? `delivered after ${waitText(wait)} in the queue (two clocks, aligned)`
      : `delivered after ${waitText(wait)} in the queue`;
  }
  if (m.state === 'queued') return `still queued (${((now - m.postedAt) / 1000).toFixed(1)} s so far)`;
  if (m.state === 'dropped') return `dropped (${m.dropReason ?? 'reason unknown'})`;
  return 'sent; wait unknown (the receiver is not observed: its dispatch cannot be seen)';
}

export function HoverCard(props: {
  model: ChannelModel;
  message: MessageRecord;
  x: number;
  y: number;
  /** In the lower half of the pane: the card goes above the point, so it is not cut off. */
  above: boolean;
  width: number;
  origin: number;
  now: number;
  /** Its colour class (WAIT_LEGEND), shown as the legend's swatch. */
  waitClass: string;
  /** Messages in the density bar this one is drawn in (0: drawn alone). */
  aggregated: number;
}) {
  const { model, message: m, origin } = props;
  // Beside the point, flipped to its left near the right edge; below it, or above it low in the pane.
  const left = props.x + 14 + CARD_WIDTH > props.width ? Math.max(0, props.x - CARD_WIDTH - 10) : props.x + 14;
  return (
    <div
      className="tl-card"
      role="tooltip"
      style={{
        left: `calc(var(--tl-gutter) + ${left}px)`,
        top: props.above ? props.y - 12 : props.y + 12,
        transform: props.above ? 'translateY(-100%)' : undefined,
        width: CARD_WIDTH,
      }}
    >
      <div className="tl-card-head">
        <span className="id">{m.id}</span> <span className="muted">{formatTime(m.postedAt, origin)}</span>
        {m.postObserved && !m.counted && !m.postEvicted ? (
          <span className="muted">{` · ${formatBytes(m.bytes)}`}</span>
        ) : null}
      </div>
      <div className="tl-card-data page-text">{previewText(m.preview, 80)}</div>
      <div>
        <span className="id">{m.from.port}</span> {contextName(model, m.from.context)}
      </div>
      <div>
        → <span className="id">{m.to.port ?? '—'}</span> {contextName(model, receiverContext(model, m))}
      </div>
      <div className={`s-${m.state}`}>
        <span className={`tl-swatch tl-${props.waitClass}`} aria-hidden="true" /> {waitLine(model, m, props.now)}
      </div>
      {props.aggregated ? (
        <div className="muted tl-card-note">
          {props.aggregated > 1
            ? `one of ${props.aggregated.toLocaleString('en-US')} posted in this pixel column: zoom in to see it alone`
            : 'drawn in a density bar at this zoom: zoom in to see it alone'}
        </div>
      ) : null}
    </div>
  );
}
