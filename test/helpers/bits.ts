// Bit-for-bit comparison of float32 results (the tests of builds, kernel variants and threads that must agree exactly).
import { expect } from 'vitest';

/** Indices where two float32 arrays differ in their bits (NaN payloads included); their lengths must match. */
export function bitDiffs(a: Float32Array, b: Float32Array): number[] {
  expect(a.length).toBe(b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length), y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) out.push(i);
  return out;
}
