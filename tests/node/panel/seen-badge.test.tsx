// How the Channels tree says a context is seen (panel/ui/ChannelsView.tsx SeenBadge), rendered to static markup.
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ContextNode } from '../../../panel/model/types.ts';
import { SeenBadge } from '../../../panel/ui/ChannelsView.tsx';

const context = (observed: boolean, seen: ContextNode['seen']): ContextNode => ({
  id: 'w',
  kind: 'worker',
  url: 'https://app.test/w.js',
  origin: 'https://app.test',
  framePath: '',
  observed,
  seen,
  createdAt: 0,
});
const text = (c: ContextNode) => renderToStaticMarkup(<SeenBadge context={c} />).replace(/<[^>]*>/g, '');

describe('SeenBadge', () => {
  it('names each way a context is seen', () => {
    expect(text(context(false, 'outside'))).toBe('not observed');
    expect(text(context(true, 'inside-protocol'))).toBe('seen from inside (DevTools protocol)');
    expect(text(context(true, 'inside-bootstrap'))).toBe('seen from inside (bootstrap)');
    expect(text(context(true, 'inside'))).toBe('');
  });
});
