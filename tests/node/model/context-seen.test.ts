/** How each context is seen (ContextNode.seen), from its context fact's `observed` and `inside`. */
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/model.ts';
import { validateFact } from '../../../protocol/validate.ts';
import { Stream } from './facts.ts';

describe('ContextNode.seen', () => {
  it('a document from inside, workers from inside by protocol or bootstrap, an unannounced worker from outside', () => {
    const s = new Stream();
    const top = s.context('top');
    top.worker('https://app.test/outside.js');
    top.worker('https://app.test/protocol.js', 'w-protocol');
    top.worker('https://app.test/bootstrap.js', 'w-bootstrap');
    s.context('w-protocol', 'worker', { url: 'https://app.test/protocol.js', parent: 'top' });
    s.context('w-bootstrap', 'worker', { url: 'https://app.test/bootstrap.js', parent: 'top' });
    for (const f of s.all) {
      if (f.kind === 'context' && f.ctx === 'w-protocol') f.inside = 'protocol';
      if (f.kind === 'context' && f.ctx === 'w-bootstrap') f.inside = 'bootstrap';
    }
    const model = createModel();
    model.apply(s.all);
    const seen = Object.fromEntries(
      [...model.contexts.values()].map((c) => [c.url.replace('https://app.test/', ''), c.seen]),
    );
    expect(seen).toEqual({
      'top.html': 'inside',
      'outside.js': 'outside',
      'protocol.js': 'inside-protocol',
      'bootstrap.js': 'inside-bootstrap',
    });
  });

  it('the context fact validates `inside`', () => {
    const base = {
      kind: 'context',
      ctx: 'w',
      seq: 1,
      time: 1,
      contextKind: 'worker',
      url: 'https://app.test/w.js',
      origin: 'https://app.test',
      framePath: '',
      observed: true,
      userAgent: 'x',
    };
    expect(validateFact({ ...base, inside: 'protocol' }, 'f')).toEqual({ ...base, inside: 'protocol' });
    expect(validateFact(base, 'f')).toEqual(base);
    expect(() => validateFact({ ...base, inside: 'somehow' }, 'f')).toThrow(/f\.inside/);
  });
});
