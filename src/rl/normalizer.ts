// Observation normalization (optional per run, config.obsNormalization): a running mean and variance of the
// observations, updated from the data as Stable-Baselines3's VecNormalize does (obs only), and
//   normalize(x) = clip((x − mean) / √(var + ε), −clip, clip)            ε = 1e−8, clip = config.obsClip (10)
// Running moments (SB3's RunningMeanStd with a batch of one; Chan et al.'s parallel update): start with
// mean 0, var 1, count 1e−4; for a new x with δ = x − mean and n = count + 1:
//   mean ← mean + δ/n        var ← (var·count + δ²·count/n) / n        count ← n
// The replay buffer keeps raw observations; batches are normalized with the current statistics when sampled
// (as SB3's off-policy algorithms do), actions with the statistics at acting time. The statistics are part of
// a checkpoint and of an exported policy, so a deployed policy sees what the trained one saw.
import { checkPositiveInt, fail } from '../errors.js';
import type { Stateful } from './agent.js';

export const NORMALIZER_EPSILON = 1e-8;
const INITIAL_COUNT = 1e-4;

export interface ObsNormalizerState {
  mean: number[];
  var: number[];
  count: number;
}

/** What a policy needs to normalize as the agent did: out = clip((x − mean) / std, −clip, clip). */
export interface ObsNormalization {
  mean: number[];
  /** √(var + ε) */
  std: number[];
  clip: number;
}

export class ObsNormalizer implements Stateful<ObsNormalizerState> {
  readonly dim: number;
  readonly clip: number;
  private readonly mean: Float64Array;
  private readonly var: Float64Array;
  private readonly std: Float64Array;
  private count = INITIAL_COUNT;

  constructor(dim: number, clip: number) {
    this.dim = checkPositiveInt(dim, 'ObsNormalizer: dim');
    if (!(clip > 0 && Number.isFinite(clip))) fail(`ObsNormalizer: clip must be a positive finite number, got ${clip}`);
    this.clip = clip;
    this.mean = new Float64Array(dim);
    this.var = new Float64Array(dim).fill(1);
    this.std = new Float64Array(dim);
    this.refreshStd();
  }

  /** Counts one observation (row `row` of `x`, width dim). */
  update(x: ArrayLike<number>, row = 0): void {
    const n = this.count + 1, d = this.dim, o = row * d;
    for (let i = 0; i < d; i++) {
      const delta = x[o + i] - this.mean[i];
      this.mean[i] += delta / n;
      this.var[i] = (this.var[i] * this.count + (delta * delta * this.count) / n) / n;
    }
    this.count = n;
    this.refreshStd();
  }

  /** out = clip((x − mean) / std, −clip, clip), row by row over x's length (a multiple of dim). */
  normalize(x: ArrayLike<number>, out: Float32Array): Float32Array {
    const d = this.dim, c = this.clip;
    for (let k = 0; k < x.length; k += d) {
      for (let i = 0; i < d; i++) out[k + i] = Math.min(c, Math.max(-c, (x[k + i] - this.mean[i]) / this.std[i]));
    }
    return out;
  }

  /** The constants a policy applies (a copy). */
  normalization(): ObsNormalization {
    return { mean: Array.from(this.mean), std: Array.from(this.std), clip: this.clip };
  }

  getState(): ObsNormalizerState {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  setState(s: ObsNormalizerState): void {
    const d = this.dim;
    const vector = (v: unknown, ok: (x: number) => boolean) => Array.isArray(v) && v.length === d && v.every((x) => typeof x === 'number' && ok(x));
    if (!vector(s?.mean, Number.isFinite)) fail(`ObsNormalizer state: mean must be ${d} finite numbers`);
    if (!vector(s.var, (x) => Number.isFinite(x) && x >= 0)) fail(`ObsNormalizer state: var must be ${d} finite numbers ≥ 0`);
    if (!(typeof s.count === 'number' && Number.isFinite(s.count) && s.count >= INITIAL_COUNT)) fail(`ObsNormalizer state: count must be a finite number ≥ ${INITIAL_COUNT}, got ${String(s.count)}`);
    this.mean.set(s.mean);
    this.var.set(s.var);
    this.count = s.count;
    this.refreshStd();
  }

  private refreshStd(): void {
    for (let i = 0; i < this.dim; i++) this.std[i] = Math.sqrt(this.var[i] + NORMALIZER_EPSILON);
  }
}

/** The normalization a policy file records, checked (the policy runtime and the checkpoint loader use it). */
export function checkObsNormalization(v: unknown, dim: number): string | undefined {
  const n = v as ObsNormalization | null;
  const vector = (a: unknown, ok: (x: number) => boolean) => Array.isArray(a) && a.length === dim && a.every((x) => typeof x === 'number' && ok(x));
  if (!n || typeof n !== 'object') return 'must be { mean, std, clip }';
  if (!vector(n.mean, Number.isFinite)) return `mean must be ${dim} finite numbers`;
  if (!vector(n.std, (x) => Number.isFinite(x) && x > 0)) return `std must be ${dim} positive finite numbers`;
  if (!(typeof n.clip === 'number' && n.clip > 0 && Number.isFinite(n.clip))) return 'clip must be a positive finite number';
  return undefined;
}
