/**
 * Which members the browser reads from a postMessage options dictionary, in its order.
 * Engines add their own (Chromium 156 reads `transfer`, `delegate`, `includeUserActivation`,
 * and for windows then `targetOrigin`), so the runtime asks the native once at install,
 * with a recording Proxy, on a post that cannot deliver anything: a closed private port, and
 * a window post whose invalid target origin makes it throw before anything is queued.
 */
import { NativeMessageChannel, apply, construct, messageChannelPort1, nativePortClose, nativePortPostMessage } from './natives.ts';

const NativeProxy = Proxy;

function recorded(run: (options: object) => void, answers: Record<string, unknown>): string[] | undefined {
  const keys: string[] = [];
  const options = new NativeProxy(
    {},
    {
      get(_t, key) {
        if (typeof key === 'string') keys[keys.length] = key;
        return typeof key === 'string' ? answers[key] : undefined;
      },
    },
  );
  try {
    run(options);
  } catch {
    // Expected for the window probe.
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
  return recorded((options) => apply(nativePortPostMessage, port, [0, options]), {}) ?? ['transfer'];
}

/** Members of WindowPostMessageOptions as window.postMessage reads them. */
export function windowOptionKeys(nativeWindowPost: (...a: unknown[]) => unknown, win: unknown): string[] {
  return recorded((options) => apply(nativeWindowPost, win, [0, options]), { targetOrigin: 'not a valid origin' }) ?? ['transfer', 'targetOrigin'];
}
