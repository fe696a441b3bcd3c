// Public entry point of the environments module.
export {
  ClassicEnv,
  DEFAULT_SEED,
  boxContains,
  boxSample,
  makeBox,
  type Box,
  type Env,
  type EnvSnapshot,
  type RngState,
  type StepResult,
} from './spaces.js';
export { PendulumEnv, angleNormalize } from './pendulum.js';
export { MountainCarContinuousEnv } from './mountain-car.js';
export { ENV_IDS, makeEnv } from './registry.js';
