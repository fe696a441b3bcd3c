// MujocoEnv: what the MuJoCo tasks share as bare envs, after Gymnasium's MujocoEnv
// (gymnasium/envs/mujoco/mujoco_env.py). No time limit, order or action checks here: those are the
// wrappers (src/envs/wrappers/), composed by createEnv (src/envs/registry.ts).
//
//   step:   ctrl ← action (not clipped here: MuJoCo clamps ctrl of ctrllimited actuators to ctrlrange),
//           mj_step × frameSkip, mj_rnePostConstraint; the task then reads qpos, site_xpos, xpos,
//           qfrc_constraint as mj_step leaves them (no mj_forward after stepping)
//   reset:  mj_resetData, the task's reset noise, setState (qpos, qvel and mj_forward)
//   dt      = timestep × frameSkip; action space = the actuators' ctrlrange
//
// Randomness: one seeded Rng (src/rng.ts), as the classic envs: reset({ seed }) reseeds, reset() continues.
// Exact resume: snapshot() holds MuJoCo's whole integration state (mj_getState with mjSTATE_INTEGRATION:
// time, qpos, qvel, act, the solver's warm start, ctrl, applied forces, …) as JSON numbers plus the Rng
// state; restore() sets it with mj_setState, so the continuation is bit-identical.
// Hot loop: step() allocates nothing: one MjData, typed-array views into it fetched once and again only
// when MuJoCo's memory has grown (a grown WebAssembly memory empties the old views), one obs, one info.
// Blow-ups: a step with a MuJoCo warning or a non-finite state or observation throws SimulationError.
import type { MjData, MjModel } from '@mujoco/mujoco';
import { fail } from '../../errors.js';
import { checkRngState, Rng } from '../../rng.js';
import { makeBox, type Box } from '../box.js';
import { DEFAULT_SEED, type Env, type EnvSnapshot, type ResetResult, type StepResult } from '../env.js';
import { SimulationError } from './errors.js';
import type { MujocoModule, MujocoRuntime } from './loader.js';
import { compileModel, type ModelShape } from './model.js';
import { WarningWatch } from './warnings.js';

/** What getState() returns: copies of qpos and qvel. */
export interface MujocoState {
  qpos: Float64Array;
  qvel: Float64Array;
}

/** What setState() takes (Gymnasium's set_state(qpos, qvel)). */
export interface MujocoStateInput {
  qpos: ArrayLike<number>;
  qvel: ArrayLike<number>;
}

export interface MujocoEnvOptions {
  /** Seeds the env's Rng (default 0), as makeEnv's seed. */
  seed?: number;
  /** An MJCF string to use instead of the task's model (Gymnasium's xml_file); it must keep the task's
   *  sizes and the bodies/sites it reads. */
  modelXml?: string;
}

/** A task's fixed facts (each task file has one). */
export interface MujocoTaskSpec {
  id: string;
  xml: string;
  frameSkip: number;
  obsDim: number;
  shape: ModelShape;
  /** Gymnasium v5's step info keys, in its order. */
  infoKeys: readonly string[];
  /** Gymnasium v5's reset info keys (_get_reset_info). */
  resetInfoKeys?: readonly string[];
}

interface Handles { data: MjData; model: MjModel }
// MjModel and MjData live in MuJoCo's heap, not JS's: free them when an env is collected (or by close()).
const finalizer = new FinalizationRegistry<Handles>((h) => { h.data.delete(); h.model.delete(); });

function checkSeed(seed: unknown): number {
  if (!Number.isSafeInteger(seed)) fail(`seed must be a safe integer, got ${String(seed)}`);
  return seed as number;
}

function infoObject(keys: readonly string[] = []): Record<string, number> {
  const o: Record<string, number> = {};
  for (const k of keys) o[k] = 0;
  return o;
}

const EMPTY = new Float64Array(0);

