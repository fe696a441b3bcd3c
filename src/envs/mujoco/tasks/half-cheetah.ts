// HalfCheetah-v5, transcribed from Gymnasium's half_cheetah_v5.py (TimeLimit max_episode_steps=1000 is
// added by the registry). Frame skip 5, timestep 0.01: dt = 0.05.
//
//   obs            = [qpos[1:], qvel]                                                    (17)
//   x_velocity     = (qpos[0] after − qpos[0] before) / dt
//   reward_forward = 1.0·x_velocity,  ctrl_cost = 0.1·Σ aᵢ²
//   reward         = reward_forward − ctrl_cost;  never terminated
//   info: x_position, x_velocity, reward_forward, reward_ctrl (= −ctrl_cost);  reset info: x_position
//   reset: qpos = init_qpos + U(±0.1), qvel = init_qvel + 0.1·N(0, 1)
import type { StepResult } from '../../env.js';
import type { MujocoRuntime } from '../loader.js';
import { MujocoEnv, type MujocoEnvOptions, type MujocoTaskSpec } from '../mujoco-env.js';
import { HALF_CHEETAH_XML } from '../models/half-cheetah.js';

const FORWARD_REWARD_WEIGHT = 1.0;
const CTRL_COST_WEIGHT = 0.1;
const RESET_NOISE = 0.1;

export const HALF_CHEETAH: MujocoTaskSpec = {
  id: 'HalfCheetah-v5',
  xml: HALF_CHEETAH_XML,
  frameSkip: 5,
  obsDim: 17,
  shape: { nq: 9, nv: 9, nu: 6 },
  infoKeys: ['x_position', 'x_velocity', 'reward_forward', 'reward_ctrl'],
  resetInfoKeys: ['x_position'],
};

export class HalfCheetahEnv extends MujocoEnv {
  private xBefore = 0;
  private readonly q = new Float64Array(9);
  private readonly v = new Float64Array(9);

  constructor(rt: MujocoRuntime, opts?: MujocoEnvOptions) {
    super(rt, HALF_CHEETAH, opts);
  }

  protected resetModel(): void {
    this.uniformAround(this.initQpos, RESET_NOISE, this.q);
    this.normalAround(this.initQvel, RESET_NOISE, this.v);
    this.setQposQvel(this.q, this.v);
  }

  protected writeObs(): void {
    const { obs, qpos, qvel } = this;
    for (let i = 1; i < 9; i++) obs[i - 1] = qpos[i];
    for (let i = 0; i < 9; i++) obs[8 + i] = qvel[i];
  }

  protected override writeResetInfo(): void {
    this.resetInfo.x_position = this.qpos[0];
  }

  protected override beforeStep(): void {
    this.xBefore = this.qpos[0];
  }

  protected afterStep(action: ArrayLike<number>, r: StepResult): void {
    const xAfter = this.qpos[0];
    // x_velocity = (x_after − x_before) / dt
    const xVelocity = (xAfter - this.xBefore) / this.dt;
    this.writeObs();
    const forward = FORWARD_REWARD_WEIGHT * xVelocity;
    const ctrlCost = CTRL_COST_WEIGHT * this.sumSquares(action);
    r.reward = forward - ctrlCost;
    r.terminated = false;
    const info = this.info;
    info.x_position = xAfter;
    info.x_velocity = xVelocity;
    info.reward_forward = forward;
    info.reward_ctrl = -ctrlCost;
  }
}
