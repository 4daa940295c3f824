/**
 * Every fact kind (facts.ts) as a shape: what the injected runtime in one context saw, in the
 * HTML Standard's terms, field by field with its bound. The receiving sides' validator
 * (validate.ts) and the trace's JSON Schema (trace.schema.json) are derived from these; the
 * `Fact` type of facts.ts is checked against them when type-checking.
 */
import type { Fact } from './facts.ts';
import { LIMITS } from './limits.ts';
import { preview } from './preview-shape.ts';
import {
  boolean,
  carrier,
  contextKind,
  count,
  counts,
  finite,
  fingerprint,
  id,
  nonNegative,
  portList,
  positive,
  shortText,
  site,
  text,
  transferList,
} from './primitives.ts';
import { type Agree, type Holds, type Infer, enumOf, named, object, optional, string, union } from './shape.ts';

const listener = {
  port: positive,
  type: enumOf(['message', 'messageerror', 'close']),
  via: enumOf(['addEventListener', 'onmessage', 'onmessageerror', 'onclose']),
};

/** Variants in FACT_KINDS order: the error for an unknown kind lists them so. */
export const fact = named(
  'fact',
  union(
    'kind',
    { seq: positive, time: finite, ctx: id },
    {
      context: {
        contextKind,
        url: text,
        origin: shortText,
        framePath: shortText,
        parent: optional(id),
        observed: boolean,
        userAgent: optional(shortText),
        inside: optional(enumOf(['protocol', 'bootstrap'])),
      },
      'context-destroyed': { reason: enumOf(['unload', 'terminate', 'close', 'removed']) },
      'channel-created': { channel: positive, port1: positive, port2: positive, site: optional(site) },
      'port-seen': { port: positive, how: enumOf(['sharedworker', 'other', 'late']) },
      'port-posted': {
        port: positive,
        msg: positive,
        preview,
        bytes: nonNegative,
        fingerprint,
        transfer: transferList,
        outcome: enumOf(['sent', 'closed', 'shipped', 'doomed']),
        site: optional(site),
      },
      'clone-error': { port: count, carrier, name: string(1_024), message: text, site: optional(site) },
      'port-enabled': { port: positive, how: enumOf(['start', 'onmessage']) },
      'listener-added': listener,
      'listener-removed': listener,
      'message-dispatched': {
        port: positive,
        fingerprint: optional(fingerprint),
        preview: optional(preview),
        ports: portList,
        handlers: count,
        duration: nonNegative,
        threw: optional(object({ name: string(1_024), message: text })),
      },
      'messages-counted': { port: positive, posted: count, dispatched: count },
      messageerror: { port: positive },
      'port-shipped': { port: positive, carrier, carrierId: count, index: count },
      'port-received': {
        port: positive,
        carrier,
        viaPort: optional(positive),
        sourcePath: optional(shortText),
        sourceOrigin: optional(shortText),
        fingerprint,
        index: count,
        count,
      },
      'port-closed': { port: positive, site: optional(site) },
      'close-event': { port: positive },
      'port-collected': { port: positive },
      'carrier-posted': {
        carrierId: count,
        carrier,
        target: shortText,
        targetOrigin: optional(shortText),
        clientUrl: optional(text),
        clientType: optional(enumOf(['window', 'worker', 'sharedworker'])),
        fingerprint,
        preview,
        bytes: nonNegative,
        transfer: transferList,
        site: optional(site),
      },
      'carrier-received': {
        carrier,
        source: shortText,
        sourceOrigin: optional(shortText),
        fingerprint,
        ports: portList,
      },
      'worker-created': {
        worker: positive,
        workerKind: enumOf(['worker', 'sharedworker']),
        url: text,
        module: boolean,
        childCtx: optional(id),
      },
      'worker-terminated': { worker: positive },
      'facts-dropped': { counts },
      'runtime-note': { code: string(LIMITS.id), message: text },
      'client-message-queue-enabled': { how: enumOf(['startMessages', 'onmessage', 'document']) },
      'carriers-counted': { carrier: enumOf(['worker', 'window']), posted: count, received: count },
    },
  ),
);

/** facts.ts `Fact` and these shapes describe the same facts (checked when type-checking). */
export type FactsAgree = Holds<Agree<Fact, Infer<typeof fact>, 'kind'>>;
