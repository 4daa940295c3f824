import { describe, expect, it } from 'vitest';
import { DEFAULT_OUTBOX_BOUNDS, Outbox } from '../../../content/outbox.ts';

/** A runtime text of 500 tiny facts (a port-posted and a message-dispatched per message, ≈ 42 characters each). */
const tinyRun = () => ({
  json: 'x'.repeat(500 * 42),
  count: 500,
  kinds: { 'port-posted': 250, 'message-dispatched': 250 },
});

describe('the relay outbox at its default bounds', () => {
  it('keeps every text of one page task of 100,000 recorded tiny messages (no acknowledgement can arrive within it)', () => {
    const o = new Outbox();
    for (let i = 0; i < 400; i++) o.addEncoded(tinyRun());
    o.seal();
    const batches = o.takeUnsent();
    expect(batches.every((b) => b.dropped === undefined)).toBe(true);
    expect(
      batches.reduce((n, b) => n + (b.type === 'json-batch' ? b.json.reduce((m, j) => m + j.count, 0) : 0), 0),
    ).toBe(200_000);
  });

  it('bounds texts by characters first for any fact of 68 characters or more', () => {
    expect(DEFAULT_OUTBOX_BOUNDS.unacked * 68).toBeGreaterThan(DEFAULT_OUTBOX_BOUNDS.unackedChars);
    const o = new Outbox();
    const wide = { json: 'x'.repeat(500 * 68), count: 500, kinds: { 'port-posted': 500 } };
    let kept = 0;
    for (let i = 0; i < 1_100; i++) o.addEncoded(wide);
    o.seal();
    const batches = o.takeUnsent();
    for (const b of batches) if (b.type === 'json-batch') kept += b.json.reduce((m, j) => m + j.count, 0);
    expect(kept * 68).toBeLessThanOrEqual(DEFAULT_OUTBOX_BOUNDS.unackedChars);
    expect(kept).toBeLessThan(DEFAULT_OUTBOX_BOUNDS.unacked);
    expect(batches.some((b) => b.dropped?.['port-posted'])).toBe(true);
  });
});
