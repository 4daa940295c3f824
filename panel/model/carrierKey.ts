/** How a carrier message with ports is matched across contexts: its carrier and its data's fingerprint. */
import type { CarrierKind } from '../../protocol/facts.ts';

export function carrierKey(carrier: CarrierKind, fingerprint: string): string {
  return `${carrier}|${fingerprint}`;
}
