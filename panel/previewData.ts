/**
 * Reading a message's data through its recorded preview: a value at a property path (for
 * `data.<path>:` filters and request/reply ids) and the preview as JSON (Copy as JSON). A
 * preview is what the runtime recorded, bounded: what it cut is said, never filled in.
 */
import type { Preview } from '../protocol/facts.ts';
import { cutText } from './previewText.ts';

/** The preview at `path` (property names, or array indexes), or undefined when the preview does not hold it. */
export function previewAt(p: Preview | undefined, path: readonly string[]): Preview | undefined {
  let at = p;
  for (const name of path) {
    if (at === undefined) return undefined;
    if (at.t === 'object') at = at.entries.find(([key, , keyLen]) => key === name && keyLen === undefined)?.[1];
    else if (at.t === 'array' && /^\d+$/.test(name)) at = at.items[Number(name)];
    else return undefined;
  }
  return at;
}

/** A scalar's value as text (strings whole only when not cut), else undefined. */
export function scalarText(p: Preview | undefined): string | undefined {
  if (p === undefined) return undefined;
  switch (p.t) {
    case 'string':
      return p.truncated ? undefined : p.v;
    case 'number':
      return String(p.v);
    case 'boolean':
      return String(p.v);
    case 'null':
    case 'undefined':
      return p.t;
    case 'bigint':
      return p.truncated ? undefined : p.v;
    default:
      return undefined;
  }
}

/** The preview as JSON text, and whether anything in it was cut or cannot be said in JSON. */
export function previewJson(p: Preview): { json: string; cut: boolean } {
  const state = { cut: false };
  const value = toJson(p, state);
  return { json: JSON.stringify(value, null, 2) ?? 'undefined', cut: state.cut };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function toJson(p: Preview, state: { cut: boolean }): Json {
  const lossy = (text: string): Json => {
    state.cut = true;
    return text;
  };
  switch (p.t) {
    case 'null':
      return null;
    case 'undefined':
      return lossy('[undefined]');
    case 'boolean':
      return p.v;
    case 'number':
      return typeof p.v === 'number' ? p.v : lossy(`[${p.v}]`);
    case 'bigint':
      return lossy(`[BigInt ${p.v}${p.truncated ? `… (${p.len} digits)` : ''}]`);
    case 'string':
      if (p.truncated) state.cut = true;
      return p.truncated ? `${p.v}… (${p.len} chars)` : p.v;
    case 'array': {
      const items = p.items.map((item) => toJson(item, state));
      if (p.truncated || p.items.length < p.len)
        items.push(lossy(`[… ${p.len - p.items.length} more items not recorded]`));
      return items;
    }
    case 'object': {
      const out: { [key: string]: Json } = {};
      for (const [key, v, keyLen] of p.entries) {
        if (keyLen !== undefined) state.cut = true;
        out[keyLen === undefined ? key : `${key}… (${keyLen} chars)`] = toJson(v, state);
      }
      if (p.truncated || p.entries.length < p.keys)
        out['[…]'] = lossy(`${p.keys - p.entries.length} more keys not recorded`);
      return out;
    }
    case 'date':
      return Number.isFinite(p.v) ? new Date(p.v).toISOString() : lossy('[Invalid Date]');
    case 'map':
      return lossy(
        `[Map(${p.size})${p.entries.length < p.size ? `, ${p.size - p.entries.length} entries not recorded` : ''}]`,
      );
    case 'set':
      return lossy(
        `[Set(${p.size})${p.items.length < p.size ? `, ${p.size - p.items.length} items not recorded` : ''}]`,
      );
    case 'regexp':
      return lossy(`[RegExp /${p.source}/${p.flags}]`);
    case 'arraybuffer':
      return lossy(`[ArrayBuffer(${p.byteLength})]`);
    case 'typedarray':
      return lossy(`[${p.ctor}(${p.length})]`);
    case 'dataview':
      return lossy(`[DataView(${p.byteLength})]`);
    case 'blob':
      return lossy(`[${p.name === undefined ? 'Blob' : 'File'} ${p.size} bytes]`);
    case 'error':
      return lossy(`[${p.name}: ${p.message}]`);
    case 'boxed':
      return toJson(p.inner, state);
    case 'messageport':
      return lossy('[MessagePort]');
    case 'host':
      return lossy(`[${p.tag}]`);
    case 'ref':
      return lossy(`[ref ${p.path}]`);
    case 'getter':
      return lossy('[getter]');
    case 'more':
      return lossy(p.kind === undefined || p.size === undefined ? '[… not recorded]' : `[${cutText(p)} not recorded]`);
    case 'function':
      return lossy('[function]');
    case 'symbol':
      return lossy('[symbol]');
  }
}
