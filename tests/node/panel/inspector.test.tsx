// The object inspector rendered to static markup with react-dom/server (no DOM library is
// installed; static markup is what a browser would parse, so hostile text is checked there).
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Preview } from '../../../protocol/facts.ts';
import { PreviewTree } from '../../../panel/ui/PreviewTree.tsx';
import { previewText } from '../../../panel/previewText.ts';

const html = (p: Preview | undefined) => renderToStaticMarkup(<PreviewTree preview={p} />);
/** The visible text of static markup, entities decoded. */
const text = (markup: string) =>
  markup
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');

const str = (v: string): Preview => ({ t: 'string', v, len: v.length });

describe('PreviewTree', () => {
  it('renders every Preview type with its own words', () => {
    const all: [Preview, string][] = [
      [{ t: 'undefined' }, 'undefined'],
      [{ t: 'null' }, 'null'],
      [{ t: 'boolean', v: false }, 'false'],
      [{ t: 'number', v: 42.5 }, '42.5'],
      [{ t: 'number', v: '-0' }, '-0'],
      [{ t: 'number', v: 'NaN' }, 'NaN'],
      [{ t: 'bigint', v: '12345678901234567890' }, '12345678901234567890n'],
      [str('hi'), '"hi"'],
      [{ t: 'date', v: Date.UTC(2024, 0, 2, 3, 4, 5) }, 'Date(2024-01-02T03:04:05.000Z)'],
      [{ t: 'regexp', source: 'a+b', flags: 'gi' }, '/a+b/gi'],
      [{ t: 'arraybuffer', byteLength: 16 }, 'ArrayBuffer · 16 bytes'],
      [{ t: 'arraybuffer', byteLength: 8, shared: true }, 'SharedArrayBuffer · 8 bytes'],
      [{ t: 'typedarray', ctor: 'Float32Array', length: 4, byteLength: 16 }, 'Float32Array(4) · 16 bytes'],
      [{ t: 'dataview', byteLength: 3 }, 'DataView · 3 bytes'],
      [{ t: 'blob', size: 5, type: 'text/plain' }, 'Blob · 5 bytes · type "text/plain"'],
      [{ t: 'blob', size: 7, type: '', name: 'a.txt' }, 'File "a.txt" · 7 bytes · type (none)'],
      [{ t: 'error', name: 'TypeError', message: 'bad' }, 'TypeError: bad'],
      [{ t: 'messageport', port: 3 }, 'MessagePort (local #3)'],
      [{ t: 'getter' }, 'accessor property'],
      [{ t: 'host', tag: 'ImageBitmap' }, 'ImageBitmap'],
      [{ t: 'more' }, 'not recorded (depth or size limit)'],
      [{ t: 'more', kind: 'object', size: 12 }, 'Object · 12 keys — not recorded'],
      [{ t: 'ref', path: '$.a' }, 'same object as $.a'],
      [{ t: 'function' }, 'function'],
      [{ t: 'symbol' }, 'symbol'],
    ];
    for (const [p, want] of all) expect(text(html(p)), p.t).toContain(want);
  });

  it('expands containers: array, object, Map, Set, boxed', () => {
    const p: Preview = {
      t: 'object',
      keys: 4,
      entries: [
        ['list', { t: 'array', len: 2, items: [{ t: 'number', v: 1 }, str('two')] }],
        ['map', { t: 'map', size: 1, entries: [[str('k'), { t: 'boolean', v: true }]] }],
        ['set', { t: 'set', size: 1, items: [{ t: 'null' }] }],
        ['boxed', { t: 'boxed', inner: str('s') }],
      ],
    };
    const out = text(html(p));
    // The root is open; its children are listed with their one-line summaries.
    expect(out).toContain('list: Array(2) [1, "two"]');
    expect(out).toContain('map: Map(1) {"k" => true}');
    expect(out).toContain('set: Set(1) {null}');
    expect(out).toContain('boxed: Boxed("s")');
    expect(html(p)).toContain('role="tree"');
    expect(html(p)).toContain('aria-expanded="true"');
  });

  it('shows a cycle as a reference, not an endless tree', () => {
    const cyclic: Preview = {
      t: 'object',
      keys: 2,
      entries: [
        ['name', str('a')],
        ['self', { t: 'ref', path: '$' }],
      ],
    };
    const out = text(html(cyclic));
    expect(out).toContain('self: ↺ same object as $');
    expect(previewText(cyclic)).toBe('{name: "a", self: [ref $]}');
  });

  it('marks truncation as such', () => {
    const long: Preview = { t: 'string', v: 'x'.repeat(120), len: 5000, truncated: true };
    expect(text(html(long))).toContain('truncated (5000 chars)');
    const arr: Preview = { t: 'array', len: 1000, items: [{ t: 'number', v: 0 }], truncated: true };
    expect(text(html(arr))).toContain('first 1 of 1,000 items shown');
    expect(text(html(arr))).toContain('… 999 more items — not recorded');
    const obj: Preview = { t: 'object', keys: 30, entries: [['a', { t: 'more' }]], truncated: true };
    expect(text(html(obj))).toContain('… 29 more keys — not recorded');
    expect(text(html(obj))).toContain('a: … not recorded (depth or size limit)');
  });

  it('keeps hostile strings as text, in values and in keys', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const p: Preview = {
      t: 'object',
      keys: 2,
      entries: [
        [evil, str(evil)],
        ['e', { t: 'error', name: evil, message: '<script>alert(2)</script>' }],
      ],
    };
    const markup = html(p);
    expect(markup).not.toMatch(/<img/i);
    expect(markup).not.toMatch(/<script/i);
    expect(markup).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(text(markup)).toContain(`${evil}: "${evil}"`);
    const blob: Preview = { t: 'blob', size: 1, type: '"><svg onload=alert(1)>', name: '<b>x</b>' };
    expect(html(blob)).not.toMatch(/<svg|<b>/i);
  });

  it('says when the body was evicted', () => {
    expect(text(html(undefined))).toContain('evicted');
  });
});
