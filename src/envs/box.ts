// Box: a bounded float32 interval per dimension, like gymnasium.spaces.Box (1-D shapes only here).
import { fail } from '../errors.js';

export interface Box {
  low: Float32Array;
  high: Float32Array;
  shape: [number];
}

export function makeBox(low: ArrayLike<number>, high: ArrayLike<number>): Box {
  if (low.length !== high.length) fail(`Box: low and high differ in length (${low.length} vs ${high.length})`);
  const lo = Float32Array.from(low);
  const hi = Float32Array.from(high);
  for (let i = 0; i < lo.length; i++) {
    if (!(lo[i] <= hi[i])) fail(`Box: low[${i}] = ${lo[i]} is not ≤ high[${i}] = ${hi[i]}`);
  }
  return { low: lo, high: hi, shape: [lo.length] };
}

/** True if x has the box's length and every entry lies in [low, high]. */
export function boxContains(box: Box, x: ArrayLike<number>): boolean {
  if (x.length !== box.shape[0]) return false;
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] >= box.low[i] && x[i] <= box.high[i])) return false;
  }
  return true;
}
