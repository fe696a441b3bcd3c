// The MuJoCo task ids and their registrations' max_episode_steps (Gymnasium's gymnasium/envs/__init__.py).
// No MuJoCo code here: the registry imports this synchronously, the tasks only on createEnv.
export const MUJOCO_MAX_EPISODE_STEPS = {
  'InvertedPendulum-v5': 1000,
  'InvertedDoublePendulum-v5': 1000,
  'Reacher-v5': 50,
  'HalfCheetah-v5': 1000,
  'Hopper-v5': 1000,
  'Walker2d-v5': 1000,
  'Swimmer-v5': 1000,
} as const;

export type MujocoEnvId = keyof typeof MUJOCO_MAX_EPISODE_STEPS;

export const MUJOCO_ENV_IDS: readonly MujocoEnvId[] = Object.freeze(Object.keys(MUJOCO_MAX_EPISODE_STEPS) as MujocoEnvId[]);

export function isMujocoEnvId(id: unknown): id is MujocoEnvId {
  return typeof id === 'string' && Object.prototype.hasOwnProperty.call(MUJOCO_MAX_EPISODE_STEPS, id);
}
