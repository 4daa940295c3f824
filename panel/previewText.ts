/**
 * A one-line, plain-text rendering of a Preview for table cells and text search.
 * The result is only ever used as text (React text nodes), never as markup.
 */
import type { Preview } from '../protocol/facts.ts';
import { visibleText } from './pageText.ts';

/** Past this many characters a one-line preview stops growing (table cells are narrow). */
const LINE_BUDGET = 160;

export function previewText(p: Preview | undefined, budget = LINE_BUDGET): string {
  if (!p) return '(body evicted)';
  const out: string[] = [];
  let used = 0;
  const put = (s: string) => {
    if (used >= budget) return;
    out.push(s);
    used += s.length;
  };
  write(p, put, () => used >= budget, 0);
  const s = out.join('');
  return visibleText(s.length > budget ? `${s.slice(0, budget - 1)}…` : s);
}

type Put = (s: string) => void;

/** A text the runtime cut at the preview bound, with the length it had (`len` is set only when cut). */
const cut = (s: string, len: number | undefined) => (len === undefined ? s : `${s}…(${len} chars)`);

/**
 * A container the runtime left unwalked, by its kind and size: `{…12 keys}`, `Array(300) […]`.
 * A `more` of a trace written before cuts were described says only that something was cut.
 */
export function cutText(p: Extract<Preview, { t: 'more' }>): string {
  if (p.kind === undefined || p.size === undefined) return '…';
  switch (p.kind) {
    case 'object':
      return `{…${p.size} ${p.size === 1 ? 'key' : 'keys'}}`;
    case 'array':
      return `Array(${p.size}) […]`;
    case 'map':
      return `Map(${p.size}) {…}`;
    case 'set':
      return `Set(${p.size}) {…}`;
  }
}

function write(p: Preview, put: Put, full: () => boolean, depth: number): void {
  switch (p.t) {
    case 'undefined':
    case 'null':
      return put(p.t);
    case 'boolean':
      return put(String(p.v));
    case 'number':
      return put(String(p.v));
    case 'bigint':
      return put(p.truncated ? `${p.v}…n(${p.len} digits)` : `${p.v}n`);
    case 'string':
      return put(p.truncated ? `${JSON.stringify(p.v)}…(${p.len} chars)` : JSON.stringify(p.v));
    case 'array': {
      put(`Array(${p.len}) [`);
      p.items.forEach((item, i) => {
        if (full()) return;
        if (i) put(', ');
        write(item, put, full, depth + 1);
      });
      if (p.truncated || p.items.length < p.len) put(', …');
      return put(']');
    }
    case 'object': {
      put('{');
      p.entries.forEach(([key, v, keyLen], i) => {
        if (full()) return;
        const k = cut(key, keyLen);
        put(i ? `, ${k}: ` : `${k}: `);
        write(v, put, full, depth + 1);
      });
      if (p.truncated || p.entries.length < p.keys) put(', …');
      return put('}');
    }
    case 'map': {
      put(`Map(${p.size}) {`);
      p.entries.forEach(([k, v], i) => {
        if (full()) return;
        if (i) put(', ');
        write(k, put, full, depth + 1);
        put(' => ');
        write(v, put, full, depth + 1);
      });
      if (p.truncated || p.entries.length < p.size) put(', …');
      return put('}');
    }
    case 'set': {
      put(`Set(${p.size}) {`);
      p.items.forEach((v, i) => {
        if (full()) return;
        if (i) put(', ');
        write(v, put, full, depth + 1);
      });
      if (p.truncated || p.items.length < p.size) put(', …');
      return put('}');
    }
    case 'date':
      return put(Number.isFinite(p.v) ? `Date(${new Date(p.v).toISOString()})` : 'Date(Invalid)');
    case 'regexp':
      return put(`/${cut(p.source, p.sourceLen)}/${p.flags}`);
    case 'arraybuffer':
      return put(`${p.shared ? 'SharedArrayBuffer' : 'ArrayBuffer'}(${p.byteLength})`);
    case 'typedarray':
      return put(`${p.ctor}(${p.length})`);
    case 'dataview':
      return put(`DataView(${p.byteLength})`);
    case 'blob': {
      const type = p.type ? `, ${cut(p.type, p.typeLen)}` : '';
      return put(
        p.name !== undefined
          ? `File(${cut(JSON.stringify(p.name), p.nameLen)}, ${p.size} B${type})`
          : `Blob(${p.size} B${type})`,
      );
    }
    case 'error':
      return put(`${cut(p.name, p.nameLen)}: ${cut(p.message, p.messageLen)}`);
    case 'boxed':
      put('Boxed(');
      write(p.inner, put, full, depth + 1);
      return put(')');
    case 'messageport':
      return put('MessagePort');
    case 'getter':
      return put('(getter)');
    case 'host':
      return put(cut(p.tag, p.tagLen));
    case 'more':
      return put(cutText(p));
    case 'ref':
      return put(`[ref ${p.path}]`);
    case 'function':
      return put('ƒ');
    case 'symbol':
      return put('Symbol');
  }
}

/**
 * The words a free-text filter matches in a preview: keys, strings, numbers and type names,
 * space-separated. Much cheaper than previewText (no formatting), since the filter builds
 * it for every message once.
 */
export function previewWords(p: Preview | undefined): string {
  if (!p) return '';
  const out: string[] = [];
  const stack: Preview[] = [p];
  while (stack.length && out.length < 400) {
    const q = stack.pop()!;
    switch (q.t) {
      case 'string':
      case 'bigint':
        out.push(q.v);
        break;
      case 'number':
      case 'boolean':
        out.push(String(q.v));
        break;
      case 'array':
      case 'set':
        for (let i = q.items.length - 1; i >= 0; i--) stack.push(q.items[i]!);
        break;
      case 'object':
        for (let i = q.entries.length - 1; i >= 0; i--) {
          out.push(q.entries[i]![0]);
          stack.push(q.entries[i]![1]);
        }
        break;
      case 'map':
        for (let i = q.entries.length - 1; i >= 0; i--) stack.push(q.entries[i]![1], q.entries[i]![0]);
        break;
      case 'boxed':
        stack.push(q.inner);
        break;
      case 'error':
        out.push(q.name, q.message);
        break;
      case 'blob':
        out.push('blob', q.type, q.name ?? '');
        break;
      case 'typedarray':
        out.push(q.ctor);
        break;
      case 'host':
        out.push(q.tag);
        break;
      case 'regexp':
        out.push(q.source);
        break;
      default:
        out.push(q.t);
    }
  }
  return out.join(' ');
}