export abstract class MujocoEnv implements Env<MujocoState, MujocoStateInput> {
  readonly id: string;
  readonly observationSpace: Box;
  readonly actionSpace: Box;
  readonly maxEpisodeSteps = Infinity;
  /** MuJoCo steps per env step. */
  readonly frameSkip: number;
  /** Seconds per env step: model timestep × frameSkip. */
  readonly dt: number;
  readonly nq: number;
  readonly nv: number;
  readonly nu: number;
  readonly mj: MujocoModule;
  readonly model: MjModel;
  readonly data: MjData;
  /** Gymnasium's init_qpos / init_qvel: MjData's qpos and qvel after creation (qpos0 and zeros). */
  readonly initQpos: Float64Array;
  readonly initQvel: Float64Array;

  protected rng: Rng;
  protected readonly obs: Float32Array;
  protected readonly info: Record<string, number>;
  protected readonly resetInfo: Record<string, number>;
  /** Terminate on a blow-up instead of throwing (InvertedPendulum-v5, as Gymnasium defines for it). */
  protected readonly terminatesOnBlowUp: boolean = false;
  // Views into MjData (re-fetched by sync() after MuJoCo's memory grew).
  protected qpos: Float64Array = EMPTY;
  protected qvel: Float64Array = EMPTY;
  protected ctrl: Float64Array = EMPTY;
  protected xpos: Float64Array = EMPTY;
  protected siteXpos: Float64Array = EMPTY;
  protected qfrcConstraint: Float64Array = EMPTY;

  private readonly warnings: WarningWatch;
  private readonly result: StepResult;
  /** mjtState mjSTATE_INTEGRATION: everything mj_step reads. */
  private readonly stateSpec: number;
  private readonly stateSize: number;
  private closed = false;
  /** Env steps since the last reset (for error messages; data.time's getter allocates, so it is not read
   *  per step; restore() derives it from the snapshot's time). */
  private episodeSteps = 0;

  constructor(rt: MujocoRuntime, spec: MujocoTaskSpec, opts: MujocoEnvOptions = {}) {
    this.id = spec.id;
    this.mj = rt.mj;
    this.frameSkip = spec.frameSkip;
    this.rng = new Rng(checkSeed(opts.seed ?? DEFAULT_SEED));
    const model = compileModel(rt.mj, spec.id, opts.modelXml ?? spec.xml, spec.shape);
    const data = new rt.mj.MjData(model);
    this.model = model;
    this.data = data;
    finalizer.register(this, { data, model }, this);
    this.nq = model.nq;
    this.nv = model.nv;
    this.nu = model.nu;
    this.dt = model.opt.timestep * spec.frameSkip;
    this.stateSpec = rt.mj.mjtState.mjSTATE_INTEGRATION.value;
    this.stateSize = rt.mj.mj_stateSize(model, this.stateSpec);
    this.warnings = new WarningWatch(rt, data);
    this.fetchViews();
    this.initQpos = this.qpos.slice();
    this.initQvel = this.qvel.slice();
    // Gymnasium: Box(ctrlrange[:, 0], ctrlrange[:, 1]) in float32.
    const range = model.actuator_ctrlrange as Float64Array;
    const low: number[] = [];
    const high: number[] = [];
    for (let i = 0; i < this.nu; i++) {
      low.push(range[2 * i]);
      high.push(range[2 * i + 1]);
    }
    this.actionSpace = makeBox(low, high);
    this.observationSpace = makeBox(new Array(spec.obsDim).fill(-Infinity), new Array(spec.obsDim).fill(Infinity));
    this.obs = new Float32Array(spec.obsDim);
    this.info = infoObject(spec.infoKeys);
    this.resetInfo = infoObject(spec.resetInfoKeys);
    this.result = { obs: this.obs, reward: 0, terminated: false, truncated: false, info: this.info };
  }

