// Test helpers for the MuJoCo envs: a "twin" simulation driven directly through the MuJoCo bindings (no
// env code) to compute what a step must return, bit comparisons, and seeded action streams.
import type { MjData, MjModel } from '@mujoco/mujoco';
import { Rng } from '../../src/rng.js';
import { loadMujoco, type MujocoModule } from '../../src/envs/mujoco/loader.js';

export interface TwinStep {
  /** qpos before the step; qpos, qvel after it. */
  qposBefore: Float64Array;
  qpos: Float64Array;
  qvel: Float64Array;
  /** As mj_step (+ mj_rnePostConstraint) leaves them. */
  xpos: Float64Array;
  siteXpos: Float64Array;
  qfrcConstraint: Float64Array;
  ctrl: Float64Array;
}

/** A raw MjModel/MjData pair for one model. */
export class Twin {
  readonly model: MjModel;
  readonly data: MjData;

  private constructor(readonly mj: MujocoModule, xml: string, readonly frameSkip: number) {
    this.model = mj.MjModel.from_xml_string(xml);
    this.data = new mj.MjData(this.model);
  }

  static async of(xml: string, frameSkip: number): Promise<Twin> {
    const { mj } = await loadMujoco();
    return new Twin(mj, xml, frameSkip);
  }

  get timestep(): number { return this.model.opt.timestep; }

  /** mj_resetData, then qpos/qvel and mj_forward (the state an env has after reset() and setState()). */
  set(qpos: ArrayLike<number>, qvel: ArrayLike<number>): void {
    this.mj.mj_resetData(this.model, this.data);
    (this.data.qpos as Float64Array).set(qpos);
    (this.data.qvel as Float64Array).set(qvel);
    this.mj.mj_forward(this.model, this.data);
  }

  /** ctrl ← action, mj_step × frameSkip, mj_rnePostConstraint. */
  step(action: ArrayLike<number>): TwinStep {
    const { mj, model, data } = this;
    const qposBefore = (data.qpos as Float64Array).slice();
    (data.ctrl as Float64Array).set(action);
    for (let k = 0; k < this.frameSkip; k++) mj.mj_step(model, data);
    mj.mj_rnePostConstraint(model, data);
    return {
      qposBefore,
      qpos: (data.qpos as Float64Array).slice(), qvel: (data.qvel as Float64Array).slice(),
      xpos: (data.xpos as Float64Array).slice(), siteXpos: (data.site_xpos as Float64Array).slice(),
      qfrcConstraint: (data.qfrc_constraint as Float64Array).slice(), ctrl: (data.ctrl as Float64Array).slice(),
    };
  }

  bodyId(name: string): number {
    return this.mj.mj_name2id(this.model, this.mj.mjtObj.mjOBJ_BODY.value, name);
  }

  close(): void {
    this.data.delete();
    this.model.delete();
  }
}

/** Float32 rounding of a float64 list (what an obs entry holds). */
export const f32 = (xs: number[]): number[] => xs.map(Math.fround);

/** The float64 bit patterns of numbers (so −0, NaN and every last bit are compared). */
export function bits(xs: ArrayLike<number>): string[] {
  const b = new Float64Array(1);
  const u = new BigUint64Array(b.buffer);
  return Array.from(xs, (x) => { b[0] = x; return u[0].toString(16); });
}

/** A seeded stream of actions in [−scale, scale)^n. */
export function actionStream(n: number, seed: number, scale = 1): () => Float32Array {
  const rng = new Rng(seed);
  const a = new Float32Array(n);
  return () => {
    for (let i = 0; i < n; i++) a[i] = rng.uniform(-scale, scale);
    return a;
  };
}

export const sq = (a: ArrayLike<number>): number => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * a[i]; return s; };
