// Pendulum-v1, transcribed from Gymnasium's
// gymnasium/envs/classic_control/pendulum.py (TimeLimit max_episode_steps=200 is added by the registry).
//
//   g = 10, m = 1, l = 1, dt = 0.05, max_speed = 8, max_torque = 2
//   u      = clip(u, -2, 2)
//   cost   = norm(θ)² + 0.1·θ̇² + 0.001·u²          (state BEFORE the update)
//   norm(x)= ((x + π) mod 2π) − π                  (Python/NumPy modulo, result in [0, 2π))
//   θ̇'    = clip(θ̇ + (3g/(2l)·sin θ + 3/(m·l²)·u)·dt, −8, 8)
//   θ'     = θ + θ̇'·dt                            (θ itself is never wrapped)
//   obs    = [cos θ, sin θ, θ̇] (float32), reward = −cost, never terminated
//   reset: θ ~ U[−π, π), θ̇ ~ U[−1, 1)   (θ drawn first)
// State is kept in float64; setState/getState use [θ, θ̇].
import { makeBox, type Box } from '../box.js';
import type { StepResult } from '../env.js';
import { ClassicEnv } from './classic-env.js';

const G = 10;
const M = 1;
const L = 1;
const DT = 0.05;
const MAX_SPEED = 8;
const MAX_TORQUE = 2;
const TWO_PI = 2 * Math.PI;

/** Gymnasium's angle_normalize with Python's float modulo (sign of the divisor). */
export function angleNormalize(x: number): number {
  let m = (x + Math.PI) % TWO_PI; // JS % is C fmod: sign of the dividend
  if (m !== 0) {
    if (m < 0) m += TWO_PI;
  } else {
    m = 0; // Python returns +0.0 for a positive divisor
  }
  return m - Math.PI;
}

export class PendulumEnv extends ClassicEnv {
  readonly id = 'Pendulum-v1';
  readonly observationSpace: Box = makeBox([-1, -1, -MAX_SPEED], [1, 1, MAX_SPEED]);
  readonly actionSpace: Box = makeBox([-MAX_TORQUE], [MAX_TORQUE]);
  /** θ is never wrapped; θ̇ is clipped to ±8 by every step (and reset draws it in [−1, 1]). */
  protected readonly stateBounds = { low: [-Number.MAX_VALUE, -MAX_SPEED], high: [Number.MAX_VALUE, MAX_SPEED] };

  constructor(seed?: number) {
    super(2, 3, seed);
  }

  protected sampleInitialState(): void {
    this.s[0] = -Math.PI + 2 * Math.PI * this.rng.next();
    this.s[1] = -1 + 2 * this.rng.next();
  }

  protected writeObs(): void {
    const th = this.s[0];
    this.obs[0] = Math.cos(th);
    this.obs[1] = Math.sin(th);
    this.obs[2] = this.s[1];
  }

  protected advance(action: ArrayLike<number>, r: StepResult): void {
    const th = this.s[0];
    const thdot = this.s[1];
    const u = Math.min(Math.max(action[0], -MAX_TORQUE), MAX_TORQUE);
    const n = angleNormalize(th);
    const cost = n * n + 0.1 * (thdot * thdot) + 0.001 * (u * u);
    let newThdot = thdot + (((3 * G) / (2 * L)) * Math.sin(th) + (3 / (M * L * L)) * u) * DT;
    newThdot = Math.min(Math.max(newThdot, -MAX_SPEED), MAX_SPEED);
    this.s[0] = th + newThdot * DT;
    this.s[1] = newThdot;
    r.reward = -cost;
    r.terminated = false;
  }
}
