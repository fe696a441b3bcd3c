// Wrapper: an env around an env that forwards everything; subclasses override what they change
// (gymnasium.Wrapper). Snapshots compose: a wrapper adds its own keys to the inner env's snapshot.
import type { Box } from '../box.js';
import type { Env, EnvSnapshot, ResetResult, StepResult } from '../env.js';

export class Wrapper<State = Float64Array, StateInput = ArrayLike<number>> implements Env<State, StateInput> {
  readonly id: string;
  readonly observationSpace: Box;
  readonly actionSpace: Box;
  readonly maxEpisodeSteps: number;

  constructor(readonly env: Env<State, StateInput>) {
    this.id = env.id;
    this.observationSpace = env.observationSpace;
    this.actionSpace = env.actionSpace;
    this.maxEpisodeSteps = env.maxEpisodeSteps;
  }

  reset(opts?: { seed?: number }): ResetResult { return this.env.reset(opts); }
  step(action: ArrayLike<number>): StepResult { return this.env.step(action); }
  setState(state: StateInput): void { this.env.setState(state); }
  getState(): State { return this.env.getState(); }
  snapshot(): EnvSnapshot { return this.env.snapshot(); }
  restore(snapshot: EnvSnapshot): void { this.env.restore(snapshot); }
}
