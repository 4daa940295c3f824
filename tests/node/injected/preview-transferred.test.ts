import { describe, expect, it } from 'vitest';
import { describe as describeValue } from '../../../injected/preview.ts';

/** Detaches `buffer` the way a post's transfer does. */
const transfer = (buffer: ArrayBuffer) => void structuredClone(buffer, { transfer: [buffer] });

describe('preview of what a post transferred (sizes taken before the post)', () => {
  it('a detached ArrayBuffer is described with the size it had, and counted', () => {
    const buffer = new ArrayBuffer(4096);
    transfer(buffer);
    expect(describeValue(buffer).preview).toEqual({ t: 'arraybuffer', byteLength: 0 });
    const d = describeValue({ payload: buffer }, undefined, false, { buffers: new Map([[buffer, 4096]]) });
    expect(d.preview).toMatchObject({ entries: [['payload', { t: 'arraybuffer', byteLength: 4096 }]] });
    expect(d.bytes).toBeGreaterThanOrEqual(4096);
  });

  it('the posted view keeps its lengths; a nested DataView over a detached buffer no longer throws', () => {
    const buffer = new ArrayBuffer(64);
    const view = new Float64Array(buffer, 8, 4);
    const dv = new DataView(buffer, 0, 16);
    transfer(buffer);
    const sizes = { buffers: new Map([[buffer, 64]]), view: { of: view, length: 4, byteLength: 32 } };
    const described = describeValue(view, undefined, false, sizes).preview;
    expect(described).toEqual({ t: 'typedarray', ctor: 'Float64Array', length: 4, byteLength: 32 });
    const nested = describeValue([dv], undefined, false, sizes).preview;
    expect(nested).toMatchObject({ items: [{ t: 'dataview', byteLength: 0 }] });
  });
});
