// Page text in panel cells: bidi controls and invisible characters are shown escaped.
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { visibleText } from '../../../panel/pageText.ts';
import { previewText } from '../../../panel/previewText.ts';
import { PreviewTree } from '../../../panel/ui/PreviewTree.tsx';
import { contextLabel } from '../../../panel/ui/labels.ts';

const spoof = 'pay to \u202E4321-0000 account';

describe('page text', () => {
  it('escapes bidi overrides, isolates, marks, controls and invisible characters', () => {
    expect(visibleText(spoof)).toBe('pay to \\u202E4321-0000 account');
    expect(visibleText('a\u2066b\u2069c\u200Fd\u061Ce\u0000f\u009Bg\u200Bh\uFEFFi\u2028j')).toBe(
      'a\\u2066b\\u2069c\\u200Fd\\u061Ce\\u0000f\\u009Bg\\u200Bh\\uFEFFi\\u2028j',
    );
    // Ordinary text, right-to-left letters included, is left as it is.
    expect(visibleText('שלום مرحبا héllo 你好 👋')).toBe('שלום مرحبا héllo 你好 👋');
  });

  it('the messages cell and the inspector show no raw control from keys or values', () => {
    const preview = {
      t: 'object' as const,
      keys: 1,
      entries: [[`k\u202Eey`, { t: 'string' as const, v: spoof, len: spoof.length }]] as [
        string,
        { t: 'string'; v: string; len: number },
      ][],
    };
    expect(previewText(preview)).toBe('{k\\u202Eey: "pay to \\u202E4321-0000 account"}');
    const html = renderToStaticMarkup(<PreviewTree preview={preview} />);
    expect(html).not.toMatch(/[\u202E]/);
    expect(html).toContain('pay to \\u202E4321-0000 account');
    expect(html).toContain('page-text');
  });

  it('context labels show controls in a URL the parser did not take escaped', () => {
    const ctx = {
      id: 'c',
      kind: 'iframe' as const,
      url: 'worker \u202Etxt.exe',
      origin: '',
      framePath: '',
      observed: true,
      createdAt: 0,
    };
    expect(contextLabel(ctx, 'c')).toBe('iframe worker \\u202Etxt.exe');
  });
});
