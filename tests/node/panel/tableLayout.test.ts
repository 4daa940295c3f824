// The Messages table layout read back from storage, and the context labels its cells use.
import { describe, expect, it } from 'vitest';
import type { ContextNode } from '../../../panel/model/types.ts';
import { contextLabel } from '../../../panel/ui/labels.ts';
import { DEFAULT_LAYOUT, parseLayout } from '../../../panel/ui/tableLayout.ts';

describe('parseLayout', () => {
  it('keeps what is valid and falls back for anything else', () => {
    expect(parseLayout(null)).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('not json')).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('[1,2]').visible).toEqual(DEFAULT_LAYOUT.visible);
    const stored = JSON.stringify({
      visible: ['time', 'channel', 'bogus', 'channel', 7],
      widths: { from: 5, data: 400, evil: 10, to: 'wide', size: Number.MAX_VALUE },
      detail: -3,
      detailBelow: 300,
    });
    expect(parseLayout(stored)).toEqual({
      visible: ['time', 'channel'],
      widths: { from: 40, data: 400, size: 2000 },
      detail: 120,
      detailBelow: 300,
    });
    expect(parseLayout(JSON.stringify({ visible: [] })).visible).toEqual(DEFAULT_LAYOUT.visible);
  });
});

describe('contextLabel', () => {
  const ctx = (url: string, kind: ContextNode['kind'] = 'iframe') =>
    ({ id: 'c', kind, url, origin: '', framePath: 'top.frames[0]', observed: true, createdAt: 0 }) as ContextNode;
  it('shows the origin of a context from another origin than the page, and only then', () => {
    const page = 'http://127.0.0.1:8101';
    expect(contextLabel(ctx('http://localhost:8102/widget.html'), 'c', page)).toBe(
      'iframe http://localhost:8102/widget.html',
    );
    expect(contextLabel(ctx('http://127.0.0.1:8101/widget.html?x=1'), 'c', page)).toBe('iframe /widget.html?x=1');
    // An opaque origin is not another site: no origin is added (the label is what it was).
    expect(contextLabel(ctx('about:blank'), 'c', page)).toBe(contextLabel(ctx('about:blank'), 'c'));
    expect(contextLabel(ctx('http://localhost:8102/widget.html'), 'c')).toBe('iframe /widget.html');
  });
});
