/** The Messages table's column controls: the chooser (⋮ in the header) and each column's resize handle. */
import { useEffect, useRef } from 'react';
import { capture } from './Splitter.tsx';
import {
  COLUMNS,
  clampWidth,
  type ColumnDef,
  type ColumnKey,
  DEFAULT_LAYOUT,
  type TableLayout,
  widthOf,
} from './tableLayout.ts';

export function ColumnMenu({
  layout,
  onChange,
  onClose,
}: {
  layout: TableLayout;
  onChange(next: TableLayout): void;
  onClose(): void;
}) {
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const toggle = (key: ColumnKey, on: boolean) => {
    const visible = on
      ? COLUMNS.map((c) => c.key).filter((k) => k === key || layout.visible.includes(k))
      : layout.visible.filter((k) => k !== key);
    if (visible.length) onChange({ ...layout, visible });
  };
  return (
    <div className="column-menu" role="dialog" aria-label="Columns" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      {COLUMNS.map((c, i) => (
        <label key={c.key} className="check" title={c.title}>
          <input
            ref={i === 0 ? first : undefined}
            type="checkbox"
            checked={layout.visible.includes(c.key)}
            disabled={layout.visible.length === 1 && layout.visible.includes(c.key)}
            onChange={(e) => toggle(c.key, e.currentTarget.checked)}
          />{' '}
          {c.label}
        </label>
      ))}
      <div className="dialog-buttons">
        <button
          type="button"
          onClick={() => onChange({ ...DEFAULT_LAYOUT, detail: layout.detail, detailBelow: layout.detailBelow })}
        >
          Reset
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

export function ResizeHandle({
  column,
  layout,
  onChange,
}: {
  column: ColumnDef;
  layout: TableLayout;
  onChange(next: TableLayout, done: boolean): void;
}) {
  const drag = useRef<{ x: number; w: number } | null>(null);
  const width = widthOf(layout, column);
  const set = (w: number, done: boolean) =>
    onChange({ ...layout, widths: { ...layout.widths, [column.key]: clampWidth(w) } }, done);
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize the ${column.label} column`}
      aria-valuenow={width}
      tabIndex={0}
      className="col-resize"
      onPointerDown={(e) => {
        e.preventDefault();
        e.stopPropagation();
        capture(e);
        drag.current = { x: e.clientX, w: width };
      }}
      onPointerMove={(e) => drag.current && set(drag.current.w + e.clientX - drag.current.x, false)}
      onPointerUp={(e) => {
        if (drag.current) set(drag.current.w + e.clientX - drag.current.x, true);
        drag.current = null;
      }}
      onKeyDown={(e) => {
        if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
        e.preventDefault();
        e.stopPropagation();
        set(width + (e.key === 'ArrowRight' ? 16 : -16), true);
      }}
    />
  );
}
