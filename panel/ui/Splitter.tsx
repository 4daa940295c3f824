/**
 * A draggable divider between a main pane and a side pane: beside it (a wide panel) or below it
 * (DevTools docked narrow). The side pane's size is the caller's, in px; the mouse, or the
 * arrow keys on the focused divider, change it.
 */
import type { KeyboardEvent, PointerEvent } from 'react';
import { useRef } from 'react';

export interface SplitterProps {
  /** `beside`: the side pane is to the right (width); `below`: under the main pane (height). */
  place: 'beside' | 'below';
  size: number;
  /** The largest size the side pane may take now (the container's room). */
  max: number;
  onResize(size: number, done: boolean): void;
  label: string;
}

const MIN = 120;

/**
 * Keeps the drag's moves coming to the handle when the pointer leaves it (a pointer no longer
 * down cannot be captured).
 */
export function capture(e: PointerEvent<HTMLElement>): void {
  try {
    e.currentTarget.setPointerCapture(e.pointerId);
  } catch {
    // The drag still works while the pointer stays over the handle.
  }
}
const STEP = 24;

export function Splitter({ place, size, max, onResize, label }: SplitterProps) {
  const drag = useRef<{ start: number; size: number } | null>(null);
  const clamp = (n: number) => Math.round(Math.max(MIN, Math.min(Math.max(MIN, max), n)));
  const at = (e: PointerEvent) => (place === 'beside' ? e.clientX : e.clientY);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    capture(e);
    drag.current = { start: at(e), size };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    // The side pane is after the divider: moving the divider towards it makes it smaller.
    onResize(clamp(drag.current.size - (at(e) - drag.current.start)), false);
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    onResize(clamp(drag.current.size - (at(e) - drag.current.start)), true);
    drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const grow: Record<string, number> =
      place === 'beside' ? { ArrowLeft: STEP, ArrowRight: -STEP } : { ArrowUp: STEP, ArrowDown: -STEP };
    const by = grow[e.key];
    if (by === undefined) return;
    e.preventDefault();
    onResize(clamp(size + by), true);
  };

  return (
    <div
      role="separator"
      aria-orientation={place === 'beside' ? 'vertical' : 'horizontal'}
      aria-label={label}
      aria-valuenow={size}
      aria-valuemin={MIN}
      aria-valuemax={Math.max(MIN, max)}
      tabIndex={0}
      className={`splitter splitter-${place}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
