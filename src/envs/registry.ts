// Environment registry: makeEnv(id) like gymnasium.make(id), with the
// TimeLimit built into each env (Pendulum-v1: 200, MountainCarContinuous-v0: 999).
// opts.seed seeds the env's RNG stream (default: DEFAULT_SEED = 0), so
// makeEnv(id, { seed: s }).reset() equals makeEnv(id).reset({ seed: s }).
import { MountainCarContinuousEnv } from './mountain-car.js';
import { PendulumEnv } from './pendulum.js';
import type { Env } from './spaces.js';

const FACTORIES: Record<string, (seed?: number) => Env> = {
  'Pendulum-v1': (seed) => new PendulumEnv(seed),
  'MountainCarContinuous-v0': (seed) => new MountainCarContinuousEnv(seed),
};

export const ENV_IDS: readonly string[] = Object.freeze(Object.keys(FACTORIES));

export function makeEnv(id: string, opts?: { seed?: number }): Env {
  const factory = Object.prototype.hasOwnProperty.call(FACTORIES, id) ? FACTORIES[id] : undefined;
  if (!factory) throw new Error(`Unknown environment id '${id}'. Known ids: ${ENV_IDS.join(', ')}`);
  return factory(opts?.seed);
}
