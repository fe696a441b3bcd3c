// The MuJoCo environments (Gymnasium v5's tasks on @mujoco/mujoco). The registry loads this module with a
// dynamic import() on the first MuJoCo env; the MuJoCo module itself is loaded by loader.ts.
import type { MujocoEnvId } from './ids.js';
import { loadMujoco } from './loader.js';
import type { MujocoEnv, MujocoEnvOptions } from './mujoco-env.js';
import { MUJOCO_TASKS } from './tasks/index.js';

/** The bare env of a MuJoCo id (no wrappers; use createEnv for the registered, wrapped env). */
export async function createBareMujocoEnv(id: MujocoEnvId, opts?: MujocoEnvOptions): Promise<MujocoEnv> {
  const rt = await loadMujoco();
  return new MUJOCO_TASKS[id](rt, opts);
}

export { MUJOCO_ENV_IDS, MUJOCO_MAX_EPISODE_STEPS, isMujocoEnvId, type MujocoEnvId } from './ids.js';
export { loadMujoco, setMujocoLoader, type MujocoModule, type MujocoRuntime } from './loader.js';
export { MujocoEnv, type MujocoEnvOptions, type MujocoState, type MujocoStateInput, type MujocoTaskSpec } from './mujoco-env.js';
export { SimulationError } from './errors.js';
export * from './tasks/index.js';
export * from './models/index.js';
