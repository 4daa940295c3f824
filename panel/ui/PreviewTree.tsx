/**
 * A structured-clone-aware inspector for a Preview: expandable containers (arrays, objects,
 * Map, Set, boxed), host objects by their metadata, references to already-shown objects,
 * and cut-offs marked as such. Everything is rendered as React text: page strings never
 * become markup.
 */
import { useState, type ReactNode } from 'react';
import type { Preview } from '../../protocol/facts.ts';
import { previewText } from '../previewText.ts';
import { visibleText } from '../pageText.ts';

interface Child {
  label: ReactNode;
  value: Preview;
}

/** Children of a container preview, plus a note when the runtime cut it short. */
function childrenOf(p: Preview): { kids: Child[]; cut: string | null } | null {
  switch (p.t) {
    case 'array':
      return {
        kids: p.items.map((value, i) => ({ label: String(i), value })),
        cut: p.truncated || p.items.length < p.len ? `${p.len - p.items.length} more items not captured` : null,
      };
    case 'object':
      return {
        kids: p.entries.map(([k, value]) => ({ label: visibleText(k), value })),
        cut: p.truncated || p.entries.length < p.keys ? `${p.keys - p.entries.length} more keys not captured` : null,
      };
    case 'map':
      return {
        kids: p.entries.map(([k, value], i) => ({
          label: (
            <span className="pv-mapkey">
              {`[${i}] `}
              {previewText(k, 60)}
              {' =>'}
            </span>
          ),
          value,
        })),
        cut: p.truncated || p.entries.length < p.size ? `${p.size - p.entries.length} more entries not captured` : null,
      };
    case 'set':
      return {
        kids: p.items.map((value, i) => ({ label: String(i), value })),
        cut: p.truncated || p.items.length < p.size ? `${p.size - p.items.length} more items not captured` : null,
      };
    case 'boxed':
      return { kids: [{ label: '[[PrimitiveValue]]', value: p.inner }], cut: null };
    default:
      return null;
  }
}

/** The one-line text of a leaf, with a class naming its kind for colour. */
function Leaf({ p }: { p: Preview }) {
  switch (p.t) {
    case 'string':
      return (
        <span className="pv-string">
          {visibleText(JSON.stringify(p.v))}
          {p.truncated ? <span className="pv-cut">{` … truncated (${p.len} chars)`}</span> : null}
        </span>
      );
    case 'number':
    case 'bigint':
    case 'boolean':
      return <span className="pv-number">{previewText(p)}</span>;
    case 'undefined':
    case 'null':
      return <span className="pv-null">{p.t}</span>;
    case 'more':
      return <span className="pv-cut">… not captured (depth or size limit)</span>;
    case 'ref':
      return <span className="pv-ref">{visibleText(`↺ same object as ${p.path}`)}</span>;
    case 'error':
      return <span className="pv-error">{visibleText(`${p.name}: ${p.message}`)}</span>;
    case 'blob':
      return (
        <span className="pv-host">
          {visibleText(
            `${p.name !== undefined ? `File ${JSON.stringify(p.name)}` : 'Blob'} · ${p.size} bytes · type ${p.type ? JSON.stringify(p.type) : '(none)'}`,
          )}
        </span>
      );
    case 'typedarray':
      return <span className="pv-host">{`${p.ctor}(${p.length}) · ${p.byteLength} bytes`}</span>;
    case 'arraybuffer':
      return (
        <span className="pv-host">{`${p.shared ? 'SharedArrayBuffer' : 'ArrayBuffer'} · ${p.byteLength} bytes`}</span>
      );
    case 'dataview':
      return <span className="pv-host">{`DataView · ${p.byteLength} bytes`}</span>;
    case 'date':
      return <span className="pv-host">{previewText(p)}</span>;
    case 'regexp':
      return <span className="pv-regexp">{previewText(p)}</span>;
    case 'messageport':
      return <span className="pv-host">{`MessagePort (local #${p.port})`}</span>;
    case 'getter':
      return <span className="pv-null">(accessor property — not read)</span>;
    case 'host':
      return <span className="pv-host">{visibleText(p.tag)}</span>;
    case 'function':
      return <span className="pv-null">function (not cloneable)</span>;
    case 'symbol':
      return <span className="pv-null">symbol (not cloneable)</span>;
    default:
      return <span>{previewText(p, 80)}</span>;
  }
}

function Node({ label, value, depth }: { label: ReactNode; value: Preview; depth: number }) {
  const nested = childrenOf(value);
  const [open, setOpen] = useState(depth < 1);
  if (!nested) {
    return (
      <li role="treeitem" aria-level={depth + 1} className="pv-row" tabIndex={-1}>
        {label !== null ? <span className="pv-key">{label}: </span> : null}
        <Leaf p={value} />
      </li>
    );
  }
  const toggle = () => setOpen(!open);
  return (
    <li role="treeitem" aria-level={depth + 1} aria-expanded={open} className="pv-row">
      <button
        type="button"
        className="pv-toggle"
        onClick={toggle}
        onKeyDown={(e) => {
          if (e.key === 'ArrowRight' && !open) setOpen(true);
          if (e.key === 'ArrowLeft' && open) setOpen(false);
        }}
      >
        <span aria-hidden="true" className="pv-arrow">
          {open ? '▾' : '▸'}
        </span>
        {label !== null ? <span className="pv-key">{label}: </span> : null}
        <span className="pv-summary">{previewText(value, 100)}</span>
      </button>
      {open ? (
        <ul role="group">
          {nested.kids.map((k, i) => (
            <Node key={i} label={k.label} value={k.value} depth={depth + 1} />
          ))}
          {nested.cut ? (
            <li role="treeitem" aria-level={depth + 2} className="pv-row pv-cut">
              {`… ${nested.cut} (truncated)`}
            </li>
          ) : null}
        </ul>
      ) : null}
    </li>
  );
}

export function PreviewTree({ preview, label = 'data' }: { preview: Preview | undefined; label?: string }) {
  if (!preview)
    return <p className="muted">The message body was evicted (message buffer limit); its counts and state are kept.</p>;
  return (
    <ul role="tree" aria-label={label} className="pv-tree page-text">
      <Node label={null} value={preview} depth={0} />
    </ul>
  );
}
