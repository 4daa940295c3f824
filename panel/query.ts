/**
 * The Messages filter language: free words match the message text; `key:value` terms
 * narrow by structure; a leading `-` negates a term. All terms must hold.
 *   port:p3  channel:c1  context:<id or url part>  state:queued|delivered|dropped|unobserved
 *   has:transfer|error|stack|ports  reason:<drop reason>  library:<part of a library's name, e.g. react>
 */
export type TermKey = 'text' | 'port' | 'channel' | 'context' | 'state' | 'has' | 'reason' | 'id' | 'library';

export interface Term {
  key: TermKey;
  value: string;
  negate: boolean;
}

export const TERM_KEYS: readonly TermKey[] = ['port', 'channel', 'context', 'state', 'has', 'reason', 'id', 'library'];
const STATES = ['queued', 'delivered', 'dropped', 'unobserved'];
const HAS = ['transfer', 'error', 'stack', 'ports'];

export class FilterSyntaxError extends Error {
  /** Zero-based index of the offending term. */
  readonly term: number;
  constructor(term: number, message: string) {
    super(`term ${term + 1}: ${message}`);
    this.name = 'FilterSyntaxError';
    this.term = term;
  }
}

/** Splits on whitespace, keeping "quoted phrases" together. */
function tokens(text: string): string[] {
  const out: string[] = [];
  const re = /(-?)(?:([a-z]+):)?(?:"([^"]*)"?|(\S*))/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === '') {
      // Whitespace between terms: step over it.
      re.lastIndex++;
      continue;
    }
    out.push(`${m[1]}${m[2] ? `${m[2]}:` : ''}\u0000${m[3] ?? m[4] ?? ''}`);
  }
  return out;
}

export function parseQuery(text: string): Term[] {
  return tokens(text.trim()).map((tok, i) => {
    const [head, raw] = tok.split('\u0000') as [string, string];
    const negate = head.startsWith('-');
    const keyPart = negate ? head.slice(1) : head;
    const value = raw.toLowerCase();
    if (!keyPart) {
      if (!value) throw new FilterSyntaxError(i, 'a lone "-" negates nothing');
      return { key: 'text', value, negate };
    }
    const key = keyPart.slice(0, -1).toLowerCase() as TermKey;
    if (!TERM_KEYS.includes(key)) {
      throw new FilterSyntaxError(i, `unknown filter "${key}:" (known: ${TERM_KEYS.join(', ')})`);
    }
    if (!value) throw new FilterSyntaxError(i, `"${key}:" needs a value`);
    if (key === 'state' && !STATES.includes(value)) {
      throw new FilterSyntaxError(i, `state must be one of ${STATES.join(', ')}, got "${value}"`);
    }
    if (key === 'has' && !HAS.includes(value)) {
      throw new FilterSyntaxError(i, `has must be one of ${HAS.join(', ')}, got "${value}"`);
    }
    return { key, value, negate };
  });
}
