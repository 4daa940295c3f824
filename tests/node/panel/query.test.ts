import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, parseQuery } from '../../../panel/query.ts';

describe('parseQuery', () => {
  it('parses structured terms, words and negation', () => {
    expect(parseQuery('port:p3 -state:queued Hello "two words" has:transfer context:child.html')).toEqual([
      { key: 'port', value: 'p3', negate: false },
      { key: 'state', value: 'queued', negate: true },
      { key: 'text', value: 'hello', negate: false },
      { key: 'text', value: 'two words', negate: false },
      { key: 'has', value: 'transfer', negate: false },
      { key: 'context', value: 'child.html', negate: false },
    ]);
    expect(parseQuery('   ')).toEqual([]);
    expect(parseQuery('-ping')).toEqual([{ key: 'text', value: 'ping', negate: true }]);
  });

  it('names the bad term and what was expected', () => {
    expect(() => parseQuery('port:p1 colour:red')).toThrow(FilterSyntaxError);
    expect(() => parseQuery('port:p1 colour:red')).toThrow(
      'term 2: unknown filter "colour:" (known: port, channel, context, state, has, reason, id, library, larger-than, data.<path>)',
    );
    expect(() => parseQuery('state:lost')).toThrow(
      'term 1: state must be one of queued, delivered, dropped, unobserved, got "lost"',
    );
    expect(() => parseQuery('has:wings')).toThrow(
      'term 1: has must be one of transfer, error, stack, ports, got "wings"',
    );
    expect(() => parseQuery('a port:')).toThrow('term 2: "port:" needs a value');
  });
});
