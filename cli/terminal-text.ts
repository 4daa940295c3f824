/**
 * Text from a page or a trace file must not drive the terminal: control characters (colour,
 * window title, clear screen) and bidi controls (U+202E reorders what the reader sees) are
 * shown as `\uXXXX` escapes. Every CLI line goes through here (cli/main.ts).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One table cell or one name: nothing may break the line either. */
export function terminalCell(text: string): string {
  return text.replace(UNSAFE, escape);
}

/**
 * A whole output (the CLI's own newlines kept). Applied to JSON output it stays valid JSON:
 * JSON.stringify already escapes C0 controls, and these characters can only occur inside
 * strings, where `\uXXXX` means the same character.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, escape);
}
