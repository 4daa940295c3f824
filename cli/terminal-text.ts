/**
 * Text from a page or a trace file must not drive the terminal: control characters (colour,
 * window title, clear screen) and bidi controls (U+202E reorders what the reader sees) are
 * shown as `\uXXXX` escapes. Every CLI line goes through here (cli/main.ts).
 */
import { HIDDEN } from '../panel/pageText.ts';

// The characters the panel shows escaped (panel/pageText.ts), so both say the same of a string.
const UNSAFE = HIDDEN;
const UNSAFE_BUT_NEWLINE = new RegExp(`(?!\\n)${HIDDEN.source}`, 'g');

const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One table cell or one name: nothing may break the line either. */
export function terminalCell(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/**
 * A whole output (the CLI's own newlines kept). Applied to JSON output it stays valid JSON:
 * JSON.stringify already escapes C0 controls, and these characters can only occur inside
 * strings, where `\uXXXX` means the same character.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, escapeChar);
}
