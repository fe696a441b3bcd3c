// What Hopper-v5 and Walker2d-v5 share (hopper_v5.py, walker2d_v5.py): a planar body on rootx, rootz,
// rooty; frame skip 4, timestep 0.002 (dt = 0.008); the healthy rule is each task's.
//
//   obs            = [qpos[1:], clip(qvel, ±10)]
//   x_velocity     = (qpos[0] after − qpos[0] before) / dt
//   reward_forward = 1.0·x_velocity,  reward_survive = 1.0·healthy (0 on the step that terminates, v5)
//   ctrl_cost      = 1e−3·Σ aᵢ²,  reward = (reward_forward + reward_survive) − ctrl_cost
//   terminated     = not healthy (after the step)
//   info: x_position, z_distance_from_origin (qpos[1] − init_qpos[1]), x_velocity, reward_forward,
//         reward_ctrl, reward_survive;  reset info: x_position, z_distance_from_origin
//   reset: qpos = init_qpos + U(±5e−3), qvel = init_qvel + U(±5e−3)
import type { StepResult } from '../../env.js';
import type { MujocoRuntime } from '../loader.js';
import { MujocoEnv, type MujocoEnvOptions, type MujocoTaskSpec } from '../mujoco-env.js';
import { clip } from './clip.js';

const FORWARD_REWARD_WEIGHT = 1.0;
const CTRL_COST_WEIGHT = 1e-3;
const HEALTHY_REWARD = 1.0;
const RESET_NOISE = 5e-3;

export const PLANAR_WALKER_INFO = ['x_position', 'z_distance_from_origin', 'x_velocity', 'reward_forward', 'reward_ctrl', 'reward_survive'] as const;
export const PLANAR_WALKER_RESET_INFO = ['x_position', 'z_distance_from_origin'] as const;

export abstract class PlanarWalkerEnv extends MujocoEnv {
  private xBefore = 0;
  private readonly q: Float64Array;
  private readonly v: Float64Array;

  constructor(rt: MujocoRuntime, spec: MujocoTaskSpec, opts?: MujocoEnvOptions) {
    super(rt, spec, opts);
    this.q = new Float64Array(this.nq);
    this.v = new Float64Array(this.nv);
  }

  /** Gymnasium's is_healthy on the current qpos/qvel. */
  abstract isHealthy(): boolean;

  protected resetModel(): void {
    this.uniformAround(this.initQpos, RESET_NOISE, this.q);
    this.uniformAround(this.initQvel, RESET_NOISE, this.v);
    this.setQposQvel(this.q, this.v);
  }

  protected writeObs(): void {
    const { obs, qpos, qvel, nq, nv } = this;
    for (let i = 1; i < nq; i++) obs[i - 1] = qpos[i];
    for (let i = 0; i < nv; i++) obs[nq - 1 + i] = clip(qvel[i], -10, 10);
  }

  protected override writeResetInfo(): void {
    this.resetInfo.x_position = this.qpos[0];
    this.resetInfo.z_distance_from_origin = this.qpos[1] - this.initQpos[1];
  }

  protected override beforeStep(): void {
    this.xBefore = this.qpos[0];
  }

  protected afterStep(action: ArrayLike<number>, r: StepResult): void {
    const xAfter = this.qpos[0];
    // x_velocity = (x_after − x_before) / dt
    const xVelocity = (xAfter - this.xBefore) / this.dt;
    this.writeObs();
    const healthy = this.isHealthy();
    const forward = FORWARD_REWARD_WEIGHT * xVelocity;
    const survive = healthy ? HEALTHY_REWARD : 0;
    const ctrlCost = CTRL_COST_WEIGHT * this.sumSquares(action);
    r.reward = forward + survive - ctrlCost;
    r.terminated = !healthy;
    const info = this.info;
    info.x_position = xAfter;
    info.z_distance_from_origin = this.qpos[1] - this.initQpos[1];
    info.x_velocity = xVelocity;
    info.reward_forward = forward;
    info.reward_ctrl = -ctrlCost;
    info.reward_survive = survive;
  }
}
