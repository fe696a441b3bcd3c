// Seeded pseudo-random numbers for the RL code: a thin wrapper over seedrandom's
// ARC4 generator giving uniforms, integers and standard normals (Box–Muller with
// the second value cached). The full state, cache included, is plain JSON so a
// run can be saved and resumed bit-for-bit. Same seed → same sequence.
import { DdpgInputError } from '../errors.js';
import seedrandom from 'seedrandom';

/** Serializable generator state: ARC4 internals plus the cached normal (or null). */
export interface RngState {
  arc4: { i: number; j: number; S: number[] };
  spare: number | null;
}

export class Rng {
  private prng: seedrandom.StatefulPRNG<seedrandom.State.Arc4>;
  private spare: number | null = null;

  constructor(seed: number | string) {
    if (typeof seed === 'number' && !Number.isFinite(seed)) {
      throw new DdpgInputError(`Rng: seed must be a finite number or a string, got ${seed}`);
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
    if (!Number.isInteger(n) || n <= 0) {
      throw new DdpgInputError(`Rng.int: n must be a positive integer, got ${n}`);
    }
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

  setState(s: RngState): void {
    const { i, j, S } = s.arc4;
    if (!Array.isArray(S) || S.length !== 256 || !Number.isInteger(i) || !Number.isInteger(j)) {
      throw new DdpgInputError('Rng.setState: invalid ARC4 state (expected integers i, j and S of length 256)');
    }
    if (s.spare !== null && !Number.isFinite(s.spare)) {
      throw new DdpgInputError(`Rng.setState: spare must be null or finite, got ${s.spare}`);
    }
    this.prng = seedrandom('', { state: { i, j, S: S.slice() } });
    this.spare = s.spare;
  }
}
