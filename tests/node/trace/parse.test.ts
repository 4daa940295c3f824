import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../protocol/facts.ts';
import {
  createTrace,
  parseTrace,
  serializeTrace,
  serializeTraceChunks,
  traceFacts,
  TraceFormatError,
  type Trace,
} from '../../../protocol/trace.ts';
import { BROKEN, SAMPLE_TEXT, sample } from './samples.ts';

function errorOf(input: unknown): TraceFormatError {
  try {
    parseTrace(input);
  } catch (e) {
    if (e instanceof TraceFormatError) return e;
    throw new Error(`expected TraceFormatError, got ${String(e)}`);
  }
  throw new Error('expected parseTrace to throw');
}

describe('parseTrace', () => {
  it('parses the sample text and keeps every fact', () => {
    const t = parseTrace(SAMPLE_TEXT);
    expect(t.format).toBe('portscope-trace');
    expect(t.facts).toHaveLength(20);
    expect(t.contexts.map((c) => c.ctx)).toEqual(['w-7f3a', 'f-91c2']);
  });

  it('round-trips through serializeTrace', () => {
    const t = parseTrace(SAMPLE_TEXT);
    expect(parseTrace(serializeTrace(t))).toEqual(t);
  });

  it('streams chunks that concatenate to the same document', () => {
    const t = parseTrace(SAMPLE_TEXT);
    const chunks = [...serializeTraceChunks(t, 3)];
    expect(chunks.length).toBeGreaterThan(5);
    expect(JSON.parse(chunks.join(''))).toEqual(t);
    const empty = createTrace({ meta: t.meta, facts: [] });
    expect(parseTrace([...serializeTraceChunks(empty)].join(''))).toEqual(empty);
  });

  it('accepts a byte-order mark and counts it in offsets', () => {
    expect(parseTrace(`\uFEFF${SAMPLE_TEXT}`).facts).toHaveLength(20);
    expect(errorOf(`\uFEFF${SAMPLE_TEXT.slice(0, 50)}`).offset).toBe(53);
  });

  it.each(BROKEN.map((b) => [b.name, b] as const))('%s → precise error', (_n, b) => {
    const t = b.name === 'not an object' ? 'hello' : sample();
    b.mutate(t);
    const err = errorOf(typeof t === 'string' ? JSON.stringify(t) : JSON.stringify(t));
    expect(err.path).toBe(b.path);
    expect(err.message).toContain(b.says);
    if (b.path !== 'version' || !b.says.includes('newer')) expect(err.message.startsWith(`${b.path}:`)).toBe(true);
  });

  it('says a cut file looks truncated, with the byte offset', () => {
    const cut = SAMPLE_TEXT.slice(0, 1000);
    const err = errorOf(cut);
    expect(err.message).toBe('the file looks truncated: the JSON ends at byte 1000 before the document is complete');
    expect(err.offset).toBe(1000);
  });

  it('counts the truncation offset in bytes, not characters', () => {
    const t = sample();
    t.meta.url = 'http://example.test/é€😀';
    const text = JSON.stringify(t);
    const cut = text.slice(0, text.indexOf('😀') + 2 + 10);
    expect(errorOf(cut).offset).toBe(new TextEncoder().encode(cut).length);
  });

  it('names the byte offset of a syntax error inside the file', () => {
    const text = SAMPLE_TEXT.replace('"channel-created"', '"channel-created",,');
    const err = errorOf(text);
    expect(err.message).toMatch(/^not valid JSON at byte \d+: /);
    expect(err.offset).toBe(text.indexOf(',,') + 1);
  });

  it('rejects an empty file and non-JSON clearly', () => {
    expect(errorOf('').message).toMatch(/the file is empty/);
    expect(errorOf('  \n').message).toMatch(/the file is empty/);
    expect(errorOf('<!doctype html><p>404').message).toMatch(/^not valid JSON/);
  });

  it('fuzz: every cut of the sample gives a TraceFormatError, never another error', () => {
    for (let n = 0; n < SAMPLE_TEXT.length - 2; n += 7) {
      const err = errorOf(SAMPLE_TEXT.slice(0, n));
      expect(err.message.length).toBeGreaterThan(0);
    }
  });

  it('fuzz: random single-character corruption either parses or gives a TraceFormatError', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = ['"', '{', '}', '[', ']', ',', ':', '0', '-', 'x', '\\', ' ', 'é', '\u0000'];
    let rejected = 0;
    for (let i = 0; i < 400; i++) {
      const at = rand(SAMPLE_TEXT.length);
      const text = SAMPLE_TEXT.slice(0, at) + alphabet[rand(alphabet.length)] + SAMPLE_TEXT.slice(at + 1);
      try {
        parseTrace(text);
      } catch (e) {
        expect(e).toBeInstanceOf(TraceFormatError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(100);
  });

  it('keeps hostile strings out of the message: bounded and escaped', () => {
    const t = sample();
    t.facts[3].kind = `<img src=x onerror=alert(1)>${'A'.repeat(100_000)}\n\u0000`;
    const err = errorOf(JSON.stringify(t));
    expect(err.message.length).toBeLessThan(600);
    expect(err.message).toContain('"<img src=x onerror=alert(1)>AAAAAAAAAAAA');
    expect(err.message).not.toContain('\n');
    const u = sample();
    u.meta.dropped = JSON.parse('{"__proto__": -3}');
    const err2 = errorOf(u);
    expect(err2.path).toBe('meta.dropped.__proto__');
    expect(({} as any).polluted).toBeUndefined();
  });

  it('treats hostile-but-valid strings as plain data', () => {
    const t = sample();
    t.facts[11].preview = { t: 'string', v: '</script><script>alert(1)</script>\u2028', len: 40 };
    t.facts[0].url = 'javascript:alert(1)';
    const parsed = parseTrace(JSON.stringify(t));
    expect((parsed.facts[11] as any).preview.v).toBe('</script><script>alert(1)</script>\u2028');
  });

  it('parses a 50 MB trace in one linear pass', () => {
    const base = sample();
    const facts: Fact[] = [];
    let seq = 100;
    const preview = { t: 'string', v: 'x'.repeat(120), len: 5000, truncated: true };
    while (facts.length < 200_000) {
      facts.push({
        kind: 'port-posted',
        ctx: 'w-7f3a',
        seq: ++seq,
        time: 1e12 + seq,
        port: 3,
        msg: seq,
        preview,
        bytes: 5000,
        fingerprint: `fp${seq}`,
        transfer: [],
        outcome: 'sent',
      } as Fact);
    }
    const text = serializeTrace({ ...base, facts });
    expect(text.length).toBeGreaterThan(50_000_000);
    const t0 = performance.now();
    const parsed = parseTrace(text);
    const ms = performance.now() - t0;
    expect(parsed.facts).toHaveLength(200_000);
    // Not a timing assertion about speed, a guard against a quadratic pass: 50 MB that takes
    // a minute would mean something scales with facts² (linear is well under a few seconds here).
    expect(ms).toBeLessThan(60_000);
  }, 120_000);
});

describe('createTrace / traceFacts', () => {
  it('keeps context facts evicted from the log and replays them first', () => {
    const t = parseTrace(SAMPLE_TEXT);
    const log = t.facts.slice(5); // the log lost its oldest facts, both context facts among them
    const trimmed: Trace = createTrace({ meta: t.meta, facts: log, contexts: t.contexts });
    expect(trimmed.contexts).toHaveLength(2);
    const replay = traceFacts(trimmed);
    expect(replay.slice(0, 2).map((f) => f.kind)).toEqual(['context', 'context']);
    expect(replay).toHaveLength(log.length + 2);
  });

  it('does not duplicate context facts that the log still holds', () => {
    const t = parseTrace(SAMPLE_TEXT);
    expect(traceFacts(createTrace({ meta: t.meta, facts: t.facts }))).toEqual(t.facts);
  });
});
