/**
 * Validation of facts and messages on every receiving side (content relay, background, panel,
 * trace import). Facts come from page-adjacent code and files, so they are untrusted: every
 * field is checked, every string and list is bounded, and the result is a fresh object holding
 * only the known fields (nothing a sender smuggled in travels further). The checks are derived
 * from the shapes of fact-shapes.ts and message-shapes.ts (check.ts), each compiled at its first
 * use (the relay imports this module in every frame); what is here is what a shape cannot say:
 * JSON texts, and one bad fact costing only itself.
 */
import { type VariantCheck, checker, checkerOnUse, ownedVariantChecks } from './check.ts';
import { ProtocolError, located, show } from './fault.ts';
import { fact } from './fact-shapes.ts';
import type { Fact, Preview } from './facts.ts';
import type { RuntimeConfig, RuntimeToRelay } from './handshake.ts';
import { LIMITS } from './limits.ts';
import {
  backgroundToContent,
  backgroundToPanel,
  contentToBackground,
  devtoolsToBackground,
  panelToBackground,
  runtimeConfig,
  runtimeJsonToRelay,
  runtimeToRelay,
} from './message-shapes.ts';
import type {
  BackgroundToContent,
  BackgroundToPanel,
  ContentToBackground,
  DecodedBatch,
  DevtoolsToBackground,
  EncodedFacts,
  FactsChunk,
  PanelToBackground,
} from './messages.ts';
import { preview } from './preview-shape.ts';
import * as primitive from './primitives.ts';
import { type Shape, enumOf, list as listOf, string } from './shape.ts';
import { isWire, type WireBatch, wireFact, wireFactFields, wireHeader } from './wire-decode.ts';

export { LIMITS } from './limits.ts';
export { ProtocolError } from './fault.ts';

// ── single values, for receivers that check a record of their own (extension/persisted.ts) ──

const run = <T>(shape: Shape, x: unknown, path: string): T => checker<T>(shape)(x, path);

const anyObject: Shape = { s: 'object', fields: {} };
/** `x` itself once it is known to be an object (not a copy: the caller reads its fields). */
export function record(x: unknown, path: string): Record<string, unknown> {
  run(anyObject, x, path);
  return x as Record<string, unknown>;
}
export const list = (x: unknown, path: string, max: number = LIMITS.list): unknown[] =>
  run<unknown[]>(listOf({ s: 'unchecked' }, max), x, path);
export const str = (x: unknown, path: string, max: number = LIMITS.string): string =>
  run(max === LIMITS.string ? primitive.text : string(max), x, path);
export const id = (x: unknown, path: string): string => run(primitive.id, x, path);
export const positive = (x: unknown, path: string): number => run(primitive.positive, x, path);
export const count = (x: unknown, path: string): number => run(primitive.count, x, path);
export const finite = (x: unknown, path: string): number => run(primitive.finite, x, path);
export const bool = (x: unknown, path: string): boolean => run(primitive.boolean, x, path);
export const oneOf = <T extends string>(x: unknown, path: string, allowed: readonly T[]): T =>
  run(enumOf(allowed), x, path);
export const counts = (x: unknown, path: string): Record<string, number> => run(primitive.counts, x, path);

// ── facts ──

const checkPreview = /*#__PURE__*/ checkerOnUse<Preview>(() => preview);
const checkFact = /*#__PURE__*/ checkerOnUse<Fact>(() => fact);
let wireFactChecks: VariantCheck[] | undefined;
/**
 * The owned fact check by the wire's kind index, run over the values the decoder read
 * (check.ts ownedVariantChecks): the owned check of a fact (the same checks, in place), without looking the kind
 * and every field up again by name.
 */
function ownedWireFactChecks(): VariantCheck[] {
  wireFactChecks ??= (() => {
    const byKind = ownedVariantChecks(fact.inner);
    return wireFactFields().map(([kind, fields]) => {
      const variant = byKind.get(kind);
      // The layout is derived from these shapes (wire.ts): a difference is a bug here, not bad input.
      if (!variant || variant.keys.join() !== fields.join())
        throw new Error(`wire layout of ${kind} (${fields.join()}) is not its shape's (${variant?.keys.join()})`);
      return variant;
    });
  })();
  return wireFactChecks;
}

/** The fact wireFact just gave, checked: in place by position where the decoder built it whole, else into a copy. */
function checkWireFact(batch: WireBatch, decoded: unknown, where: string, i: number): Fact {
  if (!batch.owned) return checkFact(decoded, where, i);
  try {
    ownedWireFactChecks()[batch.kind].check(batch.values, decoded as Record<string, unknown>);
  } catch (e) {
    throw located(e, `${where}[${i}]`, show);
  }
  return decoded as Fact;
}

