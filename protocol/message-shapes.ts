/**
 * Every message direction between the extension's parts (messages.ts, handshake.ts) as a shape:
 * runtime → relay, relay → background, background → relay, panel → background, devtools page →
 * background, background → panel. Each receiving side validates with the check derived from its
 * direction's shape (validate.ts); the types in messages.ts are checked against these.
 */
import type { Fact } from './facts.ts';
import { FACT_KINDS, PREVIEW_FULL } from './facts.ts';
import type { RuntimeConfig, RuntimeToRelay } from './handshake.ts';
import { LIMITS } from './limits.ts';
import type {
  BackgroundToContent,
  BackgroundToPanel,
  ContentToBackground,
  DevtoolsToBackground,
  PanelToBackground,
} from './messages.ts';
import { boolean, count, counts, id, positive, shortText, text } from './primitives.ts';
import {
  type Agree,
  type CountsShape,
  type Holds,
  type Infer,
  type Same,
  enumOf,
  int,
  list,
  named,
  nullable,
  object,
  optional,
  string,
  unchecked,
  union,
} from './shape.ts';

/** Each bound from 1 to what "capture full data" uses (the runtime raises one below PREVIEW_MIN to it). */
const previewBounds = named(
  'previewBounds',
  object({
    depth: int(1, PREVIEW_FULL.depth),
    keys: int(1, PREVIEW_FULL.keys),
    stringLength: int(1, PREVIEW_FULL.stringLength),
    nodes: int(1, PREVIEW_FULL.nodes),
    chars: int(1, PREVIEW_FULL.chars),
  }),
);

export const runtimeConfig = named(
  'runtimeConfig',
  object({ captureStacks: boolean, inWorker: boolean, preview: optional(previewBounds) }),
);

/** Tab ids are non-negative integers in Chrome and Firefox. */
const tabId = count;
const batchCount = int(0, LIMITS.batch, 'facts');
const workerRuntime = optional(string(LIMITS.workerRuntime));

/** Facts per kind of one runtime batch: known kinds only, adding up to the batch's `count`. */
const kinds: CountsShape = {
  s: 'counts',
  key: enumOf(FACT_KINDS),
  maxKeys: FACT_KINDS.length,
  noun: 'kinds',
  sumsTo: 'count',
};

/** Runtime → relay, a batch as objects (older runtimes); the relay checks the facts one by one. */
export const runtimeToRelay = union(
  'type',
  {},
  { batch: { seq: positive, facts: list(unchecked<unknown>(), LIMITS.batch) }, hello: { ctx: id } },
);
/**
 * Runtime → relay, a batch as one text (the compact wire: protocol/wire.ts, its layout read from
 * the fact shapes): checked by its envelope only (the relay runs on the page's thread).
 */
export const runtimeJsonToRelay = union(
  'type',
  {},
  {
    batch: { seq: positive, count: batchCount, kinds, json: string(LIMITS.json) },
    hello: { ctx: id },
  },
);

const encodedFacts = object({ json: string(LIMITS.json), count: batchCount });
const batchHeader = {
  dropped: optional(counts),
  rejected: optional(count),
  error: optional(shortText),
  userAgent: optional(shortText),
};

/** Relay → background. The facts of a batch are left to partitionFacts: one bad fact costs only itself. */
export const contentToBackground = union(
  'type',
  {},
  {
    hello: {
      relay: id,
      session: nullable(id),
      url: text,
      top: boolean,
      lastSeq: count,
      firstRetained: count,
      evicted: optional(counts),
    },
    batch: { seq: positive, facts: list(unchecked<Fact>(), LIMITS.batch), ...batchHeader },
    'json-batch': { seq: positive, json: list(encodedFacts, LIMITS.jsonParts), ...batchHeader },
  },
);

export const backgroundToContent = union(
  'type',
  {},
  {
    welcome: { session: id, resumeAfter: count, config: runtimeConfig, workerRuntime, recordMessages: boolean },
    ack: { seq: positive },
    config: { config: runtimeConfig, workerRuntime, recordMessages: boolean },
    forget: { seq: count },
  },
);

export const panelToBackground = union(
  'type',
  {},
  {
    subscribe: { tabId, cursor: optional(counts) },
    clear: { tabId },
    config: { config: runtimeConfig },
    probe: { tabId },
  },
);

export const devtoolsToBackground = union('type', {}, { inspect: { tabId } });

/**
 * Background → panel: the panel trusts nothing, so the facts are checked again, all of them (a
 * text chunk's after decoding: validate.ts, receiveBackgroundToPanel).
 */
export const backgroundToPanel = union(
  'type',
  { tabId },
  {
    'facts-text': { session: id, source: id, seq: positive, json: list(encodedFacts, LIMITS.jsonParts) },
    session: { session: id, url: text },
    status: { dropped: counts, evicted: counts, buffered: count, rejected: count, lastError: optional(shortText) },
    cleared: {},
    presence: { relays: count, contentScript: boolean },
  },
);

/** messages.ts, handshake.ts and these shapes describe the same messages (checked when type-checking). */
export type MessagesAgree = Holds<
  | Agree<RuntimeToRelay, Infer<typeof runtimeToRelay> | Infer<typeof runtimeJsonToRelay>, 'type'>
  | Agree<ContentToBackground, Infer<typeof contentToBackground>, 'type'>
  | Agree<BackgroundToContent, Infer<typeof backgroundToContent>, 'type'>
  | Agree<PanelToBackground, Infer<typeof panelToBackground>, 'type'>
  | Agree<DevtoolsToBackground, Infer<typeof devtoolsToBackground>, 'type'>
  | Agree<BackgroundToPanel, Infer<typeof backgroundToPanel>, 'type'>
  | Same<RuntimeConfig, Infer<typeof runtimeConfig>>
>;
