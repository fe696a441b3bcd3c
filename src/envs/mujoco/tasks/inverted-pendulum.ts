// InvertedPendulum-v5, transcribed from Gymnasium's gymnasium/envs/mujoco/inverted_pendulum_v5.py
// (TimeLimit max_episode_steps=1000 is added by the registry). Frame skip 2, timestep 0.02: dt = 0.04.
//
//   obs        = [qpos (cart x, pole angle), qvel]                                   (4)
//   terminated = obs not all finite, or |qpos[1]| > 0.2
//   reward     = 1 if not terminated else 0                     info: reward_survive
//   reset:     qpos = init_qpos + U(±0.01), qvel = init_qvel + U(±0.01)   (qpos drawn first)
// A blow-up (a MuJoCo warning, after which MuJoCo resets the state itself, or a non-finite state) is
// Gymnasium's non-finite observation: the episode terminates with reward 0 instead of raising.
import type { StepResult } from '../../env.js';
import type { MujocoRuntime } from '../loader.js';
import { MujocoEnv, type MujocoEnvOptions, type MujocoTaskSpec } from '../mujoco-env.js';
import { INVERTED_PENDULUM_XML } from '../models/inverted-pendulum.js';

const RESET_NOISE = 0.01;
const MAX_ANGLE = 0.2;

export const INVERTED_PENDULUM: MujocoTaskSpec = {
  id: 'InvertedPendulum-v5',
  xml: INVERTED_PENDULUM_XML,
  frameSkip: 2,
  obsDim: 4,
  shape: { nq: 2, nv: 2, nu: 1 },
  infoKeys: ['reward_survive'],
};

export class InvertedPendulumEnv extends MujocoEnv {
  protected override readonly terminatesOnBlowUp = true;
  private readonly q = new Float64Array(2);
  private readonly v = new Float64Array(2);

  constructor(rt: MujocoRuntime, opts?: MujocoEnvOptions) {
    super(rt, INVERTED_PENDULUM, opts);
  }

  protected resetModel(): void {
    this.uniformAround(this.initQpos, RESET_NOISE, this.q);
    this.uniformAround(this.initQvel, RESET_NOISE, this.v);
    this.setQposQvel(this.q, this.v);
  }

  protected writeObs(): void {
    this.obs[0] = this.qpos[0];
    this.obs[1] = this.qpos[1];
    this.obs[2] = this.qvel[0];
    this.obs[3] = this.qvel[1];
  }

  protected afterStep(_action: ArrayLike<number>, r: StepResult, blewUp: boolean): void {
    this.writeObs();
    const finite = Number.isFinite(this.qpos[0]) && Number.isFinite(this.qpos[1]) && Number.isFinite(this.qvel[0]) && Number.isFinite(this.qvel[1]);
    // terminated = not isfinite(obs).all() or |obs[1]| > 0.2 (obs in float64)
    const terminated = blewUp || !finite || Math.abs(this.qpos[1]) > MAX_ANGLE;
    r.terminated = terminated;
    r.reward = terminated ? 0 : 1;
    this.info.reward_survive = r.reward;
  }
}
