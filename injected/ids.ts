/**
 * Local ids: each MessagePort object gets a small integer on first sight. The record holds
 * what this context knows of the port's spec state. It never references a port object
 * (only the peer's id), so the registry cannot keep any port alive.
 */
import { NativeWeakMap, weakMapGet, weakMapSet } from './natives.ts';

export interface PortRecord {
  id: number;
  /** The entangled peer's local id, when both ends were created here. 0 when unknown. */
  peer: number;
  enabled: boolean;
  shipped: boolean;
  closed: boolean;
  /** Posts that returned normally on this port object. */
  posted: number;
}

const ports = new NativeWeakMap<object, PortRecord>();
let nextPort = 1;
let nextChannel = 1;
let nextCarrier = 1;
let nextWorker = 1;

export function portRecord(port: unknown): PortRecord | undefined {
  return weakMapGet(ports, port);
}

export function newPortRecord(port: object, peer = 0): PortRecord {
  const record: PortRecord = { id: nextPort++, peer, enabled: false, shipped: false, closed: false, posted: 0 };
  weakMapSet(ports, port, record);
  return record;
}

export const newChannelId = (): number => nextChannel++;
export const newCarrierId = (): number => nextCarrier++;
export const newWorkerId = (): number => nextWorker++;
