// The MuJoCo tasks by id (bare envs; createEnv in src/envs/registry.ts wraps them).
import type { MujocoEnvId } from '../ids.js';
import type { MujocoRuntime } from '../loader.js';
import type { MujocoEnv, MujocoEnvOptions } from '../mujoco-env.js';
import { HalfCheetahEnv } from './half-cheetah.js';
import { HopperEnv } from './hopper.js';
import { InvertedDoublePendulumEnv } from './inverted-double-pendulum.js';
import { InvertedPendulumEnv } from './inverted-pendulum.js';
import { ReacherEnv } from './reacher.js';
import { SwimmerEnv } from './swimmer.js';
import { Walker2dEnv } from './walker2d.js';

export const MUJOCO_TASKS: Record<MujocoEnvId, new (rt: MujocoRuntime, opts?: MujocoEnvOptions) => MujocoEnv> = {
  'InvertedPendulum-v5': InvertedPendulumEnv,
  'InvertedDoublePendulum-v5': InvertedDoublePendulumEnv,
  'Reacher-v5': ReacherEnv,
  'HalfCheetah-v5': HalfCheetahEnv,
  'Hopper-v5': HopperEnv,
  'Walker2d-v5': Walker2dEnv,
  'Swimmer-v5': SwimmerEnv,
};

export { HalfCheetahEnv, HopperEnv, InvertedDoublePendulumEnv, InvertedPendulumEnv, ReacherEnv, SwimmerEnv, Walker2dEnv };
