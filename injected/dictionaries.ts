/**
 * Which members the browser reads from a postMessage options dictionary, in its order.
 * Engines add their own (Chromium 156 reads `transfer`, `delegate`, `includeUserActivation`), so the runtime asks the
 * native once at install,
 * with a recording Proxy, on a post that cannot deliver anything: a closed private port.
 */
import {
  NativeMessageChannel,
  apply,
  construct,
  messageChannelPort1,
  nativePortClose,
  nativePortPostMessage,
} from './natives.ts';
import { append } from './own-index.ts';

const NativeProxy = Proxy;

function recorded(run: (options: object) => void): string[] | undefined {
  const keys: string[] = [];
  const options = new NativeProxy(
    {},
    {
      get(_t, key) {
        if (typeof key === 'string') append(keys, key);
        return undefined;
      },
    },
  );
  try {
    run(options);
  } catch {
    // A browser that rejects the probe: fall back to the standard's single member.
  }
  for (let i = 0; i < keys.length; i++) if (keys[i] === 'transfer') return keys;
  return undefined;
}

/** Members of StructuredSerializeOptions as MessagePort/Worker postMessage read them. */
export function portOptionKeys(): string[] {
  if (!NativeMessageChannel) return ['transfer'];
  const channel = construct(NativeMessageChannel as never, []);
  const port = messageChannelPort1(channel);
  apply(nativePortClose, port, []);
  return recorded((options) => apply(nativePortPostMessage, port, [0, options])) ?? ['transfer'];
}

/**
 * How many times the browser reads `@@iterator` from a non-Array iterable passed directly as
 * postMessage's second argument: Chromium 156 reads it twice (overload resolution, then
 * conversion), Firefox once. Measured on the closed private port, like the dictionary members.
 */
export function iteratorReads(): number {
  if (!NativeMessageChannel) return 1;
  const channel = construct(NativeMessageChannel as never, []);
  const port = messageChannelPort1(channel);
  apply(nativePortClose, port, []);
  let reads = 0;
  const empty = { __proto__: null, next: () => ({ __proto__: null, done: true, value: undefined }) };
  const iterable = {
    __proto__: null,
    get [Symbol.iterator]() {
      reads++;
      return () => empty;
    },
  };
  try {
    apply(nativePortPostMessage, port, [0, iterable]);
  } catch {
    return 1;
  }
  return reads >= 2 ? 2 : 1;
}
