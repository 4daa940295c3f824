/**
 * The Messages filter language: free words match the message text; `key:value` terms
 * narrow by structure; a leading `-` negates a term. All terms must hold.
 *   port:p3  channel:c1  context:<id or url part>  state:queued|delivered|dropped|unobserved
 *   has:transfer|error|stack|ports  reason:<drop reason>  library:<part of a library's name, e.g. react>
 *   data.<path>:<value> (a value in the data, e.g. data.method:add)  larger-than:<bytes, 1k, 2m>
 *   /regular expression/ (matched against the message text, ignoring case)
 */
export type TermKey =
  | 'text'
  | 'regex'
  | 'data'
  | 'larger-than'
  | 'port'
  | 'channel'
  | 'context'
  | 'state'
  | 'has'
  | 'reason'
  | 'id'
  | 'library';

export interface Term {
  key: TermKey;
  /** Lower-cased, except a regex's source (kept as typed) and a size (in bytes, as digits). */
  value: string;
  negate: boolean;
  /** For `data.<path>:` terms: the property names from the message's data down. */
  path?: string[];
}

export const TERM_KEYS: readonly TermKey[] = [
  'port',
  'channel',
  'context',
  'state',
  'has',
  'reason',
  'id',
  'library',
  'larger-than',
];
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
  const re = /(-?)(?:([a-z][\w.-]*):)?(?:"([^"]*)"?|(\S*))/gi;
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
      if (raw.length > 2 && raw.startsWith('/') && raw.endsWith('/')) {
        return { key: 'regex', value: regexSource(i, raw), negate };
      }
      return { key: 'text', value, negate };
    }
    const name = keyPart.slice(0, -1);
    if (/^data\./i.test(name)) {
      const path = name.slice(5).split('.');
      if (path.some((p) => p === '')) throw new FilterSyntaxError(i, `"${name}:" has an empty property name`);
      if (!value) throw new FilterSyntaxError(i, `"${name}:" needs a value`);
      return { key: 'data', value, negate, path };
    }
    const key = name.toLowerCase() as TermKey;
    if (!TERM_KEYS.includes(key)) {
      throw new FilterSyntaxError(i, `unknown filter "${key}:" (known: ${TERM_KEYS.join(', ')}, data.<path>)`);
    }
    if (!value) throw new FilterSyntaxError(i, `"${key}:" needs a value`);
    if (key === 'state' && !STATES.includes(value)) {
      throw new FilterSyntaxError(i, `state must be one of ${STATES.join(', ')}, got "${value}"`);
    }
    if (key === 'has' && !HAS.includes(value)) {
      throw new FilterSyntaxError(i, `has must be one of ${HAS.join(', ')}, got "${value}"`);
    }
    if (key === 'larger-than') return { key, value: String(byteCount(i, value)), negate };
    return { key, value, negate };
  });
}

/** The source of a `/pattern/` term, checked now so a bad one is an error, not an empty table. */
function regexSource(term: number, raw: string): string {
  const source = raw.slice(1, -1);
  try {
    new RegExp(source, 'i');
  } catch (e) {
    throw new FilterSyntaxError(term, `invalid regular expression ${raw}: ${(e as Error).message}`);
  }
  return source;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 * 1024, mb: 1024 * 1024 };

/** `512`, `1k`, `1.5kb`, `2m` → bytes (k = 1024, as the Size column counts). */
function byteCount(term: number, value: string): number {
  const m = /^(\d+(?:\.\d+)?)([a-z]*)$/.exec(value);
  const unit = m ? UNITS[m[2]!] : undefined;
  if (!m || unit === undefined) {
    throw new FilterSyntaxError(term, `larger-than needs a size such as 512, 1k or 2m, got "${value}"`);
  }
  return Math.floor(Number(m[1]) * unit);
}
