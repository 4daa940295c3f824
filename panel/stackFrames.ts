/**
 * Call-site lines as the runtime captured them (raw `Error().stack` lines) parsed into
 * source locations, for V8 (`at fn (url:line:col)`) and SpiderMonkey (`fn@url:line:col`).
 * Lines that parse as neither stay as text.
 */
export interface StackFrame {
  fn: string;
  url: string;
  line: number;
  column: number;
}

const V8 = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?\s*$/;
const GECKO = /^\s*(.*?)@(.+?):(\d+):(\d+)\s*$/;

export function parseFrame(line: string): StackFrame | null {
  const m = V8.exec(line) ?? GECKO.exec(line);
  if (!m) return null;
  return { fn: m[1] || '(anonymous)', url: m[2]!, line: Number(m[3]), column: Number(m[4]) };
}

/** Only page sources can be opened; anything else (javascript:, data:) is never a link. */
export function isOpenable(url: string): boolean {
  return /^(https?|file|chrome-extension|moz-extension):/i.test(url);
}

export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    const file = u.pathname.split('/').pop() || u.pathname;
    return file || u.host;
  } catch {
    return url;
  }
}
