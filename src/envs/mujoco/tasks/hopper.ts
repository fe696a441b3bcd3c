// Hopper-v5, transcribed from Gymnasium's hopper_v5.py (TimeLimit max_episode_steps=1000 is added by the
// registry); step, reward and reset as in planar-walker.ts. qpos = [rootx, rootz, rooty, thigh, leg, foot].
//
//   healthy = all of state_vector()[2:] = (qpos[2:], qvel) strictly inside (−100, 100)   (qvel unclipped)
//             and 0.7 < z < ∞ (z = qpos[1]) and −0.2 < angle < 0.2 (angle = qpos[2])
//   obs (11) = [qpos[1:] (5), clip(qvel, ±10) (6)]
import type { MujocoRuntime } from '../loader.js';
import type { MujocoEnvOptions, MujocoTaskSpec } from '../mujoco-env.js';
import { HOPPER_XML } from '../models/hopper.js';
import { PLANAR_WALKER_INFO, PLANAR_WALKER_RESET_INFO, PlanarWalkerEnv } from './planar-walker.js';

const STATE_RANGE = [-100, 100] as const;
const Z_RANGE = [0.7, Infinity] as const;
const ANGLE_RANGE = [-0.2, 0.2] as const;

export const HOPPER: MujocoTaskSpec = {
  id: 'Hopper-v5',
  xml: HOPPER_XML,
  frameSkip: 4,
  obsDim: 11,
  shape: { nq: 6, nv: 6, nu: 3 },
  infoKeys: PLANAR_WALKER_INFO,
  resetInfoKeys: PLANAR_WALKER_RESET_INFO,
};

export class HopperEnv extends PlanarWalkerEnv {
  constructor(rt: MujocoRuntime, opts?: MujocoEnvOptions) {
    super(rt, HOPPER, opts);
  }

  isHealthy(): boolean {
    const { qpos, qvel } = this;
    const [lo, hi] = STATE_RANGE;
    for (let i = 2; i < this.nq; i++) if (!(lo < qpos[i] && qpos[i] < hi)) return false;
    for (let i = 0; i < this.nv; i++) if (!(lo < qvel[i] && qvel[i] < hi)) return false;
    const z = qpos[1];
    const angle = qpos[2];
    return Z_RANGE[0] < z && z < Z_RANGE[1] && ANGLE_RANGE[0] < angle && angle < ANGLE_RANGE[1];
  }
}
