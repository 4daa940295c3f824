/**
 * Page text made safe to look at. A page controls the strings it sends, and a bidi override
 * (U+202E) or an invisible control can make a cell say something it does not (`pay to ` +
 * U+202E + `4321-0000 account` shows its tail reversed). Every such character is shown
 * escaped, `\u202E`, so what is displayed is what was sent; the cells that hold page text are
 * also bidi-isolated (panel.css `.page-text`), so right-to-left text stays inside its cell.
 */

/**
 * C0 and C1 controls and DEL; bidi embeddings, overrides, isolates and marks; zero-width and
 * other invisible format characters; line and paragraph separators; the BOM; interlinear
 * annotation and object replacement characters. The CLI escapes the same set (cli/terminal-text.ts).
 */
export const HIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's job.
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each character is matched alone, joined or not.
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb]/g;

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

export function visibleText(s: string): string {
  return s.replace(HIDDEN, escapeChar);
}
