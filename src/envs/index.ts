// Public entry point of the environments module.
export { makeBox, boxContains, type Box } from './box.js';
export { DEFAULT_SEED, type AnyEnv, type Env, type EnvSnapshot, type ResetResult, type StepResult } from './env.js';
export { ActionCheck, OrderEnforcing, TimeLimit, Wrapper } from './wrappers/index.js';
export { ClassicEnv } from './classic/classic-env.js';
export { PendulumEnv, angleNormalize } from './classic/pendulum.js';
export { MountainCarContinuousEnv } from './classic/mountain-car.js';
export {
  ALL_ENV_IDS, ENV_IDS, MUJOCO_ENV_IDS, createEnv, isMujocoEnvId, makeEnv, wrapEnv,
  type CreateEnvOptions, type EnvRegistration, type MujocoEnvHandle, type MujocoEnvId,
} from './registry.js';
// MuJoCo: types and the lazy loader's hooks only — the tasks themselves load with the first createEnv
// (import them from './mujoco/index.js' to use the bare envs directly).
export type { MujocoEnv, MujocoEnvOptions, MujocoState, MujocoStateInput } from './mujoco/mujoco-env.js';
export { setMujocoLoader, type MujocoModule } from './mujoco/loader.js';
export { SimulationError } from './mujoco/errors.js';
