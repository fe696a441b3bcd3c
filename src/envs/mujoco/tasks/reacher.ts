// Reacher-v5, transcribed from Gymnasium's reacher_v5.py (TimeLimit max_episode_steps=50 is added by the
// registry). Frame skip 2, timestep 0.01: dt = 0.02. qpos = [joint0, joint1, target_x, target_y].
//
//   obs         = [cos qpos[:2], sin qpos[:2], qpos[2:], qvel[:2], (fingertip − target)[:2]]    (10)
//   vec         = xpos(fingertip) − xpos(target), body positions as mj_step leaves them (3-D)
//   reward_dist = −‖vec‖,  reward_ctrl = −Σ aᵢ²,  reward = reward_dist + reward_ctrl;  never terminated
//   reset: qpos = U(±0.1) + init_qpos; goal ~ U(±0.2)² until ‖goal‖ < 0.2 (rejection), qpos[2:] = goal;
//          qvel = init_qvel + U(±0.005), qvel[2:] = 0 (the target does not move)
import type { StepResult } from '../../env.js';
import type { MujocoRuntime } from '../loader.js';
import { bodyId } from '../model.js';
import { MujocoEnv, type MujocoEnvOptions, type MujocoTaskSpec } from '../mujoco-env.js';
import { REACHER_XML } from '../models/reacher.js';

const REWARD_DIST_WEIGHT = 1;
const REWARD_CONTROL_WEIGHT = 1;
const GOAL_RADIUS = 0.2;

export const REACHER: MujocoTaskSpec = {
  id: 'Reacher-v5',
  xml: REACHER_XML,
  frameSkip: 2,
  obsDim: 10,
  shape: { nq: 4, nv: 4, nu: 2, bodies: ['fingertip', 'target'] },
  infoKeys: ['reward_dist', 'reward_ctrl'],
};

export class ReacherEnv extends MujocoEnv {
  private readonly fingertip: number;
  private readonly target: number;
  private readonly q = new Float64Array(4);
  private readonly v = new Float64Array(4);

  constructor(rt: MujocoRuntime, opts?: MujocoEnvOptions) {
    super(rt, REACHER, opts); // compileModel checked that both bodies exist
    this.fingertip = bodyId(this.mj, this.model, 'fingertip');
    this.target = bodyId(this.mj, this.model, 'target');
  }

  protected resetModel(): void {
    const { q, v } = this;
    this.uniformAround(this.initQpos, 0.1, q);
    let g0: number;
    let g1: number;
    do {
      g0 = this.rng.uniform(-GOAL_RADIUS, GOAL_RADIUS);
      g1 = this.rng.uniform(-GOAL_RADIUS, GOAL_RADIUS);
    } while (!(Math.sqrt(g0 * g0 + g1 * g1) < GOAL_RADIUS));
    q[2] = g0;
    q[3] = g1;
    this.uniformAround(this.initQvel, 0.005, v);
    v[2] = 0;
    v[3] = 0;
    this.setQposQvel(q, v);
  }

  protected writeObs(): void {
    const { obs, qpos, qvel, xpos } = this;
    const f = 3 * this.fingertip;
    const t = 3 * this.target;
    obs[0] = Math.cos(qpos[0]);
    obs[1] = Math.cos(qpos[1]);
    obs[2] = Math.sin(qpos[0]);
    obs[3] = Math.sin(qpos[1]);
    obs[4] = qpos[2];
    obs[5] = qpos[3];
    obs[6] = qvel[0];
    obs[7] = qvel[1];
    obs[8] = xpos[f] - xpos[t];
    obs[9] = xpos[f + 1] - xpos[t + 1];
  }

  protected afterStep(action: ArrayLike<number>, r: StepResult): void {
    this.writeObs();
    const { xpos } = this;
    const f = 3 * this.fingertip;
    const t = 3 * this.target;
    const dx = xpos[f] - xpos[t];
    const dy = xpos[f + 1] - xpos[t + 1];
    const dz = xpos[f + 2] - xpos[t + 2];
    // reward_dist = −‖fingertip − target‖·w_dist, reward_ctrl = −Σ aᵢ²·w_ctrl
    const rewardDist = -Math.sqrt(dx * dx + dy * dy + dz * dz) * REWARD_DIST_WEIGHT;
    const rewardCtrl = -this.sumSquares(action) * REWARD_CONTROL_WEIGHT;
    r.reward = rewardDist + rewardCtrl;
    r.terminated = false;
    this.info.reward_dist = rewardDist;
    this.info.reward_ctrl = rewardCtrl;
  }
}
