import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import { ProtocolError, validateFact } from '../../../protocol/validate.ts';
import { Stream, fingerprint, preview } from './facts.ts';

/** A `message-dispatched` as a runtime sends it when it reported the post itself. */
function bareDispatch(ctx: ReturnType<Stream['context']>, port: number): void {
  ctx.emit('message-dispatched', { port, ports: [], handlers: 1, duration: 0.1 });
}

describe('message-dispatched without preview and fingerprint', () => {
  it('pairs with the observed post, keeps the posted preview and counts no mismatch', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.start(b);
    top.post(a, 'one');
    top.post(a, 'two');
    bareDispatch(top, b);
    bareDispatch(top, b);
    const model = createModel();
    model.apply(s.all);
    expect(model.messages.map((m) => [m.state, m.preview, m.fingerprint, m.handlers])).toEqual([
      ['delivered', preview('one'), fingerprint('one'), 1],
      ['delivered', preview('two'), fingerprint('two'), 1],
    ]);
    expect(model.stats.unmatched).toEqual({});
    expect(model.stats.inferred).toEqual({});
  });

  it('still counts a mismatch when a fingerprint is present and differs', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.start(b);
    top.post(a, 'one');
    top.dispatch(b, 'other');
    const model = createModel();
    model.apply(s.all);
    expect(model.stats.unmatched).toEqual({ 'fingerprint-mismatch': 1 });
    // The dispatch's own preview never replaces the post's.
    expect(model.messages[0].preview).toEqual(preview('one'));
  });

  it('infers a post from a bare dispatch: no preview, empty fingerprint, still delivered', () => {
    const s = new Stream();
    const top = s.context('top');
    // A SharedWorker port: its other end is in an unobserved worker, so its posts are inferred.
    const port = top.sharedWorkerPort('https://app.test/shared.js');
    bareDispatch(top, port);
    const model = createModel();
    model.apply(s.all);
    expect(model.stats.waiting).toBe(0);
    expect(model.stats.inferred).toMatchObject({ post: 1 });
    expect(model.messages).toHaveLength(1);
    const m = model.messages[0];
    expect([m.state, m.postObserved, m.fingerprint, 'preview' in m ? m.preview : 'absent']).toEqual([
      'delivered',
      false,
      '',
      'absent',
    ]);
  });

  it('an inferred post keeps the dispatch preview when there is one', () => {
    const s = new Stream();
    const top = s.context('top');
    const port = top.sharedWorkerPort('https://app.test/shared.js');
    top.dispatch(port, 'seen');
    const model = createModel();
    model.apply(s.all);
    expect(model.messages.map((m) => [m.postObserved, m.preview, m.fingerprint])).toEqual([
      [false, preview('seen'), fingerprint('seen')],
    ]);
  });

  it('validates: both fields optional, each checked when present', () => {
    const base = {
      kind: 'message-dispatched',
      ctx: 'c',
      seq: 1,
      time: 1,
      port: 2,
      ports: [],
      handlers: 0,
      duration: 0,
    };
    expect(validateFact(base, 'f')).toEqual(base);
    expect(validateFact({ ...base, fingerprint: 'ab', ports: [3] }, 'f')).toEqual({
      ...base,
      fingerprint: 'ab',
      ports: [3],
    });
    expect(() => validateFact({ ...base, fingerprint: 7 }, 'f')).toThrow(ProtocolError);
    expect(() => validateFact({ ...base, fingerprint: 7 }, 'f')).toThrow(/f\.fingerprint/);
    expect(() => validateFact({ ...base, preview: { t: 'nope' } }, 'f')).toThrow(/f\.preview\.t/);
  });
});
