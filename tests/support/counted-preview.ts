/**
 * injected/preview.ts for the fingerprint tests: imported while String.prototype.charCodeAt counts
 * its calls. natives.ts captures charCodeAt when it is evaluated, and the hash of a shape string
 * calls it once per character, so the count says which prints read a string back (and which
 * shapes were hashed rather than recalled). Each test file imports its own copy of the module.
 */
type Preview = typeof import('../../injected/preview.ts');

export interface CountedPreview {
  preview: Preview;
  /** charCodeAt calls the runtime made since the last reset. */
  hashedChars(): number;
  reset(): void;
}

export async function importPreviewCountingHashes(): Promise<CountedPreview> {
  let hashed = 0;
  const native = String.prototype.charCodeAt;
  String.prototype.charCodeAt = function (this: string, i: number) {
    hashed++;
    return native.call(this, i);
  };
  try {
    const preview = await import('../../injected/preview.ts');
    return {
      preview,
      hashedChars: () => hashed,
      reset: () => {
        hashed = 0;
      },
    };
  } finally {
    String.prototype.charCodeAt = native;
  }
}

/** FNV-1a of `shape` as the runtime defines it (a double product, then the low 32 bits, not Math.imul), in hex. */
export function expectedHash(shape: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < shape.length; i++) {
    h ^= shape.charCodeAt(i);
    h = (h * 0x01000193) >>> 0;
  }
  return h.toString(16);
}
