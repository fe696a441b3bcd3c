// Exploration noise for DDPG actions, written into caller-provided Float32Arrays:
//  - GaussianNoise: independent N(0, σ_i²) per action dimension.
//  - OrnsteinUhlenbeckNoise: temporally correlated noise, Stable-Baselines3 form
//      x ← x + θ·(μ − x)·dt + σ·√dt·N(0, 1),   out = x,   reset: x ← x0.
// State is kept in float64 and is saved and restored (RNG included) by getState/setState for exact resume.
import { checkObject, checkPositiveInt, fail } from '../errors.js';
import { Rng, type RngState } from '../rng.js';

function checkActDim(cls: string, actDim: number): void {
  checkPositiveInt(actDim, `${cls}: actDim`);
}

/** Expand a scalar or per-dimension parameter to a Float64Array, checking finiteness and bounds. */
function perDim(
  cls: string,
  name: string,
  v: ArrayLike<number> | number,
  actDim: number,
  check: (x: number) => boolean,
  rule: string,
): Float64Array {
  const a = new Float64Array(actDim);
  if (typeof v === 'number') {
    a.fill(v);
  } else {
    if (v.length !== actDim) fail(`${cls}: ${name} has wrong length: expected ${actDim}, got ${v.length}`);
    for (let i = 0; i < actDim; i++) a[i] = v[i];
  }
  for (let i = 0; i < actDim; i++) {
    if (!Number.isFinite(a[i]) || !check(a[i])) fail(`${cls}: ${typeof v === 'number' ? name : `${name}[${i}]`} must be ${rule}, got ${a[i]}`);
  }
  return a;
}

const nonNegative = (x: number): boolean => x >= 0;
const anyFinite = (): boolean => true;

function checkOut(cls: string, out: Float32Array, actDim: number): void {
  if (out.length !== actDim) fail(`${cls}.sample: out has wrong length: expected ${actDim}, got ${out.length}`);
}

export interface GaussianNoiseOptions {
  actDim: number;
  sigma: ArrayLike<number> | number;
  seed: number;
}

export interface GaussianNoiseState {
  rng: RngState;
}

export class GaussianNoise {
  readonly actDim: number;
  private readonly sigma: Float64Array;
  private readonly rng: Rng;

  constructor(opts: GaussianNoiseOptions) {
    checkObject(opts, 'GaussianNoise options');
    checkActDim('GaussianNoise', opts.actDim);
    this.actDim = opts.actDim;
    this.sigma = perDim('GaussianNoise', 'sigma', opts.sigma, opts.actDim, nonNegative, 'finite and >= 0');
    this.rng = new Rng(opts.seed);
  }

  /** out[i] = σ_i · N(0, 1). */
  sample(out: Float32Array): Float32Array {
    checkOut('GaussianNoise', out, this.actDim);
    for (let i = 0; i < this.actDim; i++) out[i] = this.sigma[i] * this.rng.normal();
    return out;
  }

  /** Stateless apart from the RNG; nothing to reset. */
  reset(): void {}

  getState(): GaussianNoiseState {
    return { rng: this.rng.getState() };
  }

  setState(s: GaussianNoiseState): void {
    this.rng.setState(s?.rng);
  }
}

export interface OrnsteinUhlenbeckNoiseOptions {
  actDim: number;
  /** Mean-reversion rate, default 0.15. */
  theta?: number;
  /** Scale, scalar or per-dimension, default 0.2. */
  sigma?: ArrayLike<number> | number;
  /** Time step, default 1e-2. */
  dt?: number;
  /** Long-run mean, scalar or per-dimension, default 0. */
  mu?: ArrayLike<number> | number;
  /** Initial / reset state, default zeros. */
  x0?: ArrayLike<number>;
  seed: number;
}

export interface OrnsteinUhlenbeckNoiseState {
  x: number[];
  rng: RngState;
}

export class OrnsteinUhlenbeckNoise {
  readonly actDim: number;
  readonly theta: number;
  readonly dt: number;
  private readonly sigma: Float64Array;
  private readonly mu: Float64Array;
  private readonly x0: Float64Array;
  private readonly x: Float64Array;
  private readonly rng: Rng;

  constructor(opts: OrnsteinUhlenbeckNoiseOptions) {
    const cls = 'OrnsteinUhlenbeckNoise';
    checkObject(opts, `${cls} options`);
    checkActDim(cls, opts.actDim);
    const { actDim, theta = 0.15, dt = 1e-2 } = opts;
    if (!Number.isFinite(theta) || theta < 0) fail(`${cls}: theta must be finite and >= 0, got ${theta}`);
    if (!Number.isFinite(dt) || dt <= 0) fail(`${cls}: dt must be finite and > 0, got ${dt}`);
    this.actDim = actDim;
    this.theta = theta;
    this.dt = dt;
    this.sigma = perDim(cls, 'sigma', opts.sigma ?? 0.2, actDim, nonNegative, 'finite and >= 0');
    this.mu = perDim(cls, 'mu', opts.mu ?? 0, actDim, anyFinite, 'finite');
    this.x0 = perDim(cls, 'x0', opts.x0 ?? 0, actDim, anyFinite, 'finite');
    this.x = this.x0.slice();
    this.rng = new Rng(opts.seed);
  }

  /** Advance one step and write the new state into out. */
  sample(out: Float32Array): Float32Array {
    checkOut('OrnsteinUhlenbeckNoise', out, this.actDim);
    const { theta, dt, x, mu, sigma } = this;
    const sqrtDt = Math.sqrt(dt);
    for (let i = 0; i < this.actDim; i++) {
      x[i] = x[i] + theta * (mu[i] - x[i]) * dt + sigma[i] * sqrtDt * this.rng.normal();
      out[i] = x[i];
    }
    return out;
  }

  /** Set the state back to x0 (the RNG stream continues). */
  reset(): void {
    this.x.set(this.x0);
  }

  getState(): OrnsteinUhlenbeckNoiseState {
    return { x: Array.from(this.x), rng: this.rng.getState() };
  }

  setState(s: OrnsteinUhlenbeckNoiseState): void {
    if (!Array.isArray(s?.x) || s.x.length !== this.actDim || !s.x.every(Number.isFinite)) {
      fail(`OrnsteinUhlenbeckNoise.setState: x must be ${this.actDim} finite numbers, got ${JSON.stringify(s?.x)}`);
    }
    this.rng.setState(s.rng);
    for (let i = 0; i < this.actDim; i++) this.x[i] = s.x[i];
  }
}
