import { describe, expect, it } from 'vitest';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from './facts.ts';

describe('diagnostics', () => {
  it('port-never-started: queued messages, an addEventListener listener, never enabled', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]', url: 'https://app.test/child.html' });
    const [a, b] = top.channel();
    const cb = top.handToFrame(child, b);
    child.addListener(cb);
    for (let i = 0; i < 12; i++) top.post(a, `m${i}`);
    const model = createModel();
    model.apply(s.all);
    const [d] = model.diagnostics();
    expect(d).toMatchObject({ code: 'port-never-started', port: 'p2', context: 'child', severity: 'error', count: 1 });
    expect(d.message).toBe(
      "port p2 in iframe /child.html has 12 messages waiting: it has a 'message' listener but was never started",
    );
    expect(d.hint).toMatch(/port\.start\(\)|onmessage/);
    // Starting the port resolves the condition.
    child.start(cb);
    model.apply(child.facts.slice(-1));
    expect(model.diagnostics().filter((x) => x.code === 'port-never-started')).toEqual([]);
  });

  it('post-after-transfer, doomed-message and clone-error, deduplicated with counts', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    const [x, y] = top.channel();
    top.post(x, 'ship a', { transfer: [{ t: 'port', port: a }] });
    for (let i = 0; i < 3; i++) top.post(a, 'on old object', { outcome: 'shipped' });
    top.post(y, 'doomed', { transfer: [{ t: 'port', port: x }], outcome: 'doomed' });
    top.emit('clone-error', {
      port: b,
      carrier: 'port',
      name: 'DataCloneError',
      message: 'function could not be cloned',
    });
    top.emit('clone-error', {
      port: b,
      carrier: 'port',
      name: 'DataCloneError',
      message: 'function could not be cloned',
    });
    const model = createModel();
    model.apply(s.all);
    const byCode = Object.fromEntries(model.diagnostics().map((d) => [d.code, d]));
    expect(byCode['post-after-transfer']).toMatchObject({ port: 'p1', count: 3 });
    expect(byCode['post-after-transfer'].message).toMatch(/^3 messages posted on the old object of port p1/);
    expect(byCode['doomed-message']).toMatchObject({ port: 'p4', count: 1 });
    expect(byCode['clone-error']).toMatchObject({ port: 'p2', count: 2 });
    expect(byCode['clone-error'].message).toContain('DataCloneError: function could not be cloned (2 times)');
    expect(model.ports.get('p1')!.droppedBy).toEqual({ shipped: 3 });
    expect(model.ports.get('p4')!.droppedBy).toEqual({ doomed: 1 });
  });

  it('message-to-destroyed-context: queued messages die with the context, later posts are dropped', () => {
    const s = new Stream();
    const top = s.context('top');
    const child = s.context('child', 'iframe', { framePath: 'top.frames[0]' });
    const [a, b] = top.channel();
    top.handToFrame(child, b);
    top.post(a, 'waiting');
    child.destroyed('removed');
    top.post(a, 'too late');
    const model = createModel();
    model.apply(s.all);
    expect(model.messages.map((m) => [m.state, m.dropReason])).toEqual([
      ['dropped', 'context-destroyed'],
      ['dropped', 'context-destroyed'],
    ]);
    expect(model.ports.get('p1')!.droppedBy).toEqual({ 'context-destroyed': 2 });
    const [d] = model.diagnostics();
    expect(d).toMatchObject({ code: 'message-to-destroyed-context', port: 'p2', context: 'child', count: 2 });
    expect(model.contexts.get('child')!.destroyed).toMatchObject({ reason: 'removed' });
  });

  it('queue-growing past the threshold, once per port', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a] = top.channel();
    for (let i = 0; i < 30; i++) top.post(a, `m${i}`);
    const model = createModel({ queueGrowingThreshold: 10 });
    model.apply(s.all);
    const growing = model.diagnostics().filter((d) => d.code === 'queue-growing');
    expect(growing).toHaveLength(1);
    expect(growing[0].message).toBe('port p2 in window /top.html has 30 messages waiting (peak 30, threshold 10)');
  });

  it('port-leak beyond the threshold of unused, unclosed ports', () => {
    const s = new Stream();
    const top = s.context('top');
    for (let i = 0; i < 3; i++) top.channel();
    const [a, b] = top.channel();
    top.close(a);
    top.onmessage(b);
    const model = createModel({ portLeakThreshold: 5 });
    model.apply(s.all);
    const [d] = model.diagnostics();
    expect(d).toMatchObject({ code: 'port-leak', port: null, context: 'top', count: 6 });
    expect(d.message).toBe('window /top.html created 6 ports that were never used nor closed (threshold 5)');
    const under = createModel({ portLeakThreshold: 6 });
    under.apply(s.all);
    expect(under.diagnostics()).toEqual([]);
  });

  it('handler-threw, and the message still counts as delivered', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.onmessage(b);
    top.post(a, 'boom');
    top.dispatch(b, 'boom', 0, { threw: { name: 'TypeError', message: 'x is undefined' } });
    const model = createModel();
    model.apply(s.all);
    expect(model.messages[0]).toMatchObject({ state: 'delivered', threw: { name: 'TypeError' } });
    expect(model.diagnostics()).toMatchObject([{ code: 'handler-threw', port: 'p2', severity: 'error' }]);
  });

  it('summary lists diagnostics in the stable shape', () => {
    const s = new Stream();
    const top = s.context('top');
    const [a, b] = top.channel();
    top.close(b);
    top.post(a, 'late');
    const model = createModel();
    model.apply(s.all);
    const summary = model.summary();
    expect(Object.keys(summary).sort()).toEqual([
      'carriers',
      'channels',
      'contexts',
      'diagnostics',
      'messages',
      'ports',
      'transfers',
    ]);
    expect(summary.diagnostics).toEqual([
      {
        code: 'post-after-close',
        port: 'p1',
        context: 'top',
        message: expect.stringMatching(/^1 message posted on port p1/),
      },
    ]);
    expect(summary.ports[0]).toEqual({
      id: 'p1',
      channel: 'c1',
      context: 'top',
      enabled: false,
      shipped: false,
      closed: false,
      queued: 0,
      posted: 1,
      delivered: 0,
      dropped: 1,
    });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });
});
