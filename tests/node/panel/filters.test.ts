// The filter language's newer terms and the receiver side of context:, over the real model.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import { createModel } from '../../../panel/model/model.ts';
import { messageRows } from '../../../panel/messageRows.ts';
import { FilterSyntaxError, parseQuery } from '../../../panel/query.ts';
import { allSyntheticFacts } from './syntheticFacts.ts';

const synthetic = createModel();
synthetic.apply(allSyntheticFacts({ messages: 40, stuck: 3 }));
synthetic.settle();
const rows = (q: string) => messageRows(synthetic, parseQuery(q), { key: 'time', dir: 'asc' });

// A real recording of the demo site: its worker runs no Portscope (seen from outside).
const demo = createModel();
demo.apply(JSON.parse(readFileSync(new URL('./demo-facts.json', import.meta.url), 'utf8')) as Fact[]);
demo.settle();

describe('filter terms', () => {
  it('data.<path>: matches a value in the data, exactly, at that path only', () => {
    expect(rows('data.type:ping')).toHaveLength(20);
    expect(rows('data.type:pong')).toHaveLength(20);
    expect(rows('data.type:pin')).toHaveLength(0);
    expect(rows('data.n:7')).toHaveLength(1);
    expect(rows('data.note:"message 7"')).toHaveLength(1);
    expect(rows('-data.type:ping')).toHaveLength(23);
    expect(rows('data.missing.deeper:1')).toHaveLength(0);
    expect(() => parseQuery('data..x:1')).toThrow('term 1: "data..x:" has an empty property name');
  });

  it('larger-than: counts bytes (k = 1024) and never matches a size that is not known', () => {
    expect(parseQuery('larger-than:1k')).toEqual([{ key: 'larger-than', value: '1024', negate: false }]);
    expect(parseQuery('larger-than:1.5kb')[0]?.value).toBe('1536');
    expect(rows('larger-than:47')).toHaveLength(40);
    expect(rows('larger-than:48')).toHaveLength(0);
    expect(rows('larger-than:9')).toHaveLength(43);
    expect(() => parseQuery('larger-than:big')).toThrow(
      'term 1: larger-than needs a size such as 512, 1k or 2m, got "big"',
    );
  });

  it('/regex/ matches the message text ignoring case; a bad one is a clear error', () => {
    expect(rows('/milestone|stuck.[12]/')).toHaveLength(2);
    expect(rows('/MESSAGE.7\\b/')).toHaveLength(1);
    expect(rows('/message.\\d?7\\b/')).toHaveLength(4);
    expect(() => parseQuery('/(/')).toThrow(FilterSyntaxError);
    expect(() => parseQuery('ok /a(/')).toThrow(/^term 2: invalid regular expression \/a\(\/: /);
  });

  it('context: matches messages delivered to a context, also one seen only from outside', () => {
    const worker = [...demo.contexts.values()].find((c) => c.kind === 'worker');
    expect(worker?.observed).toBe(false);
    const toWorker = demo.messages.filter((m) => m.from.context !== worker?.id);
    const matched = messageRows(demo, parseQuery('context:worker.js'), { key: 'time', dir: 'asc' });
    // The page's echo to the worker (dispatched where no runtime reports it) is among them.
    expect(matched.some((m) => toWorker.includes(m))).toBe(true);
    expect(
      matched.every((m) => m.from.context === worker?.id || demo.ports.get(m.to.port ?? '')?.context === worker?.id),
    ).toBe(true);
  });
});
