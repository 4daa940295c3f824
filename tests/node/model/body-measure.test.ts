// A posted message's body is measured once (issue 16, step 4): the fact log and the kept
// bodies charge the same characters as before, without walking the preview twice.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/model.ts';
import { bodyChars } from '../../../panel/model/bodySize.ts';
import type { Fact, Preview } from '../../../protocol/facts.ts';
import { Stream } from './facts.ts';

/** An object preview that counts how often its entries are read. */
function counted(n: number, text: string, reads: { n: number }): Preview {
  const entries: [string, Preview][] = [
    ['n', { t: 'number', v: n }],
    ['text', { t: 'string', v: text, len: text.length }],
  ];
  return {
    t: 'object',
    keys: entries.length,
    get entries() {
      reads.n++;
      return entries;
    },
  } as Preview;
}

describe('a posted body, measured once', () => {
  it('walks a posted preview once for the fact log and the message it becomes', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.onmessage(b);
    for (let i = 0; i < 10; i++) {
      top.post(a, `m${i}`);
      top.dispatch(b, `m${i}`);
    }
    const reads = { n: 0 };
    let i = 0;
    for (const f of s.all) if (f.kind === 'port-posted') f.preview = counted(i, `m${i++}`, reads);
    const model = createModel();
    model.apply(s.all);
    expect(model.messages).toHaveLength(10);
    expect(model.messages.every((m) => m.state === 'delivered')).toBe(true);
    // Before: once for the fact log, once more for the kept body.
    expect(reads.n).toBe(10);
  });

  it('keeps the same bodies within bodyCharsCap as measuring each one afresh', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.onmessage(b);
    for (let i = 0; i < 60; i++) {
      top.post(a, `${i}:${'x'.repeat((i * 7919) % 3000)}`);
      top.dispatch(b, `${i}:${'y'.repeat((i * 104729) % 2000)}`);
    }
    const cap = 20_000;
    // The bound as eviction.ts states it, with every body measured on its own.
    const sizes: number[] = [];
    let chars = 0;
    let evicted = 0;
    for (const f of s.all as Fact[]) {
      if (f.kind !== 'port-posted') continue;
      const size = bodyChars(f);
      sizes.push(size);
      chars += size;
      while (chars > cap && sizes.length > 1) {
        chars -= sizes.shift()!;
        evicted++;
      }
    }
    const model = createModel({ bodyCharsCap: cap });
    model.apply(s.all);
    expect(evicted).toBeGreaterThan(10);
    expect(model.stats.evictedMessages).toBe(evicted);
    expect(model.messages.filter((m) => m.preview !== undefined)).toHaveLength(sizes.length);
  });
});
