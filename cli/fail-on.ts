/** `portscope summary --fail-on <codes|any>`: which diagnostics fail a build, and the one-line reason. */
import type { DiagnosticCode, Summary } from '../protocol/summary.ts';
import { PortscopeCliError } from './errors.ts';
import { plural } from './plural.ts';

// A Record, so adding a code to protocol/summary.ts without listing it here fails to compile.
const KNOWN: Record<DiagnosticCode, true> = {
  'port-never-started': true,
  'post-after-close': true,
  'post-after-transfer': true,
  'doomed-message': true,
  'clone-error': true,
  'message-to-destroyed-context': true,
  'queue-growing': true,
  'port-leak': true,
  'handler-threw': true,
  'client-message-queue-never-started': true,
};
export const DIAGNOSTIC_CODES = Object.keys(KNOWN) as DiagnosticCode[];

export type FailOn = 'any' | ReadonlySet<DiagnosticCode>;

export function parseFailOn(value: string): FailOn {
  if (value === 'any') return 'any';
  const codes = value
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  if (!codes.length)
    throw new PortscopeCliError(
      `--fail-on: expected "any" or diagnostic codes separated by commas, got ${JSON.stringify(value)}`,
    );
  for (const code of codes) {
    if (!Object.hasOwn(KNOWN, code)) {
      throw new PortscopeCliError(
        `--fail-on: unknown diagnostic code ${JSON.stringify(code)} (known: any, ${DIAGNOSTIC_CODES.join(', ')})`,
      );
    }
  }
  return new Set(codes as DiagnosticCode[]);
}

/** The reason the build fails, or undefined when no diagnostic matches. */
export function failureReason(summary: Summary, failOn: FailOn): string | undefined {
  const perCode = new Map<DiagnosticCode, number>();
  for (const d of summary.diagnostics) {
    if (failOn === 'any' || failOn.has(d.code)) perCode.set(d.code, (perCode.get(d.code) ?? 0) + 1);
  }
  if (!perCode.size) return undefined;
  let total = 0;
  for (const n of perCode.values()) total += n;
  const codes = [...perCode].map(([code, n]) => (n > 1 ? `${code} ×${n}` : code)).join(', ');
  const asked = failOn === 'any' ? 'any' : [...failOn].join(',');
  return `--fail-on ${asked}: ${plural(total, 'diagnostic')} (${codes})`;
}