const checkFacts = /*#__PURE__*/ checkerOnUse<Fact[]>(() => listOf(fact, LIMITS.batch));
const checkBatch = /*#__PURE__*/ checkerOnUse<unknown[]>(() => listOf({ s: 'unchecked' }, LIMITS.batch));

export function validatePreview(x: unknown, path: string): Preview {
  return checkPreview(x, path);
}

/** Validates one fact; returns a fresh copy holding only the fields protocol/facts.ts defines. */
export function validateFact(x: unknown, where: string): Fact {
  return checkFact(x, where);
}

/** Validates a list of facts; the first bad one throws, naming its index (`facts[12].port: ...`). */
export function validateFacts(x: unknown, where: string): Fact[] {
  return checkFacts(x, where);
}

/**
 * Validates each fact on its own: good ones are kept, bad ones are counted with the first
 * error, so one malformed fact does not cost the whole batch.
 */
export function partitionFacts(
  x: unknown,
  where: string,
): { facts: Fact[]; rejected: number; firstError?: ProtocolError } {
  const items = checkBatch(x, where);
  const facts: Fact[] = [];
  let rejected = 0;
  let firstError: ProtocolError | undefined;
  for (let i = 0; i < items.length; i++) {
    try {
      facts.push(checkFact(items[i], where, i));
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      rejected++;
      firstError ??= e;
    }
  }
  return { facts, rejected, firstError };
}

/**
 * Parses and validates one runtime JSON text (background side): the compact wire the runtime
 * sends (protocol/wire.ts), or a plain JSON array of facts. Never throws: a text that is not
 * JSON, not an array, with a bad header, or not as long as it claims is rejected whole; within a
 * good one, each bad fact costs only itself (`refuseAll`: the first costs the whole text, and ends the decoding).
 */
export function decodeFacts(
  x: EncodedFacts,
  where: string,
  refuseAll = false,
): { facts: Fact[]; rejected: number; firstError?: ProtocolError } {
  let parsed: unknown;
  const whole = (problem: string | ProtocolError, rejected = Math.max(1, x.count)) => ({
    facts: [],
    rejected,
    firstError: typeof problem === 'string' ? new ProtocolError(`${where}.json`, problem) : problem,
  });
  try {
    parsed = JSON.parse(x.json);
  } catch {
    return whole('expected JSON, got unparsable text');
  }
  if (!Array.isArray(parsed)) return whole(`expected a JSON array of facts, got ${show(parsed)}`);
  if (!isWire(parsed)) {
    if (parsed.length !== x.count)
      return whole(`expected ${x.count} facts (its count), got ${parsed.length}`, Math.max(1, x.count, parsed.length));
    return partitionFacts(parsed, where);
  }
  let batch: WireBatch;
  try {
    batch = wireHeader(parsed, `${where}.json`);
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return whole(e);
  }
  if (batch.count !== x.count || batch.count > LIMITS.batch)
    return whole(`expected ${x.count} facts (its count), got ${batch.count}`, Math.max(1, x.count, batch.count));
  const facts: Fact[] = [];
  let rejected = 0;
  let firstError: ProtocolError | undefined;
  for (let i = 0; i < batch.count; i++) {
    try {
      facts.push(checkWireFact(batch, wireFact(batch, i, where), where, i));
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      rejected++;
      firstError ??= e;
      // The rest is not read when one bad fact costs the whole text (a panel's chunk).
      if (refuseAll) return { facts: [], rejected: batch.count, firstError };
    }
  }
  return { facts, rejected, firstError };
}

// ── messages: one validator per receiving side ──

const checkConfig = /*#__PURE__*/ checkerOnUse<RuntimeConfig>(() => runtimeConfig);
const checkRuntimeObjects = /*#__PURE__*/ checkerOnUse<RuntimeToRelay>(() => runtimeToRelay);
const checkRuntimeJson = /*#__PURE__*/ checkerOnUse<RuntimeToRelay>(() => runtimeJsonToRelay);
const checkContent = /*#__PURE__*/ checkerOnUse<ContentToBackground>(() => contentToBackground);
const checkBackgroundToContent = /*#__PURE__*/ checkerOnUse<BackgroundToContent>(() => backgroundToContent);
const checkPanel = /*#__PURE__*/ checkerOnUse<PanelToBackground>(() => panelToBackground);
const checkDevtools = /*#__PURE__*/ checkerOnUse<DevtoolsToBackground>(() => devtoolsToBackground);
const checkBackgroundToPanel = /*#__PURE__*/ checkerOnUse<BackgroundToPanel>(() => backgroundToPanel);

