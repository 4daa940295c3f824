/**
 * The small shapes every part of the contract is built from: local ids of ports and channels,
 * counts, times, bounded strings, a call site, a transfer list, counts per kind. Named ones are
 * listed once in the trace's JSON Schema (`$defs`).
 */
import { LIMITS } from './limits.ts';
import { type CountsShape, type StringShape, enumOf, int, list, named, object, string, union } from './shape.ts';

/** A local id of a port, channel, worker or message: 1, 2, 3… */
export const positive = named('positive', int(1));
export const count = named('count', int(0));
export const finite = { s: 'number' } as const;
export const nonNegative = { s: 'number', min: 0 } as const;
export const boolean = { s: 'boolean' } as const;
export const flag = { s: 'true' } as const;
/** A context, relay or session id: random, non-empty, short. */
export const id = named('id', { s: 'string', max: LIMITS.id, id: true } satisfies StringShape);
/** Any string outside a preview (URLs, error messages). */
export const text = string(LIMITS.string);
/** Origins, frame paths, user agents, error texts of the relay. */
export const shortText = string(4_096);
export const fingerprint = string(1_024);

/** Counts per key (facts lost per kind, a panel's cursor): prototype-less, bounded. */
export const counts = named('counts', {
  s: 'counts',
  key: string(LIMITS.id),
  maxKeys: LIMITS.countKeys,
  noun: 'keys',
} satisfies CountsShape);

/** Raw `Error().stack` lines of the page's frames, as the runtime keeps them (injected/site.ts). */
export const site = named('site', object({ stack: list(string(LIMITS.stackLine), LIMITS.stackLines) }));

export const transferItem = named(
  'transferItem',
  union('t', {}, { port: { port: positive }, arraybuffer: { byteLength: count }, other: { tag: string(LIMITS.id) } }),
);
export const transferList = list(transferItem, LIMITS.list);
/** Local ids of the ports that arrived in `event.ports`. */
export const portList = list(positive, LIMITS.list);

export const contextKind = enumOf(['window', 'iframe', 'worker', 'sharedworker', 'serviceworker']);
export const carrier = enumOf(['window', 'worker', 'sharedworker', 'serviceworker', 'port', 'broadcast']);
