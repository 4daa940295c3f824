/**
 * The trace's JSON Schema (draft 2020-12), derived from the shapes (trace-shape.ts), for tools
 * other than Portscope. `node scripts/schema.mjs` writes it to protocol/trace.schema.json; a
 * test fails when the committed file differs from what the shapes give.
 */
import { LIMITS } from './limits.ts';
import type { Shape } from './shape.ts';
import { trace } from './trace-shape.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const DESCRIPTION = [
  'A recording of channel-messaging facts (protocol/facts.ts) that rebuilds the Portscope model.',
  'Generated from protocol/trace-shape.ts, the shapes parseTrace (protocol/trace.ts) checks with.',
  'Unknown properties are allowed so later minor additions still validate.',
  "String lengths count UTF-16 code units, as JavaScript's length does",
  '(with Ajv: the option unicode: false).',
  'Four rules of parseTrace are not stated here because JSON Schema cannot state them:',
  `a preview holds at most ${LIMITS.previewNodes} nodes and ${LIMITS.previewChars} characters of text in all;`,
  'a date-time is one that Date.parse reads; a context is listed once in contexts.',
].join(' ');

/** Builds one schema, collecting named shapes and the levels of the preview tree in `$defs`. */
class Generator {
  readonly defs: JsonObject = {};

  /** `level`: the depth of the preview node being described, inside a preview tree. */
  of(shape: Shape, level?: number): Json {
    switch (shape.s) {
      case 'string': {
        const out: JsonObject = { type: 'string' };
        if (shape.id) out.minLength = 1;
        if (shape.max !== undefined) out.maxLength = shape.max;
        return out;
      }
      case 'int':
        return { type: 'integer', minimum: shape.min, maximum: shape.max ?? Number.MAX_SAFE_INTEGER };
      case 'number':
        return shape.min === 0 ? { type: 'number', minimum: 0 } : { type: 'number' };
      case 'boolean':
        return { type: 'boolean' };
      case 'true':
        return { const: true };
      case 'const':
        return { const: shape.value };
      case 'enum':
        return { enum: [...shape.values] };
      case 'optional':
        return this.of(shape.inner, level);
      case 'nullable':
        return { anyOf: [this.of(shape.inner, level), { type: 'null' }] };
      case 'numberValue':
        return { anyOf: [{ type: 'number' }, { enum: [...shape.words] }] };
      case 'dateValue':
        return { anyOf: [{ type: 'number' }, { type: 'null' }] };
      case 'instant':
        return { type: 'string', format: 'date-time', pattern: '^\\d{4}-\\d\\d-\\d\\dT' };
      case 'list': {
        const out: JsonObject = { type: 'array' };
        if (shape.max !== undefined) out.maxItems = shape.max;
        if (shape.item.s !== 'unchecked') out.items = this.of(shape.item, level);
        return out;
      }
      case 'tuple':
        return {
          type: 'array',
          prefixItems: shape.items.map((item) => this.of(item, level)),
          minItems: shape.min,
          maxItems: shape.items.length,
        };
      case 'object':
        return { type: 'object', ...this.fields(shape.fields, level) };
      case 'union': {
        const names = Object.keys(shape.variants);
        const common = this.fields(shape.common, level);
        const out: JsonObject = {
          type: 'object',
          required: [shape.tag, ...(common.required as string[])],
          properties: { [shape.tag]: { enum: names }, ...(common.properties as JsonObject) },
        };
        const cases: Json[] = [];
        for (const name of names) {
          const fields = shape.variants[name];
          if (Object.keys(fields).length === 0) continue;
          // Built from entries: a literal `then` key reads, to a linter, like a thenable.
          const when: Json = { properties: { [shape.tag]: { const: name } } };
          cases.push(
            Object.fromEntries([
              ['if', when],
              ['then', this.fields(fields, level)],
            ]),
          );
        }
        if (cases.length > 0) out.allOf = cases;
        return out;
      }
      case 'variant': {
        const tag = shape.union.s === 'named' ? shape.union.inner.tag : shape.union.tag;
        const only: Json = { type: 'object', properties: { [tag]: { const: shape.value } } };
        return { allOf: [this.of(shape.union, level), only] };
      }
      case 'counts': {
        const out: JsonObject = { type: 'object', additionalProperties: { $ref: '#/$defs/count' } };
        this.define('count', { s: 'int', min: 0 });
        if (shape.maxKeys !== undefined) out.maxProperties = shape.maxKeys;
        if (shape.key) out.propertyNames = this.of(shape.key);
        return out;
      }
      case 'preview': {
        for (let l = 0; l <= shape.depth; l++) {
          if (!(`preview${l}` in this.defs)) this.defs[`preview${l}`] = this.of(shape.tree, l);
        }
        // One level deeper than the bound: no node may be there.
        this.defs[`preview${shape.depth + 1}`] = false;
        return { $ref: '#/$defs/preview0' };
      }
      case 'child':
        if (level === undefined) throw new Error('a preview child outside a preview tree');
        return { $ref: `#/$defs/preview${level + 1}` };
      case 'unchecked':
        return true;
      case 'named':
        this.define(shape.name, shape.inner);
        return { $ref: `#/$defs/${shape.name}` };
    }
  }

  private define(name: string, shape: Shape) {
    if (name in this.defs) return;
    this.defs[name] = true; // taken, before its own parts are described
    this.defs[name] = this.of(shape);
  }

  private fields(fields: Readonly<Record<string, Shape>>, level: number | undefined): JsonObject {
    const required: string[] = [];
    const properties: JsonObject = {};
    for (const [key, shape] of Object.entries(fields)) {
      if (shape.s !== 'optional') required.push(key);
      properties[key] = this.of(shape, level);
    }
    return { required, properties };
  }
}

export function traceSchema(): JsonObject {
  const generator = new Generator();
  const body = generator.of(trace) as JsonObject;
  const defs: JsonObject = {};
  for (const name of Object.keys(generator.defs).sort(byName)) defs[name] = generator.defs[name];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://portscope.dev/schema/trace-v1.json',
    title: 'Portscope trace, version 1',
    description: DESCRIPTION,
    ...body,
    $defs: defs,
  };
}

/** Names in order, numbers within them by value (preview2 before preview10). */
function byName(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The schema as the committed file holds it: short values on one line, 2-space indents. */
export function traceSchemaText(): string {
  return `${layout(traceSchema(), '')}\n`;
}

function layout(value: Json, indent: string): string {
  const flat = JSON.stringify(value);
  if (typeof value !== 'object' || value === null || indent.length + flat.length <= 100) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + layout(v, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${layout(v, inner)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}
