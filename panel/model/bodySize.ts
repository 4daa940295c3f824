/**
 * What a message body costs to keep, in characters: the strings of its preview and call site,
 * plus a flat allowance per preview node for the object that holds it. An estimate, cheap and
 * monotonic in what is kept, so that bounds in characters bound memory whatever the page sends.
 */
import type { CallSite, Fact, Preview } from '../../protocol/facts.ts';

/** Characters charged for one preview node's own object, besides its strings. */
const NODE = 16;

export function previewChars(preview: Preview): number {
  switch (preview.t) {
    case 'string':
    case 'bigint':
      return NODE + preview.v.length;
    case 'array':
    case 'set': {
      let n = NODE;
      for (const item of preview.items) n += previewChars(item);
      return n;
    }
    case 'object': {
      let n = NODE;
      for (const [key, value] of preview.entries) n += key.length + previewChars(value);
      return n;
    }
    case 'map': {
      let n = NODE;
      for (const [key, value] of preview.entries) n += previewChars(key) + previewChars(value);
      return n;
    }
    case 'regexp':
      return NODE + preview.source.length + preview.flags.length;
    case 'blob':
      return NODE + preview.type.length + (preview.name?.length ?? 0);
    case 'error':
      return NODE + preview.name.length + preview.message.length;
    case 'typedarray':
      return NODE + preview.ctor.length;
    case 'host':
      return NODE + preview.tag.length;
    case 'ref':
      return NODE + preview.path.length;
    case 'boxed':
      return NODE + previewChars(preview.inner);
    default:
      return NODE;
  }
}

export function siteChars(site: CallSite): number {
  let n = NODE;
  for (const line of site.stack) n += line.length;
  return n;
}

export function bodyChars(body: { preview?: Preview; site?: CallSite }): number {
  return (body.preview ? previewChars(body.preview) : 0) + (body.site ? siteChars(body.site) : 0);
}

/** Characters charged for a fact's own fields (kind, ids, numbers). */
const FACT = 64;

/** What a raw fact costs to hold (the fact log, a paused panel's hold): its fields, preview and call site. */
export function factChars(fact: Fact): number {
  return FACT + bodyChars(fact as { preview?: Preview; site?: CallSite });
}

/**
 * A fact's size for the fact log, remembering its body's: the message a `port-posted` fact
 * becomes has the same preview and call site, so keeping it (eviction.ts) need not walk the
 * preview a second time. Only the latest fact is remembered, with the very objects measured, so
 * a message made later or from another fact is measured afresh.
 */
export class BodyMeasure {
  private preview: Preview | undefined;
  private site: CallSite | undefined;
  private chars = -1;

  fact(fact: Fact): number {
    const body = fact as { preview?: Preview; site?: CallSite };
    this.preview = body.preview;
    this.site = body.site;
    this.chars = bodyChars(body);
    return FACT + this.chars;
  }

  body(body: { preview?: Preview; site?: CallSite }): number {
    return this.chars >= 0 && body.preview === this.preview && body.site === this.site ? this.chars : bodyChars(body);
  }
}
