// Walker2d-v5, transcribed from Gymnasium's walker2d_v5.py (TimeLimit max_episode_steps=1000 is added by
// the registry); step, reward and reset as in planar-walker.ts. qpos = [rootx, rootz, rooty, then
// thigh, leg, foot of the right and of the left leg].
//
//   healthy  = 0.8 < z < 2.0 (z = qpos[1]) and −1 < angle < 1 (angle = qpos[2])
//   obs (17) = [qpos[1:] (8), clip(qvel, ±10) (9)]
import type { MujocoRuntime } from '../loader.js';
import type { MujocoEnvOptions, MujocoTaskSpec } from '../mujoco-env.js';
import { WALKER2D_XML } from '../models/walker2d.js';
import { PLANAR_WALKER_INFO, PLANAR_WALKER_RESET_INFO, PlanarWalkerEnv } from './planar-walker.js';

const Z_RANGE = [0.8, 2.0] as const;
const ANGLE_RANGE = [-1.0, 1.0] as const;

export const WALKER2D: MujocoTaskSpec = {
  id: 'Walker2d-v5',
  xml: WALKER2D_XML,
  frameSkip: 4,
  obsDim: 17,
  shape: { nq: 9, nv: 9, nu: 6 },
  infoKeys: PLANAR_WALKER_INFO,
  resetInfoKeys: PLANAR_WALKER_RESET_INFO,
};

export class Walker2dEnv extends PlanarWalkerEnv {
  constructor(rt: MujocoRuntime, opts?: MujocoEnvOptions) {
    super(rt, WALKER2D, opts);
  }

  isHealthy(): boolean {
    const z = this.qpos[1];
    const angle = this.qpos[2];
    return Z_RANGE[0] < z && z < Z_RANGE[1] && ANGLE_RANGE[0] < angle && angle < ANGLE_RANGE[1];
  }
}
