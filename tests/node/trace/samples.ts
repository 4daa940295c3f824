/** The sample trace and broken variants of it, shared by the parser and schema tests. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SAMPLE_PATH = resolve(import.meta.dirname, '../../fixtures/trace/two-frames.json');
export const SAMPLE_TEXT = readFileSync(SAMPLE_PATH, 'utf8');
export const sample = (): any => JSON.parse(SAMPLE_TEXT);

export interface Broken {
  name: string;
  mutate(t: any): void;
  /** The exact `TraceFormatError.path` parseTrace must report. */
  path: string;
  /** A fragment its message must contain. */
  says: string;
}

/** `fact` (a port fact) turned into a `messages-counted` fact about the same port. */
export function counted(fact: any, posted: unknown, dispatched: unknown): any {
  const out: any = { kind: 'messages-counted', ctx: fact.ctx, seq: fact.seq, time: fact.time, port: fact.port, posted };
  if (dispatched !== undefined) out.dispatched = dispatched;
  return out;
}

export const BROKEN: Broken[] = [
  { name: 'not an object', mutate: () => {}, path: 'trace', says: 'expected an object' },
  {
    name: 'wrong format tag',
    mutate: (t) => {
      t.format = 'chrome-trace';
    },
    path: 'format',
    says: 'not a Portscope trace',
  },
  {
    name: 'newer version',
    mutate: (t) => {
      t.version = 2;
    },
    path: 'version',
    says: 'version 2 is newer than this Portscope understands (1)',
  },
  {
    name: 'version as string',
    mutate: (t) => {
      t.version = '1';
    },
    path: 'version',
    says: 'expected a positive integer, got "1"',
  },
  {
    name: 'meta missing',
    mutate: (t) => {
      delete t.meta;
    },
    path: 'meta',
    says: 'expected an object, got undefined',
  },
  {
    name: 'startedAt not a date',
    mutate: (t) => {
      t.meta.startedAt = 'yesterday';
    },
    path: 'meta.startedAt',
    says: 'ISO 8601',
  },
  {
    name: 'dropped count negative',
    mutate: (t) => {
      t.meta.dropped['port-posted'] = -1;
    },
    path: 'meta.dropped["port-posted"]',
    says: 'non-negative integer',
  },
  {
    name: 'evicted missing facts',
    mutate: (t) => {
      delete t.meta.evicted.facts;
    },
    path: 'meta.evicted.facts',
    says: 'non-negative integer',
  },
  {
    name: 'contexts not an array',
    mutate: (t) => {
      t.contexts = {};
    },
    path: 'contexts',
    says: 'expected an array, got an object',
  },
  {
    name: 'contexts holds a non-context fact',
    mutate: (t) => {
      t.contexts[1] = t.facts[1];
    },
    path: 'contexts[1].kind',
    says: 'expected "context"',
  },
  {
    name: 'facts missing',
    mutate: (t) => {
      delete t.facts;
    },
    path: 'facts',
    says: 'expected an array',
  },
  {
    name: 'unknown fact kind',
    mutate: (t) => {
      t.facts[3].kind = 'port-teleported';
    },
    path: 'facts[3].kind',
    says: 'got "port-teleported"',
  },
  {
    name: 'port as string',
    mutate: (t) => {
      t.facts[11].port = 'x';
    },
    path: 'facts[11].port',
    says: 'expected a positive integer, got "x"',
  },
  {
    name: 'port zero',
    mutate: (t) => {
      t.facts[12].port = 0;
    },
    path: 'facts[12].port',
    says: 'expected a positive integer, got 0',
  },
  {
    name: 'port fractional',
    mutate: (t) => {
      t.facts[12].port = 1.5;
    },
    path: 'facts[12].port',
    says: 'got 1.5',
  },
  {
    name: 'channel port2 missing',
    mutate: (t) => {
      delete t.facts[1].port2;
    },
    path: 'facts[1].port2',
    says: 'positive integer',
  },
  {
    name: 'seq zero',
    mutate: (t) => {
      t.facts[2].seq = 0;
    },
    path: 'facts[2].seq',
    says: 'positive integer',
  },
  {
    name: 'time as string',
    mutate: (t) => {
      t.facts[2].time = '12';
    },
    path: 'facts[2].time',
    says: 'finite number',
  },
  {
    name: 'ctx empty',
    mutate: (t) => {
      t.facts[4].ctx = '';
    },
    path: 'facts[4].ctx',
    says: 'non-empty',
  },
  {
    name: 'msg missing',
    mutate: (t) => {
      delete t.facts[11].msg;
    },
    path: 'facts[11].msg',
    says: 'positive integer',
  },
  {
    name: 'dispatched ports item bad',
    mutate: (t) => {
      t.facts[12].ports = [3, -1];
    },
    path: 'facts[12].ports[1]',
    says: 'positive integer',
  },
  {
    name: 'transfer port bad',
    mutate: (t) => {
      t.facts[5].transfer[0].port = null;
    },
    path: 'facts[5].transfer[0].port',
    says: 'got null',
  },
  {
    name: 'context observed not boolean',
    mutate: (t) => {
      t.facts[0].observed = 'yes';
    },
    path: 'facts[0].observed',
    says: 'a boolean',
  },
  {
    name: 'counted posted negative',
    mutate: (t) => {
      t.facts[12] = counted(t.facts[12], -1, 0);
    },
    path: 'facts[12].posted',
    says: 'non-negative integer',
  },
  {
    name: 'counted dispatched missing',
    mutate: (t) => {
      t.facts[12] = counted(t.facts[12], 2, undefined);
    },
    path: 'facts[12].dispatched',
    says: 'non-negative integer',
  },
  {
    name: 'fact is an array',
    mutate: (t) => {
      t.facts[7] = [];
    },
    path: 'facts[7]',
    says: 'expected an object, got an array',
  },
];
