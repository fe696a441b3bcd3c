// Seeded pseudo-random numbers, one generator for the environments and the RL code: a thin wrapper over
// seedrandom's ARC4 generator giving uniforms, integers and standard normals (Box–Muller with the second
// value cached). The full state, cache included, is plain JSON so a run can be saved and resumed bit for
// bit. Same seed → same sequence.
import seedrandom from 'seedrandom';
import { fail } from './errors.js';

/** Serializable generator state: ARC4 internals plus the cached normal (or null). */
export interface RngState {
  arc4: { i: number; j: number; S: number[] };
  spare: number | null;
}

export class Rng {
  private prng: seedrandom.StatefulPRNG<seedrandom.State.Arc4>;
  private spare: number | null = null;

  constructor(seed: number | string) {
    if (typeof seed === 'number' ? !Number.isFinite(seed) : typeof seed !== 'string') {
      fail(`Rng: seed must be a finite number or a string, got ${String(seed)}`);
    }
    this.prng = seedrandom(String(seed), { state: true });
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng();
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.prng();
  }

  /** Uniform integer in 0..n-1. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) fail(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.prng() * n);
  }

  /** Standard normal N(0, 1) by Box–Muller; every second call uses the cached value. */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    const u1 = 1 - this.prng(); // (0, 1], so log is finite
    const u2 = this.prng();
    const r = Math.sqrt(-2 * Math.log(u1));
    const a = 2 * Math.PI * u2;
    this.spare = r * Math.sin(a);
    return r * Math.cos(a);
  }

  getState(): RngState {
    const s = this.prng.state();
    return { arc4: { i: s.i, j: s.j, S: Array.from(s.S) }, spare: this.spare };
  }

  /** Restores a state from getState(); anything that is not one (S a permutation of 0…255, i and j in
   *  0…255, spare null or finite) is refused before the generator changes. */
  setState(state: RngState): void {
    checkRngState(state);
    const { i, j, S } = state.arc4;
    this.prng = seedrandom('', { state: { i, j, S: S.slice() } });
    this.spare = state.spare;
  }
}

export function checkRngState(state: unknown, what = 'Rng state'): asserts state is RngState {
  const s = state as RngState | null;
  const arc4 = s?.arc4;
  const byte = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255;
  if (!arc4 || typeof arc4 !== 'object' || !byte(arc4.i) || !byte(arc4.j) || !Array.isArray(arc4.S) || arc4.S.length !== 256) {
    fail(`${what}: expected { arc4: { i, j, S }, spare } with i, j in 0…255 and S of 256 entries`);
  }
  const seen = new Uint8Array(256);
  for (const v of arc4.S) {
    if (!byte(v) || seen[v]) fail(`${what}: arc4.S must be a permutation of 0…255`);
    seen[v] = 1;
  }
  if (s!.spare !== null && !(typeof s!.spare === 'number' && Number.isFinite(s!.spare))) {
    fail(`${what}: spare must be null or a finite number, got ${String(s!.spare)}`);
  }
}
