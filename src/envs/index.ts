// Public entry point of the environments module.
export { makeBox, boxContains, type Box } from './box.js';
export { DEFAULT_SEED, type AnyEnv, type Env, type EnvSnapshot, type ResetResult, type StepResult } from './env.js';
export { ActionCheck, OrderEnforcing, TimeLimit, Wrapper } from './wrappers/index.js';
export { ClassicEnv } from './classic/classic-env.js';
export { PendulumEnv, angleNormalize } from './classic/pendulum.js';
export { MountainCarContinuousEnv } from './classic/mountain-car.js';
export { ENV_IDS, makeEnv, wrapEnv, type EnvRegistration } from './registry.js';
