/**
 * Which members the browser reads from a postMessage options dictionary, in its order.
 * Engines add their own (Chromium 156 reads `transfer`, `delegate`, `includeUserActivation`), so the runtime asks the
 * native once,
 * with a recording Proxy, on a post that cannot deliver anything: a closed private port.
 * Asked at the first post that has a second argument, not at install: the two probes cost about
 * 1 ms of every document_start, and most documents never post with options. By then the page may
 * have touched Object.prototype, so every object the native reads from here has a null prototype.
 */
import {
  NativeMessageChannel,
  apply,
  construct,
  messageChannelPort1,
  nativePortClose,
  objectCreate,
  setPrototypeOf,
  symbolIterator,
  nativePortPostMessage,
} from './natives.ts';
import { append } from './own-index.ts';

const NativeProxy = Proxy;

function recorded(run: (options: object) => void): string[] | undefined {
  const keys: string[] = [];
  const options = new NativeProxy(
    objectCreate(null) as object,
    {
      __proto__: null,
      get(_t: object, key: PropertyKey) {
        if (typeof key === 'string') append(keys, key);
        return undefined;
      },
    } as ProxyHandler<object>,
  );
  try {
    run(options);
  } catch {
    // A browser that rejects the probe: fall back to the standard's single member.
  }
  for (let i = 0; i < keys.length; i++) if (keys[i] === 'transfer') return keys;
  return undefined;
}

/** How this browser converts postMessage's second argument, asked once per realm. */
export interface PostConversion {
  /** Options dictionary members in the order the browser reads them. */
  keys: readonly string[];
  /** 2 when the browser reads a direct transfer iterable's @@iterator twice (Chromium), else 1. */
  iteratorReads: number;
}

let conversion: PostConversion | undefined;

export function postConversion(): PostConversion {
  if (conversion === undefined) {
    // Inside a page's call: nothing may escape. A probe that cannot run (a detached frame's
    // channel) leaves the standard's answer.
    let keys: readonly string[] = ['transfer'];
    let reads = 1;
    try {
      keys = portOptionKeys();
      reads = iteratorReads();
    } catch {
      // Keep the standard's answer.
    }
    conversion = { keys, iteratorReads: reads };
  }
  return conversion;
}

/** Members of StructuredSerializeOptions as MessagePort/Worker postMessage read them. */
function portOptionKeys(): string[] {
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
function iteratorReads(): number {
  if (!NativeMessageChannel) return 1;
  const channel = construct(NativeMessageChannel as never, []);
  const port = messageChannelPort1(channel);
  apply(nativePortClose, port, []);
  let reads = 0;
  const empty = { __proto__: null, next: () => ({ __proto__: null, done: true, value: undefined }) };
  const iterable = {
    __proto__: null,
    get [symbolIterator]() {
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

let fastPath: boolean | undefined;

/**
 * Whether the browser converts a real Array to a sequence without reading its @@iterator
 * (Chromium 156: V8's IsJSArray fast path) or iterates it (Firefox, where the protocol is skipped
 * only for an Array whose iteration nobody changed), asked once per realm, at the first
 * transfer list that Array.isArray accepts (transfer.ts).
 */
export function browserArrayFastPath(): boolean {
  if (fastPath === undefined) {
    fastPath = false;
    try {
      fastPath = arrayFastPath();
    } catch {
      // Keep the standard's answer: a sequence is always iterated.
    }
  }
  return fastPath;
}

/**
 * Asked with an Array whose prototype (not the Array itself: an own @@iterator on any Array would
 * slow V8's iteration of every Array) has a counting @@iterator getter, on a closed private port.
 */
function arrayFastPath(): boolean {
  if (!NativeMessageChannel) return false;
  const channel = construct(NativeMessageChannel as never, []);
  const port = messageChannelPort1(channel);
  apply(nativePortClose, port, []);
  let reads = 0;
  const empty = { __proto__: null, next: () => ({ __proto__: null, done: true, value: undefined }) };
  const list: unknown[] = [];
  setPrototypeOf(list, {
    __proto__: null,
    get [symbolIterator]() {
      reads++;
      return () => empty;
    },
  });
  try {
    apply(nativePortPostMessage, port, [0, list]);
  } catch {
    return false;
  }
  return reads === 0;
}
