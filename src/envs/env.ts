// The environment contract, in Gymnasium's API shape: reset({ seed }) → { obs, info } and
// step(action) → { obs, reward, terminated, truncated, info }.
//
// An environment is a bare env (the physics: dynamics, reward, termination, reset distribution, seeding —
// src/envs/classic/) inside wrappers for everything that is not physics (src/envs/wrappers/): TimeLimit
// (truncation), OrderEnforcing (reset before step, no step after the episode ended) and ActionCheck
// (length and finiteness). makeEnv (src/envs/registry.ts) composes them, as gymnasium.make does.
//
// Randomness: each bare env owns one seeded Rng (src/rng.ts). An env made without a seed uses seed 0, so
// everything is deterministic; reset({ seed }) reseeds, reset() continues the env's own stream.
//
// Hot loop: step() allocates nothing. It returns the SAME StepResult object every call, whose `obs` is the
// env's single Float32Array, which reset() also returns. Both are overwritten by the next step()/reset():
// copy (e.g. `obs.slice()`) anything you want to keep. `info` is a shared object too. Because the object
// is reused, a bare env's step() sets every field of it (terminated and truncated included) on every call.
import type { Box } from './box.js';

export interface StepResult {
  obs: Float32Array;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Record<string, unknown>;
}

export interface ResetResult {
  obs: Float32Array;
  info: Record<string, unknown>;
}

/** Plain-JSON state of an env and its wrappers: the bare env writes `id` and its own keys, each wrapper
 *  adds its own (TimeLimit `elapsedSteps`, OrderEnforcing `started` and `done`). */
export interface EnvSnapshot {
  id: string;
  [key: string]: unknown;
}

/** `State` is what getState() returns (a copy), `StateInput` what setState() takes. */
export interface Env<State = Float64Array, StateInput = ArrayLike<number>> {
  readonly id: string;
  readonly observationSpace: Box;
  readonly actionSpace: Box;
  /** Steps after which TimeLimit truncates the episode (Infinity for a bare env). */
  readonly maxEpisodeSteps: number;
  reset(opts?: { seed?: number }): ResetResult;
  step(action: ArrayLike<number>): StepResult;
  /** Overwrites the physical state. Does not touch the elapsed-step counter or the done flag. */
  setState(state: StateInput): void;
  getState(): State;
  /** Everything needed to continue bit-exactly (physics, RNG, wrapper counters), as plain JSON. */
  snapshot(): EnvSnapshot;
  restore(snapshot: EnvSnapshot): void;
}

export const DEFAULT_SEED = 0;

/** Any env, whatever its state types (what the trainer and evaluation accept). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEnv = Env<unknown, any>;
