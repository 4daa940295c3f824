/**
 * The relay's side of the private handshake (content/handshake.ts): the first offer is taken,
 * and it is told whether that offer came in the relay's own task (only such an offer is handed
 * the realm secret: a later one may be a page's, in Firefox, where the handshake stays open).
 */
import { describe, expect, it } from 'vitest';
import { acceptRuntimePort } from '../../../content/handshake.ts';
import { HANDSHAKE_OFFER } from '../../../protocol/handshake.ts';

const notFramed = { frameElement: null } as unknown as Window;
const nextTask = () => new Promise((done) => setTimeout(done, 0));

function offer(doc: EventTarget): MessagePort {
  const { port1, port2 } = new MessageChannel();
  doc.dispatchEvent(new MessageEvent(HANDSHAKE_OFFER, { ports: [port2] }));
  port1.close();
  return port2;
}

function accepting(sameTask: boolean) {
  const doc = new EventTarget();
  const taken: [MessagePort, boolean][] = [];
  let noRuntime = 0;
  acceptRuntimePort(
    doc as unknown as Document,
    notFramed,
    sameTask,
    (port, inRelayTask) => taken.push([port, inRelayTask]),
    () => noRuntime++,
  );
  return { doc, taken, noRuntime: () => noRuntime };
}

describe('acceptRuntimePort', () => {
  it("takes the first offer, made in the relay's task, as such; a second offer is not taken", async () => {
    const { doc, taken, noRuntime } = accepting(false);
    const port = offer(doc);
    offer(doc);
    await nextTask();
    expect(taken).toEqual([[port, true]]);
    expect(noRuntime()).toBe(0);
  });

  it("says when the offer came after the relay's task (Firefox keeps the handshake open)", async () => {
    const { doc, taken, noRuntime } = accepting(false);
    await nextTask();
    const port = offer(doc);
    expect(taken).toEqual([[port, false]]);
    expect(noRuntime()).toBe(0);
  });

  it("closes when the relay's task ends where the runtime always runs in it (Chromium)", async () => {
    const { doc, taken, noRuntime } = accepting(true);
    await nextTask();
    offer(doc);
    expect(taken).toEqual([]);
    expect(noRuntime()).toBe(1);
  });
});
