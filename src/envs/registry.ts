// Environment registry: makeEnv(id) / createEnv(id) like gymnasium.make(id) — the bare env of the id,
// wrapped in ActionCheck, TimeLimit (the registration's max_episode_steps) and OrderEnforcing.
// opts.seed seeds the env's RNG stream (default 0), so makeEnv(id, { seed: s }).reset() equals
// makeEnv(id).reset({ seed: s }).
//
// Ids: ENV_IDS are the classic-control ids, which makeEnv builds synchronously; MUJOCO_ENV_IDS are
// Gymnasium v5's MuJoCo tasks, which need the MuJoCo WebAssembly module and so are built by
// `await createEnv(id)` (it loads the module on first use); ALL_ENV_IDS is both. createEnv also takes
// every classic id and returns what makeEnv returns.
import { fail } from '../errors.js';
import { MountainCarContinuousEnv } from './classic/mountain-car.js';
import { PendulumEnv } from './classic/pendulum.js';
import type { AnyEnv, Env } from './env.js';
import { isMujocoEnvId, MUJOCO_ENV_IDS, MUJOCO_MAX_EPISODE_STEPS, type MujocoEnvId } from './mujoco/ids.js';
import type { MujocoEnv, MujocoEnvOptions, MujocoState, MujocoStateInput } from './mujoco/mujoco-env.js';
import { ActionCheck, OrderEnforcing, TimeLimit } from './wrappers/index.js';

export interface EnvRegistration {
  /** Gymnasium's max_episode_steps for the id (TimeLimit). */
  maxEpisodeSteps: number;
  /** The bare env: physics, reward, termination and reset distribution only. */
  create(seed?: number): Env;
}

const REGISTRY: Record<string, EnvRegistration> = {
  'Pendulum-v1': { maxEpisodeSteps: 200, create: (seed) => new PendulumEnv(seed) },
  'MountainCarContinuous-v0': { maxEpisodeSteps: 999, create: (seed) => new MountainCarContinuousEnv(seed) },
};

/** The classic-control ids (makeEnv, synchronous). */
export const ENV_IDS: readonly string[] = Object.freeze(Object.keys(REGISTRY));
export { MUJOCO_ENV_IDS, isMujocoEnvId, type MujocoEnvId };
/** Every registered id: the classic ones, then the MuJoCo ones (createEnv). */
export const ALL_ENV_IDS: readonly string[] = Object.freeze([...ENV_IDS, ...MUJOCO_ENV_IDS]);

/** A registered MuJoCo env: the wrapped env plus the bare env's dt, the bare env itself and close(). */
export interface MujocoEnvHandle extends Env<MujocoState, MujocoStateInput> {
  /** Seconds per step (timestep × frame skip). */
  readonly dt: number;
  /** The bare env (Gymnasium's env.unwrapped): its MjModel, MjData, frame skip. */
  readonly unwrapped: MujocoEnv;
  /** Frees the MuJoCo model and data now (they are freed when the env is garbage-collected otherwise). */
  close(): void;
}

export interface CreateEnvOptions {
  /** Seeds the env's RNG stream (default 0). */
  seed?: number;
  /** MuJoCo ids only: an MJCF string replacing the task's model (Gymnasium's xml_file). */
  modelXml?: string;
}

/** The wrappers every registered env gets, around any bare env. */
export function wrapEnv<S, I>(env: Env<S, I>, maxEpisodeSteps: number): Env<S, I> {
  return new OrderEnforcing(new TimeLimit(new ActionCheck(env), maxEpisodeSteps));
}

function unknownId(id: unknown): never {
  fail(`Unknown environment id '${String(id)}'. Known ids: ${ALL_ENV_IDS.join(', ')}`);
}

export function makeEnv(id: string, opts?: { seed?: number }): Env {
  if (isMujocoEnvId(id)) {
    fail(`${id} is a MuJoCo environment and needs the MuJoCo module, which loads asynchronously: use \`await createEnv('${id}')\` instead of makeEnv`);
  }
  const reg = typeof id === 'string' && Object.prototype.hasOwnProperty.call(REGISTRY, id) ? REGISTRY[id] : undefined;
  if (!reg) unknownId(id);
  return wrapEnv(reg.create(opts?.seed), reg.maxEpisodeSteps);
}

/** Any registered env: a MuJoCo id loads the MuJoCo module (once) and builds its task; a classic id
 *  returns what makeEnv returns. */
export async function createEnv(id: MujocoEnvId, opts?: CreateEnvOptions): Promise<MujocoEnvHandle>;
export async function createEnv(id: string, opts?: CreateEnvOptions): Promise<AnyEnv>;
export async function createEnv(id: string, opts?: CreateEnvOptions): Promise<AnyEnv> {
  if (isMujocoEnvId(id)) {
    const { createBareMujocoEnv } = await import('./mujoco/index.js');
    const bare = await createBareMujocoEnv(id, opts);
    const env = wrapEnv(bare, MUJOCO_MAX_EPISODE_STEPS[id]);
    return Object.assign(env, { dt: bare.dt, unwrapped: bare, close: () => bare.close() }) satisfies MujocoEnvHandle;
  }
  if (opts?.modelXml !== undefined) {
    if (typeof id === 'string' && Object.prototype.hasOwnProperty.call(REGISTRY, id)) fail(`${id}: modelXml applies to MuJoCo environments only`);
    unknownId(id);
  }
  return makeEnv(id, opts);
}
