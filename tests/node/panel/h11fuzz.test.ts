import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createModel } from '../../../panel/model/model.ts';
import type { Fact } from '../../../protocol/facts.ts';
const facts: Fact[] = JSON.parse(readFileSync('.tmp/h11/demo.json', 'utf8'));
function batches(fs: Fact[]) { const out: Fact[][] = []; for (const f of fs) { const last = out.at(-1); if (last && last[0].ctx === f.ctx) last.push(f); else out.push([f]); } return out; }
const counts = (m: ReturnType<typeof createModel>) => { const s = m.summary(); return `${s.messages.posted} msgs ${s.messages.queued} queued`; };
function run(label: string, bs: Fact[][], drop: (k: number) => boolean, settleAt: number) {
  const live = createModel();
  bs.forEach((b, k) => { if (!drop(k)) live.apply(b); if (k === settleAt) live.settle(); });
  live.settle();
  const replay = createModel(); replay.apply(live.factLog()); replay.settle();
  const a = counts(live), r = counts(replay);
  return a === r ? 0 : (console.log(label, 'live', a, 'replay', r), 1);
}
it('fuzz', () => {
  const bs = batches(facts);
  let a = 0, b = 0, c = 0;
  for (let s = 0; s < bs.length; s++) a += run(`nopause settle@${s}`, bs, () => false, s);
  for (let i = 0; i < bs.length; i++) for (let j = i + 1; j <= bs.length; j++) b += run(`pause[${i},${j}) nosettle`, bs, (k) => k >= i && k < j, -1);
  // per-fact batches
  c += run('single facts', facts.map((f) => [f]), () => false, -1);
  console.log({ a, b, c });
});
it('pause+settle', () => {
  const bs = batches(facts);
  let n = 0;
  for (let i = 0; i < bs.length; i++) for (let j = i + 1; j <= bs.length; j++) for (let s = 0; s < bs.length; s++) {
    if (s === 2 || s === 4 || s === 6 || s === 8 || s === 10) continue;
    n += run(`pause[${i},${j}) settle@${s}`, bs, (k) => k >= i && k < j, s);
  }
  console.log({ n });
});
