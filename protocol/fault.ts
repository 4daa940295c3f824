/**
 * What a receiving side says about a bad value: a ProtocolError naming the exact path
 * (`facts[12].transfer[0].port: expected a positive integer, got "x"`). Inside a check a problem
 * travels as a Fault, which gathers the steps of its path while the check unwinds, so that a
 * valid value costs no string work.
 */
export class ProtocolError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'ProtocolError';
  }
}

/** A short, escaped picture of a bad value for an error message: never the whole (hostile) value. */
export function show(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object';
  return String(x);
}

/**
 * A problem found inside a value; the steps to it (innermost first) are added while unwinding.
 * `expected ${what}, got <the value>` when `what` is set (the value is shown only at the top,
 * by the receiver's way of showing one), else `problem` as it is.
 */
export class Fault {
  readonly steps: string[] = [];
  constructor(
    readonly problem: string,
    readonly what?: string,
    readonly got?: unknown,
  ) {}
}

export const expected = (what: string, got: unknown) => new Fault('', what, got);

/** Adds the step `step` to a Fault on its way out; other errors pass untouched. */
export function via(e: unknown, step: string): unknown {
  if (e instanceof Fault) e.steps.push(step);
  return e;
}

/** The ProtocolError a Fault becomes once it reached the top, at `where` plus its steps. */
export function located(e: unknown, where: string, shown: (x: unknown) => string): unknown {
  if (!(e instanceof Fault)) return e;
  let path = where;
  for (let i = e.steps.length - 1; i >= 0; i--) path += e.steps[i];
  return new ProtocolError(path, e.what === undefined ? e.problem : `expected ${e.what}, got ${shown(e.got)}`);
}
