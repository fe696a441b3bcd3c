// MountainCarContinuous-v0, transcribed from Gymnasium's
// gymnasium/envs/classic_control/continuous_mountain_car.py
// (TimeLimit max_episode_steps=999 is added by the registry).
//
//   force = clip(a, −1, 1)
//   v    += force·0.0015 − 0.0025·cos(3x);  v = clip(v, −0.07, 0.07)
//   x    += v;                              x = clip(x, −1.2, 0.6)
//   if x == −1.2 and v < 0: v = 0          (inelastic left wall)
//   terminated = x ≥ 0.45 and v ≥ 0
//   reward = (terminated ? 100 : 0) − 0.1·a²   (UNclipped action a)
//   reset: x ~ U[−0.6, −0.4), v = 0
// Each step is computed in float64 from the stored state, then the new state
// is stored rounded to float32 (Gymnasium: np.array([x, v], dtype=np.float32)).
// Like Gymnasium, reset() and setState() store the values unrounded (float64).
// setState/getState use [position, velocity].
import { makeBox, type Box } from '../box.js';
import type { StepResult } from '../env.js';
import { ClassicEnv } from './classic-env.js';

const MIN_ACTION = -1;
const MAX_ACTION = 1;
const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GOAL_POSITION = 0.45;
const GOAL_VELOCITY = 0;
const POWER = 0.0015;

export class MountainCarContinuousEnv extends ClassicEnv {
  readonly id = 'MountainCarContinuous-v0';
  readonly observationSpace: Box = makeBox([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED]);
  readonly actionSpace: Box = makeBox([MIN_ACTION], [MAX_ACTION]);
  /** The clipped ranges, widened to their float32 roundings (the stored state is rounded to float32). */
  protected readonly stateBounds = {
    low: [Math.min(MIN_POSITION, Math.fround(MIN_POSITION)), Math.min(-MAX_SPEED, Math.fround(-MAX_SPEED))],
    high: [Math.max(MAX_POSITION, Math.fround(MAX_POSITION)), Math.max(MAX_SPEED, Math.fround(MAX_SPEED))],
  };

  constructor(seed?: number) {
    super(2, 2, seed);
  }

  protected sampleInitialState(): void {
    this.s[0] = -0.6 + (-0.4 - -0.6) * this.rng.next();
    this.s[1] = 0;
  }

  protected writeObs(): void {
    this.obs[0] = this.s[0];
    this.obs[1] = this.s[1];
  }

  protected advance(action: ArrayLike<number>, r: StepResult): void {
    let x = this.s[0];
    let v = this.s[1];
    const a = action[0];
    const force = Math.min(Math.max(a, MIN_ACTION), MAX_ACTION);
    v += force * POWER - 0.0025 * Math.cos(3 * x);
    if (v > MAX_SPEED) v = MAX_SPEED;
    if (v < -MAX_SPEED) v = -MAX_SPEED;
    x += v;
    if (x > MAX_POSITION) x = MAX_POSITION;
    if (x < MIN_POSITION) x = MIN_POSITION;
    if (x === MIN_POSITION && v < 0) v = 0;
    const terminated = x >= GOAL_POSITION && v >= GOAL_VELOCITY;
    r.reward = (terminated ? 100 : 0) - a * a * 0.1;
    r.terminated = terminated;
    this.s[0] = Math.fround(x);
    this.s[1] = Math.fround(v);
  }
}
