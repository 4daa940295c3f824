import { describe, expect, it } from 'vitest';
import { callSite } from '../../../injected/site.ts';

function pageCaller(): ReturnType<typeof callSite> {
  return callSite();
}

describe('callSite', () => {
  it('keeps the caller frames in order, none of its own, and runs no setter or getter a page put on Array.prototype', () => {
    const calls: string[] = [];
    const keys = Array.from({ length: 16 }, (_, i) => String(i));
    for (const key of keys)
      Object.defineProperty(Array.prototype, key, {
        configurable: true,
        get: () => void calls.push(`get ${key}`),
        set: () => void calls.push(`set ${key}`),
      });
    // The test runner installs an Error.prepareStackTrace, with which callSite takes no stack (a page's would see it).
    const prepare = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
    delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    let site: ReturnType<typeof callSite>;
    try {
      site = pageCaller();
    } finally {
      for (const key of keys) delete (Array.prototype as unknown as Record<string, unknown>)[key];
      if (prepare) Object.defineProperty(Error, 'prepareStackTrace', prepare);
    }
    expect(calls).toEqual([]);
    const stack = site!.stack;
    expect(Array.isArray(stack)).toBe(true);
    expect(stack[0]).toMatch(/pageCaller/);
    expect(stack.join('\n')).not.toMatch(/injected[\\/]site\.ts/);
    // Error.stackTraceLimit (10) frames were taken, two of them the call site's own.
    expect(stack).toHaveLength(8);
    expect(Object.keys(stack)).toEqual(stack.map((_, i) => String(i)));
    for (const line of stack) expect(typeof line === 'string' && line.length > 0 && line.length <= 300).toBe(true);
  });
});
