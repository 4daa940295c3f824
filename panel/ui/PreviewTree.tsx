/**
 * A structured-clone-aware inspector for a Preview: expandable containers (arrays, objects,
 * Map, Set, boxed), host objects by their metadata, references to already-shown objects.
 * Whatever the runtime did not record is said, with its size: a container left unwalked
 * ("Object · 12 keys — not recorded"), one listed in part ("first 10 of 300 items shown"), a
 * text cut at the string bound ("… (500 chars)"). Everything is rendered as React text: page strings never
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

/** What the runtime listed of a container, out of how many, and the noun for them. */
interface Listed {
  kids: Child[];
  total: number;
  noun: 'item' | 'key' | 'entry';
}

/** Children of a container preview, with the count the runtime saw (more than listed when it cut). */
function childrenOf(p: Preview): Listed | null {
  switch (p.t) {
    case 'array':
      return { kids: p.items.map((value, i) => ({ label: String(i), value })), total: p.len, noun: 'item' };
    case 'object':
      return {
        kids: p.entries.map(([k, value, keyLen]) => ({ label: <CutText text={k} len={keyLen} />, value })),
        total: p.keys,
        noun: 'key',
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
        total: p.size,
        noun: 'entry',
      };
    case 'set':
      return { kids: p.items.map((value, i) => ({ label: String(i), value })), total: p.size, noun: 'item' };
    case 'boxed':
      return { kids: [{ label: '[[PrimitiveValue]]', value: p.inner }], total: 1, noun: 'item' };
    default:
      return null;
  }
}

const nouns = { item: 'items', key: 'keys', entry: 'entries' } as const;
const counted = (n: number, noun: Listed['noun']) => `${n.toLocaleString('en-US')} ${n === 1 ? noun : nouns[noun]}`;

/** Where a cut comes from and how to see more (the runtime's preview bounds are a setting). */
const CUT_TITLE =
  "Not recorded: beyond the preview's depth or size bounds. Settings → Message previews raises them, or captures full data.";

/** A page text the runtime cut at the preview's string bound: the part kept, marked with its full length. */
function CutText({ text, len }: { text: string; len: number | undefined }) {
  return (
    <>
      {visibleText(text)}
      {len !== undefined ? <span className="pv-cut" title={CUT_TITLE}>{`… (${len} chars)`}</span> : null}
    </>
  );
}

/** The label of a container the runtime did not walk: what it is and how big, said as not recorded. */
export function cutLabel(p: Extract<Preview, { t: 'more' }>): string {
  if (p.kind === undefined || p.size === undefined) return '… not recorded (depth or size limit)';
  switch (p.kind) {
    case 'object':
      return `Object · ${counted(p.size, 'key')} — not recorded`;
    case 'array':
      return `Array(${p.size}) — not recorded`;
    case 'map':
      return `Map(${p.size}) — not recorded`;
    case 'set':
      return `Set(${p.size}) — not recorded`;
  }
}

/** The one-line text of a leaf, with a class naming its kind for colour. */
function Leaf({ p }: { p: Preview }) {
  switch (p.t) {
    case 'string':
      return (
        <span className="pv-string">
          {visibleText(JSON.stringify(p.v))}
          {p.truncated ? <span className="pv-cut" title={CUT_TITLE}>{` … truncated (${p.len} chars)`}</span> : null}
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
      return (
        <span className="pv-cut" title={CUT_TITLE}>
          {cutLabel(p)}
        </span>
      );
    case 'ref':
      return <span className="pv-ref">{visibleText(`↺ same object as ${p.path}`)}</span>;
    case 'error':
      return (
        <span className="pv-error">
          <CutText text={p.name} len={p.nameLen} />
          {': '}
          <CutText text={p.message} len={p.messageLen} />
        </span>
      );
    case 'blob':
      return (
        <span className="pv-host">
          {p.name !== undefined ? (
            <>
              {'File '}
              <CutText text={JSON.stringify(p.name)} len={p.nameLen} />
            </>
          ) : (
            'Blob'
          )}
          {` · ${p.size} bytes · type `}
          {p.type || p.typeLen !== undefined ? <CutText text={JSON.stringify(p.type)} len={p.typeLen} /> : '(none)'}
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
      return (
        <span className="pv-host">
          <CutText text={p.tag} len={p.tagLen} />
        </span>
      );
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
  const shown = nested.kids.length;
  const missing = nested.total - shown;
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
        {missing > 0 ? (
          <span className="pv-cut pv-badge" title={CUT_TITLE}>
            {`first ${shown.toLocaleString('en-US')} of ${counted(nested.total, nested.noun)} shown`}
          </span>
        ) : null}
      </button>
      {open ? (
        <ul role="group">
          {nested.kids.map((k, i) => (
            <Node key={i} label={k.label} value={k.value} depth={depth + 1} />
          ))}
          {missing > 0 ? (
            <li role="treeitem" aria-level={depth + 2} className="pv-row pv-cut" title={CUT_TITLE}>
              {`… ${missing.toLocaleString('en-US')} more ${missing === 1 ? nested.noun : nouns[nested.noun]} — not recorded`}
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