export function validateConfig(x: unknown, path: string): RuntimeConfig {
  return checkConfig(x, path);
}

/**
 * The envelope of what the MAIN-world runtime sends over the private port. The facts are left
 * unvalidated here: the relay checks them one by one (partitionFacts) so one bad fact costs
 * only itself. A JSON string is accepted as well (the standalone runtime's encoding).
 */
export function validateRuntimeToRelay(x: unknown, where = 'message'): RuntimeToRelay {
  if (typeof x === 'string') {
    if (x.length > LIMITS.runtimeText) {
      throw new ProtocolError(where, `message larger than 64 MiB (${x.length} characters)`);
    }
    try {
      x = JSON.parse(x);
    } catch {
      throw new ProtocolError(where, 'expected JSON, got unparsable text');
    }
  }
  // The JSON text of a batch is not looked into here: the relay runs on the page's thread.
  const asJson = typeof x === 'object' && x !== null && (x as { json?: unknown }).json !== undefined;
  return (asJson ? checkRuntimeJson : checkRuntimeObjects)(x, where);
}

export function validateContentToBackground(
  x: unknown,
  where = 'message',
): Extract<ContentToBackground, { type: 'hello' }> | DecodedBatch {
  const m = checkContent(x, where);
  if (m.type === 'hello') return m;
  // A content script is less trusted than the background: re-check every fact, keep the good ones.
  let facts: Fact[];
  let rejected = 0;
  let firstError: ProtocolError | undefined;
  let chars: number | undefined;
  if (m.type === 'batch') ({ facts, rejected, firstError } = partitionFacts(m.facts, `${where}.facts`));
  else {
    facts = [];
    chars = 0;
    for (let i = 0; i < m.json.length; i++) {
      chars += m.json[i].json.length;
      const part = decodeFacts(m.json[i], `${where}.json[${i}]`);
      for (const f of part.facts) facts.push(f);
      rejected += part.rejected;
      firstError ??= part.firstError;
    }
  }
  const out: DecodedBatch = { type: 'batch', seq: m.seq, facts };
  if (chars !== undefined) out.chars = chars;
  if (m.type === 'json-batch' && rejected === 0) out.texts = m.json;
  if (m.dropped !== undefined) out.dropped = m.dropped;
  if (m.rejected !== undefined) out.rejected = m.rejected;
  if (m.error !== undefined) out.error = m.error;
  if (m.userAgent !== undefined) out.userAgent = m.userAgent;
  if (rejected) {
    out.rejectedFacts = rejected;
    out.factError = firstError?.message;
  }
  return out;
}

export function validateBackgroundToContent(x: unknown, where = 'message'): BackgroundToContent {
  return checkBackgroundToContent(x, where);
}

export function validatePanelToBackground(x: unknown, where = 'message'): PanelToBackground {
  return checkPanel(x, where);
}

export function validateDevtoolsToBackground(x: unknown, where = 'message'): DevtoolsToBackground {
  return checkDevtools(x, where);
}

/** For the panel: what the background sends (facts re-validated, the panel trusts nothing). */
export function validateBackgroundToPanel(x: unknown, where = 'message'): BackgroundToPanel {
  return checkBackgroundToPanel(x, where);
}

/** A background message as a panel applies it: a text chunk arrives as its facts. */
export type PanelMessage = Exclude<BackgroundToPanel, { type: 'facts-text' }> | FactsChunk;

/**
 * For the panel: what the background sends, a `facts-text` chunk decoded into its facts, each
 * checked (in place where the decoder built it whole). A chunk is applied whole or not at all:
 * its cursor says every fact up to its seq was applied, so one bad fact refuses all of it,
 * with that fact's path (`message.json[0][12].port: …`).
 */
export function receiveBackgroundToPanel(x: unknown, where = 'message'): PanelMessage {
  const m = checkBackgroundToPanel(x, where);
  if (m.type !== 'facts-text') return m;
  const facts: Fact[] = [];
  for (let i = 0; i < m.json.length; i++) {
    const part = decodeFacts(m.json[i], `${where}.json[${i}]`, true);
    if (part.rejected) throw part.firstError ?? new ProtocolError(`${where}.json[${i}]`, 'a fact was refused');
    for (const f of part.facts) facts.push(f);
  }
  return { type: 'facts', tabId: m.tabId, session: m.session, source: m.source, seq: m.seq, facts };
}
