/** The checks behind portscope/playwright's matchers, on models built from synthetic facts. */
import { describe, expect, it } from 'vitest';
import { delivered, noDiagnostics, nothingQueued } from '../../../cli/matchers.ts';
import { createModel } from '../../../panel/model/index.ts';
import { Stream } from '../model/facts.ts';

/** A ping-pong channel (c1) and a channel (c2) whose receiving port has a listener but is never started. */
function model(withNeverStarted = true) {
  const s = new Stream();
  const top = s.context('top', 'window', { url: 'https://app.test/rpc.html' });
  const [a, b] = top.channel();
  top.start(a);
  top.start(b);
  top.post(a, 'ping');
  top.dispatch(b, 'ping');
  top.post(b, 'pong');
  top.dispatch(a, 'pong');
  if (withNeverStarted) {
    const [c, d] = top.channel();
    const created = s.all[s.all.length - 1];
    if (created.kind === 'channel-created')
      created.site = {
        stack: ['    at connect (https://app.test/rpc.js:12:19)', '    at https://app.test/rpc.js:40:1'],
      };
    top.addListener(d);
    top.post(c, 'hello');
    top.post(c, 'again');
  }
  const m = createModel();
  m.apply(s.all);
  m.summary();
  return m;
}

describe('noDiagnostics', () => {
  it('passes on a clean model', () => {
    const v = noDiagnostics(model(false));
    expect(v.pass).toBe(true);
    expect(v.message(true)).toBe('expected Portscope diagnostics, found none');
  });

  it('names the port, channel, context URL and call site of each diagnostic', () => {
    const v = noDiagnostics(model());
    expect(v.pass).toBe(false);
    const lines = v.message(false).split('\n');
    expect(lines[0]).toBe('expected no Portscope diagnostics, found 1 diagnostic:');
    expect(lines[1]).toMatch(/^ {2}port-never-started: port p4 in window \/rpc\.html has 2 messages waiting/);
    expect(lines[2]).toBe('    port p4 (channel c2) in window https://app.test/rpc.html, never started');
    expect(lines[3]).toBe('      channel created: connect (https://app.test/rpc.js:12:19) (call site)');
    expect(lines[4]).toBe('        https://app.test/rpc.js:40:1 (caller)');
    expect(lines.at(-1)).toMatch(/^ {4}fix: call port\.start\(\)/);
    // Playwright's reporter takes a line ending in file:line:column (or "at …") for a stack frame.
    expect(lines.filter((l) => /^\s*at |:\d+:\d+\)?$/.test(l))).toEqual([]);
  });

  it('counts only the codes asked for, and never the ignored ones', () => {
    expect(noDiagnostics(model(), { codes: ['handler-threw'] }).pass).toBe(true);
    expect(noDiagnostics(model(), { ignore: ['port-never-started'] }).pass).toBe(true);
    expect(noDiagnostics(model(), { codes: ['port-never-started'] }).pass).toBe(false);
  });
});

describe('delivered', () => {
  it('counts messages dispatched on a channel', () => {
    expect(delivered(model(), { channel: 'c1', count: 2 }).pass).toBe(true);
    expect(delivered(model(), { channel: 'c2' }).pass).toBe(false);
    expect(delivered(model(), { port: 'p2', count: 1 }).pass).toBe(true);
    expect(delivered(model(), { context: /rpc\.html$/, count: 2 }).pass).toBe(true);
  });

  it('says what each matching port received, and where the waiting messages came from', () => {
    const v = delivered(model(), { channel: 'c2', count: 2 });
    expect(v.pass).toBe(false);
    expect(v.message(false).split('\n')).toEqual([
      'expected 2 messages delivered on channel c2, found 0',
      '  port p3 (channel c2) in window https://app.test/rpc.html, never started: 0 delivered, 0 queued, 0 dropped',
      '  port p4 (channel c2) in window https://app.test/rpc.html, never started: 0 delivered, 2 queued, 0 dropped',
      '      channel created: connect (https://app.test/rpc.js:12:19) (call site)',
      '        https://app.test/rpc.js:40:1 (caller)',
    ]);
  });

  it('says when no port matches', () => {
    const v = delivered(model(), { channel: 'c9' });
    expect(v.message(false)).toContain('no port matches');
    expect(v.message(false)).toContain('ports seen: p1 (c1), p2 (c1), p3 (c2), p4 (c2)');
  });
});

describe('nothingQueued', () => {
  it('passes when every port message queue is empty', () => {
    expect(nothingQueued(model(false)).pass).toBe(true);
  });

  it('lists the ports with messages waiting', () => {
    const v = nothingQueued(model());
    expect(v.pass).toBe(false);
    expect(v.message(false).split('\n').slice(0, 3)).toEqual([
      'expected no message waiting in a port message queue, found 2 on 1 port:',
      '  port p4 (channel c2) in window https://app.test/rpc.html, never started: 2 messages waiting',
      '      channel created: connect (https://app.test/rpc.js:12:19) (call site)',
    ]);
  });
});

describe('page strings in failure messages', () => {
  it('escapes control characters and bidi overrides from the page', () => {
    const s = new Stream();
    const top = s.context('top', 'window', { url: 'https://evil.test/\u001b]0;pwned\u0007\u202etxt.exe' });
    const [a, b] = top.channel();
    top.addListener(b);
    top.post(a, 'hello');
    const m = createModel();
    m.apply(s.all);
    for (const v of [noDiagnostics(m), nothingQueued(m), delivered(m, { count: 5 })]) {
      const text = v.message(false);
      expect(text).toContain('https://evil.test/\\u001b]0;pwned\\u0007\\u202etxt.exe');
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
  });
});
