/**
 * A deliberately small JSON Schema (draft 2020-12) evaluator: only the keywords
 * protocol/trace.schema.json uses. Any other keyword is an error, so the schema cannot grow a
 * constraint this check silently ignores. `format` is an annotation in 2020-12 and is skipped.
 */
type Schema = Record<string, unknown> | boolean;

const IGNORED = new Set(['$schema', '$id', 'title', 'description', '$defs', 'format']);
const HANDLED = new Set([
  'type', 'required', 'properties', 'additionalProperties', 'items', 'enum', 'const', 'minimum',
  'maximum', 'minLength', 'pattern', '$ref', 'allOf', 'if', 'then',
]);

export class UnsupportedKeywordError extends Error {
  constructor(keyword: string) {
    super(`schema keyword "${keyword}" is not implemented by this check`);
    this.name = 'UnsupportedKeywordError';
  }
}

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'boolean': return typeof v === 'boolean';
    case 'null': return v === null;
    default: throw new UnsupportedKeywordError(`type:${type}`);
  }
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Returns the first error path, or null when `value` is valid. */
export function firstSchemaError(root: Record<string, unknown>, value: unknown): string | null {
  const resolve = (ref: string): Schema => {
    if (!ref.startsWith('#/')) throw new UnsupportedKeywordError(`$ref:${ref}`);
    let at: unknown = root;
    for (const part of ref.slice(2).split('/')) at = (at as Record<string, unknown>)[part];
    if (at === undefined) throw new Error(`dangling $ref ${ref}`);
    return at as Schema;
  };
  const check = (schema: Schema, v: unknown, path: string): string | null => {
    if (schema === true) return null;
    if (schema === false) return path;
    for (const k of Object.keys(schema)) if (!IGNORED.has(k) && !HANDLED.has(k)) throw new UnsupportedKeywordError(k);
    const s = schema as Record<string, any>;
    if (s.$ref) { const e = check(resolve(s.$ref), v, path); if (e) return e; }
    if (s.type && !typeOk(s.type, v)) return path;
    if ('const' in s && !equal(s.const, v)) return path;
    if (s.enum && !s.enum.some((x: unknown) => equal(x, v))) return path;
    if (typeof v === 'number') {
      if (s.minimum !== undefined && v < s.minimum) return path;
      if (s.maximum !== undefined && v > s.maximum) return path;
    }
    if (typeof v === 'string') {
      if (s.minLength !== undefined && [...v].length < s.minLength) return path;
      if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v)) return path;
    }
    if (typeOk('object', v)) {
      const o = v as Record<string, unknown>;
      for (const r of s.required ?? []) if (!Object.hasOwn(o, r)) return `${path}.${r}`;
      for (const [k, sub] of Object.entries<Schema>(s.properties ?? {})) {
        if (Object.hasOwn(o, k)) { const e = check(sub, o[k], `${path}.${k}`); if (e) return e; }
      }
      if (s.additionalProperties !== undefined) {
        for (const k of Object.keys(o)) {
          if (s.properties && Object.hasOwn(s.properties, k)) continue;
          const e = check(s.additionalProperties, o[k], `${path}.${k}`);
          if (e) return e;
        }
      }
    }
    if (Array.isArray(v) && s.items !== undefined) {
      for (let i = 0; i < v.length; i++) { const e = check(s.items, v[i], `${path}[${i}]`); if (e) return e; }
    }
    for (const sub of s.allOf ?? []) { const e = check(sub, v, path); if (e) return e; }
    if (s.if !== undefined && check(s.if, v, path) === null && s.then !== undefined) {
      const e = check(s.then, v, path);
      if (e) return e;
    }
    return null;
  };
  return check(root, value, '');
}
