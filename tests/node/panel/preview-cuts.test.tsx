// What the runtime did not record is said wherever a preview is shown (issue 16, issue 14's cut
// marks): the inspector, the one-line text of the table and cards, and Copy as JSON.
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Preview } from '../../../protocol/facts.ts';
import { PreviewTree } from '../../../panel/ui/PreviewTree.tsx';
import { previewText } from '../../../panel/previewText.ts';
import { previewJson } from '../../../panel/previewData.ts';

const text = (p: Preview) =>
  renderToStaticMarkup(<PreviewTree preview={p} />)
    .replace(/<[^>]*>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');
const n = (v: number): Preview => ({ t: 'number', v });
const root = (entries: [string, Preview, number?][], keys = entries.length): Preview => ({
  t: 'object',
  entries,
  keys,
  ...(keys > entries.length ? { truncated: true as const } : {}),
});

describe('cut branches in the inspector', () => {
  it('says what a container left unwalked is, with its size', () => {
    const p = root([
      ['owner', { t: 'more', kind: 'object', size: 12 }],
      ['one', { t: 'more', kind: 'object', size: 1 }],
      ['rows', { t: 'more', kind: 'array', size: 300 }],
      ['byId', { t: 'more', kind: 'map', size: 5 }],
      ['seen', { t: 'more', kind: 'set', size: 2 }],
      ['old', { t: 'more' }],
    ]);
    const t = text(p);
    expect(t).toContain('owner: Object · 12 keys — not recorded');
    expect(t).toContain('one: Object · 1 key — not recorded');
    expect(t).toContain('rows: Array(300) — not recorded');
    expect(t).toContain('byId: Map(5) — not recorded');
    expect(t).toContain('seen: Set(2) — not recorded');
    expect(t).toContain('old: … not recorded (depth or size limit)');
    // The mark says where to get more.
    expect(renderToStaticMarkup(<PreviewTree preview={p} />)).toContain('Settings → Message previews');
  });

  it('says how much of a container was listed, on its row and after its last child', () => {
    const arr: Preview = { t: 'array', len: 300, items: [n(0), n(1)], truncated: true };
    const t = text(root([['rows', arr]], 12));
    expect(t).toContain('first 2 of 300 items shown');
    expect(t).toContain('first 1 of 12 keys shown');
    expect(t).toContain('… 11 more keys — not recorded');
    const map: Preview = { t: 'map', size: 3, entries: [[n(1), n(2)]], truncated: true };
    expect(text(map)).toContain('first 1 of 3 entries shown');
    expect(text(map)).toContain('… 2 more entries — not recorded');
    // A whole container says nothing of the kind.
    expect(text({ t: 'array', len: 1, items: [n(0)] })).not.toMatch(/shown|not recorded/);
  });

  it('marks every text the runtime cut with its full length: keys, error texts, host tags, Blob names', () => {
    expect(text(root([['k'.repeat(8), n(1), 5000]]))).toContain(`${'k'.repeat(8)}… (5000 chars): 1`);
    expect(text({ t: 'error', name: 'TypeE', message: 'bad', nameLen: 900, messageLen: 20000 })).toContain(
      'TypeE… (900 chars): bad… (20000 chars)',
    );
    expect(text({ t: 'host', tag: 'Long', tagLen: 300 })).toContain('Long… (300 chars)');
    expect(text({ t: 'blob', size: 1, type: 'a/b', typeLen: 400, name: 'f', nameLen: 500 })).toContain(
      'File "f"… (500 chars) · 1 bytes · type "a/b"… (400 chars)',
    );
  });
});

describe('cut branches in one-line text and Copy as JSON', () => {
  it('one line: the kind and size of each cut', () => {
    const p = root([
      ['o', { t: 'more', kind: 'object', size: 12 }],
      ['a', { t: 'more', kind: 'array', size: 300 }],
      ['m', { t: 'more', kind: 'map', size: 5 }],
      ['s', { t: 'more', kind: 'set', size: 1 }],
      ['x', { t: 'more' }],
    ]);
    expect(previewText(p)).toBe('{o: {…12 keys}, a: Array(300) […], m: Map(5) {…}, s: Set(1) {…}, x: …}');
  });

  it('Copy as JSON: a cut is a labelled string, and the copy says it was cut', () => {
    const p = root([
      ['o', { t: 'more', kind: 'object', size: 12 }],
      ['a', { t: 'array', len: 300, items: [n(1)], truncated: true }],
    ]);
    const { json, cut } = previewJson(p);
    expect(cut).toBe(true);
    expect(JSON.parse(json)).toEqual({
      o: '[{…12 keys} not recorded]',
      a: [1, '[… 299 more items not recorded]'],
    });
    expect(JSON.parse(previewJson({ t: 'more' }).json)).toBe('[… not recorded]');
  });
});
