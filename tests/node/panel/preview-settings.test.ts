// The preview bounds as panel settings: checked against what the runtime and the validators
// accept, sent to the runtime as config when they change, left out of it when they are the default.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/model.ts';
import { boundsFrom, isFull } from '../../../panel/previewSettings.ts';
import { createPanelStore, SettingsError } from '../../../panel/store.ts';
import type { SourceCommand } from '../../../panel/source/types.ts';
import { PREVIEW_BOUNDS, PREVIEW_FULL } from '../../../protocol/facts.ts';
import { ProtocolError, validateConfig } from '../../../protocol/validate.ts';

function setup() {
  const sent: SourceCommand[] = [];
  const store = createPanelStore({
    createModel,
    send: (c) => sent.push(c),
    flushEvery: 0,
    settleAfter: 0,
    filterDelay: 0,
  });
  return { store, sent };
}

describe('preview settings', () => {
  it('sends full mode, custom bounds and a return to the default as runtime config', () => {
    const { store, sent } = setup();
    store.getState().setSettings({ preview: PREVIEW_FULL });
    const custom = boundsFrom(false, 4, 50, 500);
    store.getState().setSettings({ preview: custom });
    store.getState().setSettings({ preview: custom });
    store.getState().setSettings({ preview: PREVIEW_BOUNDS });
    expect(sent).toEqual([
      { type: 'config', config: { captureStacks: false, inWorker: false, preview: PREVIEW_FULL } },
      { type: 'config', config: { captureStacks: false, inWorker: false, preview: custom } },
      { type: 'config', config: { captureStacks: false, inWorker: false } },
    ]);
    expect(custom).toEqual({ depth: 4, keys: 50, stringLength: 500, nodes: 800, chars: 32_000 });
  });

  it('refuses bounds the runtime would not use, naming the field', () => {
    const { store, sent } = setup();
    expect(() => store.getState().setSettings({ preview: { ...PREVIEW_BOUNDS, depth: 0 } })).toThrow(SettingsError);
    expect(() => store.getState().setSettings({ preview: boundsFrom(false, 3, 5_000, 100) })).toThrow(
      'preview: keys: expected an integer from 1 to 1000, got 5000',
    );
    expect(() => store.getState().setSettings({ preview: boundsFrom(false, 2.5, 10, 100) })).toThrow('depth');
    expect(sent).toEqual([]);
  });

  it('the config validator accepts what the panel sends and names a bound out of range', () => {
    expect(validateConfig({ captureStacks: false, inWorker: false, preview: PREVIEW_FULL }, 'c').preview).toEqual(
      PREVIEW_FULL,
    );
    expect(validateConfig({ captureStacks: false, inWorker: false }, 'c').preview).toBeUndefined();
    const over = { captureStacks: false, inWorker: false, preview: { ...PREVIEW_FULL, nodes: PREVIEW_FULL.nodes + 1 } };
    expect(() => validateConfig(over, 'c')).toThrow(ProtocolError);
    expect(() => validateConfig(over, 'c')).toThrow(/^c\.preview\.nodes: /);
  });

  it('full mode is the safety limits, and the custom budgets never pass them', () => {
    expect(isFull(boundsFrom(true, 1, 1, 16))).toBe(true);
    expect(isFull(PREVIEW_BOUNDS)).toBe(false);
    const most = boundsFrom(false, PREVIEW_FULL.depth, PREVIEW_FULL.keys, PREVIEW_FULL.stringLength);
    expect(most.nodes).toBe(PREVIEW_FULL.nodes);
    expect(most.chars).toBe(PREVIEW_FULL.chars);
  });
});
