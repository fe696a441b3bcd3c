// Swimmer-v5, transcribed from Gymnasium's swimmer_v5.py (TimeLimit max_episode_steps=1000 is added by
// the registry). Frame skip 4, timestep 0.01: dt = 0.04. The root moves on two slider joints,
// qpos[0:2] = (x, y).
//
//   obs                  = [qpos[2:], qvel]                                               (8)
//   (x_velocity, y_velocity) = (qpos[0:2] after − qpos[0:2] before) / dt
//   reward_forward       = 1.0·x_velocity,  ctrl_cost = 1e−4·Σ aᵢ²
//   reward               = reward_forward − ctrl_cost;  never terminated
//   info: x_position, y_position, distance_from_origin (‖qpos[0:2]‖), x_velocity, y_velocity,
//         reward_forward, reward_ctrl;  reset info: x_position, y_position, distance_from_origin
//   reset: qpos = init_qpos + U(±0.1), qvel = init_qvel + U(±0.1)
import type { StepResult } from '../../env.js';
import type { MujocoRuntime } from '../loader.js';
import { MujocoEnv, type MujocoEnvOptions, type MujocoTaskSpec } from '../mujoco-env.js';
import { SWIMMER_XML } from '../models/swimmer.js';

const FORWARD_REWARD_WEIGHT = 1.0;
const CTRL_COST_WEIGHT = 1e-4;
const RESET_NOISE = 0.1;

export const SWIMMER: MujocoTaskSpec = {
  id: 'Swimmer-v5',
  xml: SWIMMER_XML,
  frameSkip: 4,
  obsDim: 8,
  shape: { nq: 5, nv: 5, nu: 2 },
  infoKeys: ['x_position', 'y_position', 'distance_from_origin', 'x_velocity', 'y_velocity', 'reward_forward', 'reward_ctrl'],
  resetInfoKeys: ['x_position', 'y_position', 'distance_from_origin'],
};

export class SwimmerEnv extends MujocoEnv {
  private xBefore = 0;
  private yBefore = 0;
  private readonly q = new Float64Array(5);
  private readonly v = new Float64Array(5);

  constructor(rt: MujocoRuntime, opts?: MujocoEnvOptions) {
    super(rt, SWIMMER, opts);
  }

  protected resetModel(): void {
    this.uniformAround(this.initQpos, RESET_NOISE, this.q);
    this.uniformAround(this.initQvel, RESET_NOISE, this.v);
    this.setQposQvel(this.q, this.v);
  }

  protected writeObs(): void {
    const { obs, qpos, qvel } = this;
    for (let i = 2; i < 5; i++) obs[i - 2] = qpos[i];
    for (let i = 0; i < 5; i++) obs[3 + i] = qvel[i];
  }

  protected override writeResetInfo(): void {
    const x = this.qpos[0];
    const y = this.qpos[1];
    this.resetInfo.x_position = x;
    this.resetInfo.y_position = y;
    this.resetInfo.distance_from_origin = Math.sqrt(x * x + y * y);
  }

  protected override beforeStep(): void {
    this.xBefore = this.qpos[0];
    this.yBefore = this.qpos[1];
  }

  protected afterStep(action: ArrayLike<number>, r: StepResult): void {
    const x = this.qpos[0];
    const y = this.qpos[1];
    // (x_velocity, y_velocity) = (xy_after − xy_before) / dt
    const xVelocity = (x - this.xBefore) / this.dt;
    const yVelocity = (y - this.yBefore) / this.dt;
    this.writeObs();
    const forward = FORWARD_REWARD_WEIGHT * xVelocity;
    const ctrlCost = CTRL_COST_WEIGHT * this.sumSquares(action);
    r.reward = forward - ctrlCost;
    r.terminated = false;
    const info = this.info;
    info.x_position = x;
    info.y_position = y;
    info.distance_from_origin = Math.sqrt(x * x + y * y);
    info.x_velocity = xVelocity;
    info.y_velocity = yVelocity;
    info.reward_forward = forward;
    info.reward_ctrl = -ctrlCost;
  }
}
