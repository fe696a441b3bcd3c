// Environment registry: makeEnv(id) like gymnasium.make(id) — the bare env of the id, wrapped in
// ActionCheck, TimeLimit (the registration's max_episode_steps) and OrderEnforcing.
// opts.seed seeds the env's RNG stream (default 0), so makeEnv(id, { seed: s }).reset() equals
// makeEnv(id).reset({ seed: s }).
import { fail } from '../errors.js';
import { MountainCarContinuousEnv } from './classic/mountain-car.js';
import { PendulumEnv } from './classic/pendulum.js';
import type { Env } from './env.js';
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

export const ENV_IDS: readonly string[] = Object.freeze(Object.keys(REGISTRY));

/** The wrappers every registered env gets, around any bare env. */
export function wrapEnv<S, I>(env: Env<S, I>, maxEpisodeSteps: number): Env<S, I> {
  return new OrderEnforcing(new TimeLimit(new ActionCheck(env), maxEpisodeSteps));
}

export function makeEnv(id: string, opts?: { seed?: number }): Env {
  const reg = typeof id === 'string' && Object.prototype.hasOwnProperty.call(REGISTRY, id) ? REGISTRY[id] : undefined;
  if (!reg) fail(`Unknown environment id '${String(id)}'. Known ids: ${ENV_IDS.join(', ')}`);
  return wrapEnv(reg.create(opts?.seed), reg.maxEpisodeSteps);
}
