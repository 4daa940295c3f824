// Filtering and sorting the Messages table over the real model.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/model.ts';
import { messageRows } from '../../../panel/messageRows.ts';
import { parseQuery } from '../../../panel/query.ts';
import { allSyntheticFacts } from './syntheticFacts.ts';

const model = createModel();
model.apply(allSyntheticFacts({ messages: 40, stuck: 3 }));
model.settle();
const rows = (q: string, key: 'time' | 'size' | 'state' = 'time', dir: 'asc' | 'desc' = 'asc') =>
  messageRows(model, parseQuery(q), { key, dir });

describe('messageRows', () => {
  it('shows everything without a filter, in post order', () => {
    const all = rows('');
    expect(all).toHaveLength(43);
    expect(all.map((m) => m.postedAt)).toEqual([...all.map((m) => m.postedAt)].sort((a, b) => a - b));
  });

  it('filters by state, port, channel, context and words, with negation', () => {
    expect(rows('state:queued').map((m) => m.preview)).toEqual(
      [1, 2, 3].map((i) => ({ t: 'string', v: `stuck ${i}`, len: 7 })),
    );
    expect(rows('-state:queued')).toHaveLength(40);
    const stuckPort = rows('state:queued')[0]!.from.port;
    expect(rows(`port:${stuckPort}`)).toHaveLength(3);
    const stuckChannel = model.ports.get(stuckPort)!.channel;
    expect(rows(`channel:${stuckChannel}`)).toHaveLength(3);
    expect(rows(`-channel:${stuckChannel}`)).toHaveLength(40);
    expect(rows('ping')).toHaveLength(20);
    expect(rows('pong -"message 20"')).toHaveLength(20 - 1);
    expect(rows('context:child.html')).toHaveLength(40);
    expect(rows('context:ctx-frame state:delivered')).toHaveLength(40);
    expect(rows('has:transfer')).toHaveLength(0);
    expect(rows('milestone')).toHaveLength(0);
  });

  it('sorts by a column both ways', () => {
    const byState = rows('', 'state');
    expect(byState[0]!.state).toBe('queued');
    expect(byState.at(-1)!.state).toBe('delivered');
    const desc = rows('', 'time', 'desc');
    expect(desc[0]!.postedAt).toBeGreaterThan(desc.at(-1)!.postedAt);
  });
});
