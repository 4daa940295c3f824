/**
 * The relay's own checks (content/relay-checks.ts) give what protocol/validate.ts's
 * validateRuntimeToRelay, partitionFacts and validateBackgroundToContent give, value for value
 * and error for error: the relay compiles them on first use instead of importing validate.ts,
 * and must not drift from it.
 */
import { describe, expect, it } from 'vitest';
import { backgroundMessage, runtimeFacts, runtimeMessage } from '../../../content/relay-checks.ts';
import {
  ProtocolError,
  partitionFacts,
  validateBackgroundToContent,
  validateRuntimeToRelay,
} from '../../../protocol/validate.ts';

/** The value, or the error's message (and whether it is a ProtocolError). */
function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (e) {
    return { error: (e as Error).message, protocol: e instanceof ProtocolError };
  }
}

const closed = { kind: 'port-closed', seq: 1, time: 1_700_000_000_000, ctx: 'c', port: 1 };
const config = { captureStacks: true, inWorker: false, preview: { depth: 2, keys: 10, string: 120 } };

const fromRuntime: unknown[] = [
  { type: 'batch', seq: 1, count: 1, kinds: { 'port-closed': 1 }, json: '[]' },
  { type: 'batch', seq: 2, count: 2, kinds: { 'port-closed': 1 }, json: '[]' },
  { type: 'batch', seq: 3, count: 1, kinds: { 'no-such-kind': 1 }, json: '[]' },
  { type: 'batch', seq: 0, count: 1, kinds: { 'port-closed': 1 }, json: '[]' },
  { type: 'batch', seq: 4, count: 1, kinds: { 'port-closed': 1 }, json: 7 },
  { type: 'batch', seq: 5, facts: [closed, { ...closed, port: -1 }], extra: 'dropped' },
  { type: 'batch', seq: 6, facts: 'not a list' },
  { type: 'hello', ctx: 'c-1' },
  { type: 'hello', ctx: 12 },
  { type: 'other' },
  JSON.stringify({ type: 'batch', seq: 7, facts: [closed] }),
  '{not json',
  null,
  [],
  42,
];

const fromBackground: unknown[] = [
  { type: 'welcome', session: 's-1', resumeAfter: 3, config, recordMessages: false },
  { type: 'welcome', session: 's-1', resumeAfter: 3, config, workerRuntime: 'self', recordMessages: true, x: 1 },
  { type: 'welcome', session: 's-1', resumeAfter: -1, config, recordMessages: true },
  { type: 'welcome', session: 's-1', resumeAfter: 0, config: { captureStacks: 'yes' }, recordMessages: true },
  { type: 'ack', seq: 9 },
  { type: 'ack', seq: 0 },
  { type: 'config', config, recordMessages: true },
  { type: 'forget', seq: 0 },
  { type: 'resync' },
  'welcome',
  undefined,
];

const factLists: unknown[] = [
  [closed, { ...closed, seq: 2, kind: 'port-started' }],
  [closed, { ...closed, port: 'x' }, { kind: 'nope' }, null],
  [],
  {},
  'facts',
];

describe('the relay checks as validate.ts does', () => {
  it.each(fromRuntime.map((m) => [JSON.stringify(m) ?? String(m), m]))('runtime message %s', (_, m) => {
    expect(outcome(() => runtimeMessage(m))).toEqual(outcome(() => validateRuntimeToRelay(m)));
    expect(outcome(() => runtimeMessage(m, 'port'))).toEqual(outcome(() => validateRuntimeToRelay(m, 'port')));
  });

  it.each(fromBackground.map((m) => [JSON.stringify(m) ?? String(m), m]))('background message %s', (_, m) => {
    expect(outcome(() => backgroundMessage(m))).toEqual(outcome(() => validateBackgroundToContent(m)));
  });

  it.each(factLists.map((l) => [JSON.stringify(l), l]))('facts of the objects form %s', (_, list) => {
    expect(outcome(() => runtimeFacts(list, 'batch.facts'))).toEqual(
      outcome(() => partitionFacts(list, 'batch.facts')),
    );
  });

  it('a runtime text over 64 MiB is refused before it is parsed', () => {
    const text = ' '.repeat(64 * 1024 * 1024 + 1);
    expect(outcome(() => runtimeMessage(text))).toEqual(outcome(() => validateRuntimeToRelay(text)));
    expect(() => runtimeMessage(text)).toThrow(/larger than 64 MiB/);
  });

  it('errors name the path', () => {
    expect(() => backgroundMessage({ type: 'ack', seq: 'x' })).toThrow('message.seq:');
    const { rejected, firstError } = runtimeFacts([closed, { ...closed, port: 'x' }], 'batch.facts');
    expect(rejected).toBe(1);
    expect(firstError?.message).toMatch(/^batch\.facts\[1\]\.port: /);
  });
});
