// Spaces and the shared Env contract (Gymnasium API shape: reset/step with
// terminated/truncated, TimeLimit wrapper semantics folded in).
//
// - Box: a float32 box like gymnasium.spaces.Box (1-D only here).
// - Env / StepResult / EnvSnapshot: the interface every environment implements.
// - ClassicEnv: base class doing what Gymnasium's TimeLimit + OrderEnforcing
//   wrappers and Env.reset(seed) do: RNG (seedrandom ARC4 with saveable
//   state), action validation, elapsed-step counter, `truncated` at
//   maxEpisodeSteps, refusing step() after the episode ended, snapshots.
//   Subclasses only supply the physics (see pendulum.ts, mountain-car.ts).
//
// Randomness: seedrandom(String(seed), { state: true }). An env created
// without a seed uses DEFAULT_SEED (0), so everything is deterministic.
// reset({ seed }) reseeds; reset() continues the env's own stream.
//
// Hot loop: step() allocates nothing. It returns the SAME StepResult object
// every call, whose `obs` is the env's single Float32Array, which reset()
// also returns. Both are overwritten by the next step()/reset(): copy
// (e.g. `obs.slice()`) anything you want to keep. `info` is a shared
// empty object too.
import seedrandom from 'seedrandom';

export interface Box {
  low: Float32Array;
  high: Float32Array;
  shape: [number];
}

