// InvertedDoublePendulum-v5, transcribed from Gymnasium's inverted_double_pendulum_v5.py (TimeLimit
// max_episode_steps=1000 is added by the registry). Frame skip 5, timestep 0.01: dt = 0.05.
//
//   obs = [qpos[0], sin qpos[1:], cos qpos[1:], clip(qvel, ±10), clip(qfrc_constraint, ±10)[:1]]   (9)
//   (x, _, y)        = site_xpos[0], the tip, as mj_step leaves it
//   terminated       = y ≤ 1
//   distance_penalty = 0.01·x² + (y − 2)²
//   velocity_penalty = 1e−3·v₁² + 5e−3·v₂²                      (v₁, v₂ = qvel[1], qvel[2])
//   reward_survive   = 10 if not terminated else 0
//   reward           = reward_survive − distance_penalty − velocity_penalty
//   info: reward_survive, distance_penalty (−), velocity_penalty (−)
//   reset: qpos = init_qpos + U(±0.1), qvel = init_qvel + 0.1·N(0, 1)
import type { StepResult } from '../../env.js';
import type { MujocoRuntime } from '../loader.js';
import { MujocoEnv, type MujocoEnvOptions, type MujocoTaskSpec } from '../mujoco-env.js';
import { INVERTED_DOUBLE_PENDULUM_XML } from '../models/inverted-double-pendulum.js';
import { clip } from './clip.js';

const HEALTHY_REWARD = 10;
const RESET_NOISE = 0.1;

export const INVERTED_DOUBLE_PENDULUM: MujocoTaskSpec = {
  id: 'InvertedDoublePendulum-v5',
  xml: INVERTED_DOUBLE_PENDULUM_XML,
  frameSkip: 5,
  obsDim: 9,
  shape: { nq: 3, nv: 3, nu: 1, nsite: 1 },
  infoKeys: ['reward_survive', 'distance_penalty', 'velocity_penalty'],
};

export class InvertedDoublePendulumEnv extends MujocoEnv {
  private readonly q = new Float64Array(3);
  private readonly v = new Float64Array(3);

  constructor(rt: MujocoRuntime, opts?: MujocoEnvOptions) {
    super(rt, INVERTED_DOUBLE_PENDULUM, opts);
  }

  protected resetModel(): void {
    this.uniformAround(this.initQpos, RESET_NOISE, this.q);
    this.normalAround(this.initQvel, RESET_NOISE, this.v);
    this.setQposQvel(this.q, this.v);
  }

  protected writeObs(): void {
    const { obs, qpos, qvel } = this;
    obs[0] = qpos[0];
    obs[1] = Math.sin(qpos[1]);
    obs[2] = Math.sin(qpos[2]);
    obs[3] = Math.cos(qpos[1]);
    obs[4] = Math.cos(qpos[2]);
    obs[5] = clip(qvel[0], -10, 10);
    obs[6] = clip(qvel[1], -10, 10);
    obs[7] = clip(qvel[2], -10, 10);
    obs[8] = clip(this.qfrcConstraint[0], -10, 10);
  }

  protected afterStep(_action: ArrayLike<number>, r: StepResult): void {
    const x = this.siteXpos[0];
    const y = this.siteXpos[2];
    this.writeObs();
    const terminated = y <= 1;
    const v1 = this.qvel[1];
    const v2 = this.qvel[2];
    // distance penalty 0.01·x² + (y − 2)², velocity penalty 1e−3·v₁² + 5e−3·v₂²
    const distPenalty = 0.01 * (x * x) + (y - 2) * (y - 2);
    const velPenalty = 1e-3 * (v1 * v1) + 5e-3 * (v2 * v2);
    const alive = terminated ? 0 : HEALTHY_REWARD;
    r.reward = alive - distPenalty - velPenalty;
    r.terminated = terminated;
    this.info.reward_survive = alive;
    this.info.distance_penalty = -distPenalty;
    this.info.velocity_penalty = -velPenalty;
  }
}