  /** Draw the task's reset noise and apply it with setQposQvel (Gymnasium's reset_model). */
  protected abstract resetModel(): void;
  /** Write the observation of the current MjData into this.obs (Gymnasium's _get_obs). */
  protected abstract writeObs(): void;
  /** Called before ctrl is set and the simulation stepped (e.g. to remember the root x). */
  protected beforeStep(): void {}
  /** After the simulation stepped: write obs, reward, terminated and info. `blewUp` is only ever true
   *  where terminatesOnBlowUp is set. */
  protected abstract afterStep(action: ArrayLike<number>, r: StepResult, blewUp: boolean): void;
  /** Write this.resetInfo (Gymnasium's _get_reset_info). */
  protected writeResetInfo(): void {}

  reset(opts?: { seed?: number }): ResetResult {
    if (opts?.seed !== undefined) this.rng = new Rng(checkSeed(opts.seed));
    this.sync();
    this.mj.mj_resetData(this.model, this.data);
    this.episodeSteps = 0;
    this.resetModel();
    this.writeObs();
    this.writeResetInfo();
    return { obs: this.obs, info: this.resetInfo };
  }

  step(action: ArrayLike<number>): StepResult {
    this.sync();
    const { mj, model, data } = this;
    const stepIndex = ++this.episodeSteps;
    const warningsBefore = this.warnings.total();
    this.beforeStep();
    const ctrl = this.ctrl;
    for (let i = 0; i < this.nu; i++) ctrl[i] = action[i];
    for (let k = 0; k < this.frameSkip; k++) mj.mj_step(model, data);
    mj.mj_rnePostConstraint(model, data);
    this.sync();
    const blowUp = this.blowUp(warningsBefore);
    if (blowUp !== null && !this.terminatesOnBlowUp) throw new SimulationError(this.id, stepIndex, blowUp);
    const r = this.result;
    r.truncated = false;
    this.afterStep(action, r, blowUp !== null);
    if (!this.terminatesOnBlowUp) {
      const bad = this.nonFiniteObs();
      if (bad >= 0) throw new SimulationError(this.id, stepIndex, `observation[${bad}] is ${this.obs[bad]}`);
      if (!Number.isFinite(r.reward)) throw new SimulationError(this.id, stepIndex, `reward is ${r.reward}`);
    }
    return r;
  }

  /** Gymnasium's set_state: sets qpos and qvel and runs mj_forward (time, ctrl and the warm start stay). */
  setState(state: MujocoStateInput): void {
    this.checkVector(state?.qpos, this.nq, 'qpos');
    this.checkVector(state.qvel, this.nv, 'qvel');
    this.sync();
    this.setQposQvel(state.qpos, state.qvel);
    this.writeObs();
  }

  getState(): MujocoState {
    this.sync();
    return { qpos: this.qpos.slice(), qvel: this.qvel.slice() };
  }

  snapshot(): EnvSnapshot {
    const { mj, model, data } = this;
    const buf = new mj.DoubleBuffer(this.stateSize);
    try {
      mj.mj_getState(model, data, buf, this.stateSpec);
      const view = buf.GetView() as Float64Array;
      const physics = Array.from(view);
      // JSON writes −0 as 0: keep where the zeros were negative, so restore is bit-exact.
      const negativeZeros: number[] = [];
      for (let i = 0; i < physics.length; i++) if (Object.is(physics[i], -0)) negativeZeros.push(i);
      return { id: this.id, physics, negativeZeros, rng: this.rng.getState() };
    } finally {
      buf.delete();
    }
  }

  restore(snap: EnvSnapshot): void {
    if (snap?.id !== this.id) fail(`${this.id}: snapshot is for env '${String(snap?.id)}'`);
    const physics = snap.physics;
    const n = this.stateSize;
    if (!Array.isArray(physics) || physics.length !== n || !physics.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      fail(`${this.id}: snapshot physics must be ${n} finite numbers (MuJoCo's integration state)`);
    }
    const negativeZeros = snap.negativeZeros ?? [];
    if (!Array.isArray(negativeZeros) || !negativeZeros.every((i) => Number.isInteger(i) && i >= 0 && i < n && physics[i] === 0)) {
      fail(`${this.id}: snapshot negativeZeros must list indices of zeros in physics`);
    }
    checkRngState(snap.rng, `${this.id}: snapshot rng`);
    const state = (physics as number[]).slice();
    for (const i of negativeZeros as number[]) state[i] = -0;
    const rng = new Rng(0);
    rng.setState(snap.rng);
    this.sync();
    this.mj.mj_setState(this.model, this.data, state, this.stateSpec);
    this.rng = rng;
    this.episodeSteps = Math.round(state[0] / this.dt); // mjSTATE_TIME comes first
  }

