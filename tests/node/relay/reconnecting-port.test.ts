import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BACKOFF_MAX_MS,
  ReconnectingPort,
  WORKED_AFTER_MS,
  type ReconnectingPortOwner,
} from '../../../extension/reconnecting-port.ts';
import { StandInPort } from './stand-in-port.ts';

function setup(overrides: Partial<ReconnectingPortOwner<StandInPort>> = {}, random = () => 1) {
  const ports: StandInPort[] = [];
  const received: unknown[] = [];
  const retries: [number, number][] = [];
  let clock = 0;
  const owner: ReconnectingPortOwner<StandInPort> = {
    connect: () => {
      const port = new StandInPort('test', undefined);
      ports.push(port);
      return port;
    },
    opened: (port) => port.postMessage({ type: 'hello' }),
    message: (m) => received.push(m),
    lost: () => true,
    retrying: (attempt, delay) => retries.push([attempt, delay]),
    ...overrides,
  };
  const link = new ReconnectingPort(owner, () => clock, random);
  const advance = (ms: number) => {
    clock += ms;
    vi.advanceTimersByTime(ms);
  };
  const last = () => {
    const port = ports.at(-1);
    if (!port) throw new Error('no connection yet');
    return port;
  };
  return { link, ports, last, received, retries, advance };
}

describe('ReconnectingPort: one reconnect policy for the relay, the devtools page and the panel', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('connects, says hello, and hands on what arrives', () => {
    const { link, ports, received } = setup();
    link.open();
    expect(ports).toHaveLength(1);
    expect(ports[0].sent).toEqual([{ type: 'hello' }]);
    ports[0].receive({ type: 'welcome' });
    expect(received).toEqual([{ type: 'welcome' }]);
    expect(link.send({ type: 'x' })).toBe(true);
  });

  it('backs off while connections fail, up to the ceiling, and starts over once one worked', () => {
    const { link, ports, last, retries, advance } = setup();
    link.open();
    for (let i = 0; i < 10; i++) {
      last().close();
      advance(BACKOFF_MAX_MS);
    }
    // random() = 1: each wait is its ceiling; the first retry after the start is quick.
    expect(retries.map(([, delay]) => delay)).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000]);
    expect(ports).toHaveLength(11);
    last().receive({ type: 'welcome' });
    last().close();
    expect(retries.at(-1)).toEqual([1, 100]);
  });

  it('a connection that stayed up long enough counts as working, without any message', () => {
    const { link, ports, retries, advance } = setup();
    link.open();
    ports[0].close();
    advance(100);
    ports[1].close();
    advance(200);
    advance(WORKED_AFTER_MS);
    ports[2].close();
    expect(retries.map(([, d]) => d)).toEqual([100, 200, 100]);
  });

  it('jitters each wait between half the ceiling and the ceiling', () => {
    const { link, ports, retries } = setup({}, () => 0);
    link.open();
    ports[0].close();
    expect(retries).toEqual([[1, 50]]);
  });

  it('lets the owner decide whether a disconnect is followed by a connection (the relay is lazy)', () => {
    let wanted = false;
    const { link, ports, advance } = setup({ lost: () => wanted });
    link.open();
    ports[0].close();
    advance(60_000);
    expect(ports).toHaveLength(1);
    expect(link.connected).toBe(false);
    wanted = true;
    link.open();
    ports[1].close();
    // The second connection in a row that did not work: the ceiling doubles.
    advance(199);
    expect(ports).toHaveLength(2);
    advance(1);
    expect(ports).toHaveLength(3);
  });

  it('stops for good when runtime.connect throws (the extension was reloaded), and says so once', () => {
    const orphaned = vi.fn();
    const { link, advance } = setup({
      connect: () => {
        throw new Error('Extension context invalidated.');
      },
      orphaned,
    });
    link.open();
    link.open();
    link.retryLater();
    advance(60_000);
    expect(orphaned).toHaveBeenCalledTimes(1);
    expect(link.orphaned).toBe(true);
  });

  it('a send that throws reports false; fail() drops the port and plans the next connection', () => {
    const { link, ports, advance } = setup();
    link.open();
    ports[0].postMessage = () => {
      throw new Error('Message length exceeded maximum allowed length.');
    };
    expect(link.send({ type: 'big' })).toBe(false);
    link.fail();
    expect(ports[0].disconnected).toBe(true);
    advance(100);
    expect(ports).toHaveLength(2);
  });

  it('close() ends it: no retry, and a disconnect of the old port changes nothing', () => {
    const { link, ports, advance } = setup();
    link.open();
    link.close();
    ports[0].close();
    link.open();
    advance(60_000);
    expect(ports).toHaveLength(1);
  });
});