export function makeBox(low: ArrayLike<number>, high: ArrayLike<number>): Box {
  if (low.length !== high.length) throw new Error(`Box: low/high length mismatch (${low.length} vs ${high.length})`);
  const lo = Float32Array.from(low);
  const hi = Float32Array.from(high);
  for (let i = 0; i < lo.length; i++) {
    if (!(lo[i] <= hi[i])) throw new Error(`Box: low[${i}]=${lo[i]} > high[${i}]=${hi[i]}`);
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

/** Uniform sample in [low, high) per dimension; `rng` returns uniforms in [0, 1). */
export function boxSample(box: Box, rng: () => number, out?: Float32Array): Float32Array {
  const o = out ?? new Float32Array(box.shape[0]);
  for (let i = 0; i < box.shape[0]; i++) o[i] = box.low[i] + (box.high[i] - box.low[i]) * rng();
  return o;
}

export interface StepResult {
  obs: Float32Array;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Record<string, unknown>;
}

/** seedrandom ARC4 state, plain JSON. */
export interface RngState {
  i: number;
  j: number;
  S: number[];
}

/** Plain-JSON snapshot of everything needed to continue an env bit-exactly. */
export interface EnvSnapshot {
  version: 1;
  id: string;
  state: number[];
  elapsedSteps: number;
  /** reset() or setState() has been called at least once. */
  started: boolean;
  /** The episode ended (terminated or truncated); step() needs reset() first. */
  done: boolean;
  rng: RngState;
}

export interface Env {
  readonly id: string;
  readonly observationSpace: Box;
  readonly actionSpace: Box;
  readonly maxEpisodeSteps: number;
  reset(opts?: { seed?: number }): { obs: Float32Array; info: Record<string, unknown> };
  step(action: ArrayLike<number>): StepResult;
  /** Overwrite the physical state. Does NOT touch the elapsed-step counter or the done flag. */
  setState(state: ArrayLike<number>): void;
  getState(): Float64Array;
  snapshot(): EnvSnapshot;
  restore(s: EnvSnapshot): void;
}

export const DEFAULT_SEED = 0;

type Prng = seedrandom.StatefulPRNG<seedrandom.State.Arc4>;

function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${seed}`);
}

const EMPTY_INFO: Record<string, unknown> = {};

export abstract class ClassicEnv implements Env {
  abstract readonly id: string;
  abstract readonly observationSpace: Box;
  abstract readonly actionSpace: Box;
  abstract readonly maxEpisodeSteps: number;

  /** Physical state, float64 (length = stateDim). */
  protected readonly s: Float64Array;
  protected readonly obs: Float32Array;
  protected rng: Prng;
  private elapsed = 0;
  private started = false;
  private done = false;
  private readonly result: StepResult;

  constructor(stateDim: number, obsDim: number, seed: number = DEFAULT_SEED) {
    checkSeed(seed);
    this.s = new Float64Array(stateDim);
    this.obs = new Float32Array(obsDim);
    this.rng = seedrandom(String(seed), { state: true });
    this.result = { obs: this.obs, reward: 0, terminated: false, truncated: false, info: EMPTY_INFO };
  }

  /** Draw the initial state from this.rng into this.s. */
  protected abstract sampleInitialState(): void;
  /** Write the observation of this.s into this.obs. */
  protected abstract writeObs(): void;
  /** Advance this.s by one step with a validated action; set reward/terminated on r. */
  protected abstract advance(action: ArrayLike<number>, r: StepResult): void;

  /** Number of steps taken since the last reset(). */
  get elapsedSteps(): number {
    return this.elapsed;
  }

  reset(opts?: { seed?: number }): { obs: Float32Array; info: Record<string, unknown> } {
    if (opts?.seed !== undefined) {
      checkSeed(opts.seed);
      this.rng = seedrandom(String(opts.seed), { state: true });
    }
    this.sampleInitialState();
    this.elapsed = 0;
    this.started = true;
    this.done = false;
    this.writeObs();
    return { obs: this.obs, info: EMPTY_INFO };
  }

  step(action: ArrayLike<number>): StepResult {
    if (!this.started) throw new Error(`${this.id}: step() called before reset(); call reset() first`);
    if (this.done) {
      throw new Error(`${this.id}: step() called after the episode ended (terminated or truncated); call reset() first`);
    }
    const n = this.actionSpace.shape[0];
    const len = action == null ? undefined : action.length;
    if (len !== n) throw new Error(`${this.id}: expected action of length ${n}, got ${len}`);
    for (let i = 0; i < n; i++) {
      const a = action[i];
      if (typeof a !== 'number' || !Number.isFinite(a)) {
        throw new Error(`${this.id}: action[${i}] must be a finite number, got ${String(a)}`);
      }
    }
    const r = this.result;
    this.advance(action, r);
    this.writeObs();
    this.elapsed++;
    // Gymnasium TimeLimit: truncated iff elapsed >= max, independent of terminated.
    r.truncated = this.elapsed >= this.maxEpisodeSteps;
    this.done = r.terminated || r.truncated;
    return r;
  }

  setState(state: ArrayLike<number>): void {
    const n = this.s.length;
    if (state == null || state.length !== n) {
      throw new Error(`${this.id}: expected state of length ${n}, got ${state == null ? undefined : state.length}`);
    }
    for (let i = 0; i < n; i++) {
      if (typeof state[i] !== 'number' || !Number.isFinite(state[i])) {
        throw new Error(`${this.id}: state[${i}] must be a finite number, got ${String(state[i])}`);
      }
    }
    for (let i = 0; i < n; i++) this.s[i] = state[i];
    this.started = true;
    this.writeObs();
  }

  getState(): Float64Array {
    return this.s.slice();
  }

  snapshot(): EnvSnapshot {
    const rs = this.rng.state();
    return {
      version: 1,
      id: this.id,
      state: Array.from(this.s),
      elapsedSteps: this.elapsed,
      started: this.started,
      done: this.done,
      rng: { i: rs.i, j: rs.j, S: Array.from(rs.S) },
    };
  }

  restore(snap: EnvSnapshot): void {
    if (snap?.version !== 1) throw new Error(`${this.id}: unsupported snapshot version ${String(snap?.version)}`);
    if (snap.id !== this.id) throw new Error(`${this.id}: snapshot is for env '${snap.id}'`);
    if (!Array.isArray(snap.state) || snap.state.length !== this.s.length) throw new Error(`${this.id}: bad snapshot state`);
    if (!Number.isSafeInteger(snap.elapsedSteps) || snap.elapsedSteps < 0) throw new Error(`${this.id}: bad snapshot elapsedSteps`);
    const rs = snap.rng;
    if (!rs || !Array.isArray(rs.S) || rs.S.length !== 256) throw new Error(`${this.id}: bad snapshot rng state`);
    this.rng = seedrandom('', { state: { i: rs.i, j: rs.j, S: rs.S.slice() } });
    for (let i = 0; i < this.s.length; i++) this.s[i] = snap.state[i];
    this.elapsed = snap.elapsedSteps;
    this.started = snap.started;
    this.done = snap.done;
    this.writeObs();
  }
}
