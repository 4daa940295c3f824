/**
 * Frame paths (`top`, `top.frames[1].frames[0]`) by identity: walk from `top` through
 * `frames[i]`, comparing WindowProxy objects. `length` and indexed access work cross-origin.
 * Bounded: at most MAX_FRAMES windows are visited.
 */
import { append } from './own-index.ts';
const MAX_FRAMES = 100;

type Win = any;

export function framePathOf(target: unknown, top: Win): string {
  if (target === null || target === undefined || top === null || top === undefined) return '';
  try {
    const queue: Win[] = [top];
    const paths: string[] = ['top'];
    for (let head = 0; head < queue.length && head < MAX_FRAMES; head++) {
      const w = queue[head];
      if (w === target) return paths[head];
      const n = w.length as number;
      for (let i = 0; i < n && queue.length < MAX_FRAMES; i++) {
        append(queue, w[i]);
        append(paths, paths[head] + '.frames[' + i + ']');
      }
    }
  } catch {
    // A window went away mid-walk.
  }
  return '';
}
