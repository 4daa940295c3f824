/**
 * The relay's checks of what reaches it: the runtime's messages on the private port and the
 * background's on its runtime port. The same shapes, results and errors as protocol/validate.ts's
 * validateRuntimeToRelay, partitionFacts and validateBackgroundToContent
 * (tests/node/relay/relay-checks.test.ts holds them side by side), but each check is compiled at
 * its first use instead of when the script loads. The relay is evaluated at document_start in
 * every frame, and importing validate.ts compiles the checks of every receiving side (background,
 * panel, devtools page, trace import) before the page's first script, closures the page's heap
 * then holds for the document's life; most of them never run in a relay, and the fact check
 * runs only for the runtime's fallback form (facts as objects).
 */
import { checker } from '../protocol/check.ts';
import { fact } from '../protocol/fact-shapes.ts';
import { ProtocolError } from '../protocol/fault.ts';
import type { Fact } from '../protocol/facts.ts';
import type { RuntimeToRelay } from '../protocol/handshake.ts';
import { LIMITS } from '../protocol/limits.ts';
import { backgroundToContent, runtimeJsonToRelay, runtimeToRelay } from '../protocol/message-shapes.ts';
import type { BackgroundToContent } from '../protocol/messages.ts';
import { type Shape, list } from '../protocol/shape.ts';

export { ProtocolError };

type Check<T> = (x: unknown, where: string, index?: number) => T;

/** The shape's check, compiled when first called. */
function compiledOnUse<T>(shape: () => Shape): Check<T> {
  let check: Check<T> | undefined;
  return (x, where, index) => {
    check ??= checker<T>(shape());
    return check(x, where, index);
  };
}

const checkRuntimeObjects = compiledOnUse<RuntimeToRelay>(() => runtimeToRelay);
const checkRuntimeJson = compiledOnUse<RuntimeToRelay>(() => runtimeJsonToRelay);
const checkBackground = compiledOnUse<BackgroundToContent>(() => backgroundToContent);
const checkBatch = compiledOnUse<unknown[]>(() => list({ s: 'unchecked' }, LIMITS.batch));
const checkFact = compiledOnUse<Fact>(() => fact);

/**
 * The envelope of a message of the runtime (validate.ts validateRuntimeToRelay): a batch's JSON
 * text is not looked into, the facts of the fallback form are checked one by one (runtimeFacts).
 */
export function runtimeMessage(x: unknown, where = 'message'): RuntimeToRelay {
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
  const asJson = typeof x === 'object' && x !== null && (x as { json?: unknown }).json !== undefined;
  return (asJson ? checkRuntimeJson : checkRuntimeObjects)(x, where);
}

/** Each fact on its own (validate.ts partitionFacts): good ones kept, bad ones counted with the first error. */
export function runtimeFacts(
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

export function backgroundMessage(x: unknown, where = 'message'): BackgroundToContent {
  return checkBackground(x, where);
}
