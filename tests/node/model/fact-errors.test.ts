// A fact the model cannot apply is counted, never rethrown (the panel must not go down); a test
// or a debugging session can be told of it through the onFactError option.
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from './facts.ts';

function brokenPost(): Fact[] {
  const s = new Stream();
  const top = s.context('top');
  const [a] = top.channel();
  top.post(a, 'fine');
  const broken = { ...s.all[s.all.length - 1], seq: 99 } as Record<string, unknown>;
  delete broken.transfer; // past the validator, a port-posted fact without its transfer list
  return [...s.all, broken as unknown as Fact];
}

describe('a fact that throws while applied', () => {
  it('is counted as error:<kind> and the model goes on', () => {
    const model = createModel();
    expect(() => model.apply(brokenPost())).not.toThrow();
    expect(model.stats.unmatched['error:port-posted']).toBe(1);
    expect(model.messages[0]).toMatchObject({ state: 'queued', fingerprint: 'fp:fine' });
  });

  it('is handed to onFactError with the fact, when the caller asks', () => {
    const seen: [unknown, Fact][] = [];
    const model = createModel({ onFactError: (error, fact) => seen.push([error, fact]) });
    model.apply(brokenPost());
    expect(seen).toHaveLength(1);
    expect(seen[0][0]).toBeInstanceOf(TypeError);
    expect(seen[0][1]).toMatchObject({ kind: 'port-posted', seq: 99 });
  });
});
