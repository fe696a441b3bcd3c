// ClassicEnv: what the classic-control tasks share as bare envs — a float64 physical state, a float32
// observation, one seeded Rng (Gymnasium's np_random: reset({ seed }) reseeds, reset() continues) and a
// snapshot of both. No time limit, order or action checks here: those are wrappers (src/envs/wrappers/).
// Subclasses supply the physics (pendulum.ts, mountain-car.ts).
import { fail } from '../../errors.js';
import { Rng, type RngState } from '../../rng.js';
import type { Box } from '../box.js';
import { DEFAULT_SEED, type Env, type EnvSnapshot, type ResetResult, type StepResult } from '../env.js';

const EMPTY_INFO: Record<string, unknown> = {};

function checkSeed(seed: unknown): number {
  if (!Number.isSafeInteger(seed)) fail(`seed must be a safe integer, got ${String(seed)}`);
  return seed as number;
}

export abstract class ClassicEnv implements Env {
  abstract readonly id: string;
  abstract readonly observationSpace: Box;
  abstract readonly actionSpace: Box;
  readonly maxEpisodeSteps = Infinity;

  /** Physical state, float64 (length = stateDim). */
  protected readonly s: Float64Array;
  protected readonly obs: Float32Array;
  protected rng: Rng;
  private readonly result: StepResult;

  constructor(stateDim: number, obsDim: number, seed: number = DEFAULT_SEED) {
    this.s = new Float64Array(stateDim);
    this.obs = new Float32Array(obsDim);
    this.rng = new Rng(checkSeed(seed));
    this.result = { obs: this.obs, reward: 0, terminated: false, truncated: false, info: EMPTY_INFO };
  }

  /** The states the dynamics can reach, per component (a restored snapshot must lie inside: a state no run
   *  could have reached is a corrupt or crafted file). */
  protected abstract readonly stateBounds: { low: readonly number[]; high: readonly number[] };
  /** Draw the initial state from this.rng into this.s. */
  protected abstract sampleInitialState(): void;
  /** Write the observation of this.s into this.obs. */
  protected abstract writeObs(): void;
  /** Advance this.s by one step with a checked action; set reward and terminated on r. */
  protected abstract advance(action: ArrayLike<number>, r: StepResult): void;

  reset(opts?: { seed?: number }): ResetResult {
    if (opts?.seed !== undefined) this.rng = new Rng(checkSeed(opts.seed));
    this.sampleInitialState();
    this.writeObs();
    return { obs: this.obs, info: EMPTY_INFO };
  }

  step(action: ArrayLike<number>): StepResult {
    const r = this.result;
    this.advance(action, r);
    r.truncated = false;
    this.writeObs();
    return r;
  }

  setState(state: ArrayLike<number>): void {
    const n = this.s.length;
    if (state == null || state.length !== n) fail(`${this.id}: expected state of length ${n}, got ${state == null ? undefined : state.length}`);
    for (let i = 0; i < n; i++) {
      if (typeof state[i] !== 'number' || !Number.isFinite(state[i])) fail(`${this.id}: state[${i}] must be a finite number, got ${String(state[i])}`);
    }
    for (let i = 0; i < n; i++) this.s[i] = state[i];
    this.writeObs();
  }

  getState(): Float64Array {
    return this.s.slice();
  }

  snapshot(): EnvSnapshot {
    return { id: this.id, state: Array.from(this.s), rng: this.rng.getState() };
  }

  restore(snap: EnvSnapshot): void {
    if (snap?.id !== this.id) fail(`${this.id}: snapshot is for env '${String(snap?.id)}'`);
    const state = snap.state;
    if (!Array.isArray(state) || state.length !== this.s.length || !state.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      fail(`${this.id}: snapshot state must be ${this.s.length} finite numbers`);
    }
    const { low, high } = this.stateBounds;
    (state as number[]).forEach((v, i) => {
      if (!(v >= low[i] && v <= high[i])) fail(`${this.id}: snapshot state[${i}] = ${v} is outside what the dynamics reach [${low[i]}, ${high[i]}]`);
    });
    const rng = new Rng(0);
    rng.setState(snap.rng as RngState);
    this.rng = rng;
    this.s.set(state as number[]);
    this.writeObs();
  }
}
