import { describe, expect, it } from 'vitest';
import {
  entangle,
  newPortRecord,
  noteSent,
  noteUnaccounted,
  postedHere,
  type PortRecord,
} from '../../../injected/ids.ts';

function channel(): [PortRecord, PortRecord] {
  const a = newPortRecord({});
  const b = newPortRecord({});
  entangle(a, b);
  return [a, b];
}

/** postedHere for the next `n` events at `r`. */
const next = (r: PortRecord, n: number): boolean[] => Array.from({ length: n }, () => postedHere(r));

describe('postedHere: which dispatches this runtime saw posted', () => {
  it('the first sentHere events at the peer, then none (posts made after the sender was shipped)', () => {
    const [a, b] = channel();
    noteSent(a, true);
    noteSent(a, true);
    expect(next(b, 4)).toEqual([true, true, false, false]);
  });

  it('a receiver without a peer record (arrived in event.ports) always describes', () => {
    const lone = newPortRecord({});
    expect(next(lone, 2)).toEqual([false, false]);
  });

  it('from the first post whose fact was dropped on, the receiver describes', () => {
    const [a, b] = channel();
    noteSent(a, true);
    noteSent(a, false);
    noteSent(a, true);
    expect(next(b, 3)).toEqual([true, false, false]);
  });

  it('an unaccounted post stops skipping from its rank on', () => {
    const [a, b] = channel();
    noteSent(a, true);
    noteUnaccounted(a);
    noteSent(a, true);
    noteUnaccounted(a); // only the first one counts
    expect(next(b, 3)).toEqual([true, false, false]);
  });

  it('counts each direction on its own record', () => {
    const [a, b] = channel();
    noteSent(a, true);
    noteSent(b, true);
    noteSent(b, true);
    expect([next(a, 3), next(b, 2)]).toEqual([
      [true, true, false],
      [true, false],
    ]);
  });
});