  /** Frees the MuJoCo model and data now (otherwise freed when the env is garbage-collected). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    finalizer.unregister(this);
    this.data.delete();
    this.model.delete();
    this.qpos = this.qvel = this.ctrl = this.xpos = this.siteXpos = this.qfrcConstraint = EMPTY;
  }

  /** Sets qpos and qvel and runs mj_forward (Gymnasium's set_state, for resetModel). */
  protected setQposQvel(qpos: ArrayLike<number>, qvel: ArrayLike<number>): void {
    for (let i = 0; i < this.nq; i++) this.qpos[i] = qpos[i];
    for (let i = 0; i < this.nv; i++) this.qvel[i] = qvel[i];
    this.mj.mj_forward(this.model, this.data);
  }

  /** out = init + U(−scale, scale) per entry, drawn in order (Gymnasium: init + np_random.uniform(…)). */
  protected uniformAround(init: Float64Array, scale: number, out: Float64Array): Float64Array {
    for (let i = 0; i < init.length; i++) out[i] = init[i] + this.rng.uniform(-scale, scale);
    return out;
  }

  /** out = init + scale·N(0, 1) per entry (Gymnasium: init + scale · np_random.standard_normal(…)). */
  protected normalAround(init: Float64Array, scale: number, out: Float64Array): Float64Array {
    for (let i = 0; i < init.length; i++) out[i] = init[i] + scale * this.rng.normal();
    return out;
  }

  /** Σ aᵢ² of the action as given (Gymnasium's np.sum(np.square(action))). */
  protected sumSquares(action: ArrayLike<number>): number {
    let s = 0;
    for (let i = 0; i < this.nu; i++) s += action[i] * action[i];
    return s;
  }

  /** Re-fetches the MjData views if MuJoCo's memory grew since (a grown memory leaves them empty). */
  protected sync(): void {
    if (this.qpos.length === 0) this.fetchViews();
  }

  private fetchViews(): void {
    if (this.closed) fail(`${this.id}: the env is closed`);
    const d = this.data;
    this.qpos = d.qpos;
    this.qvel = d.qvel;
    this.ctrl = d.ctrl;
    this.xpos = d.xpos;
    this.siteXpos = d.site_xpos;
    this.qfrcConstraint = d.qfrc_constraint;
  }

  /** Why this step blew up, or null: a new MuJoCo warning, or a non-finite qpos/qvel. */
  private blowUp(warningsBefore: number): string | null {
    if (this.warnings.total() !== warningsBefore) {
      return `MuJoCo warning ${this.warnings.describe()} (bad qpos/qvel/qacc make MuJoCo reset the state)`;
    }
    for (let i = 0; i < this.nq; i++) if (!Number.isFinite(this.qpos[i])) return `qpos[${i}] is ${this.qpos[i]}`;
    for (let i = 0; i < this.nv; i++) if (!Number.isFinite(this.qvel[i])) return `qvel[${i}] is ${this.qvel[i]}`;
    return null;
  }

  private nonFiniteObs(): number {
    for (let i = 0; i < this.obs.length; i++) if (!Number.isFinite(this.obs[i])) return i;
    return -1;
  }

  private checkVector(v: ArrayLike<number> | undefined, n: number, what: string): void {
    if (v == null || v.length !== n) fail(`${this.id}: expected ${what} of length ${n}, got ${v == null ? undefined : v.length}`);
    for (let i = 0; i < n; i++) {
      if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) fail(`${this.id}: ${what}[${i}] must be a finite number, got ${String(v[i])}`);
    }
  }
}
