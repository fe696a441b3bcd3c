// TimeLimit (gymnasium.wrappers.TimeLimit): truncated = true once maxEpisodeSteps steps have been taken
// since the last reset, independently of terminated. A truncated transition is not terminal: learners
// bootstrap from it (src/rl/trainer.ts stores terminated only).
import { checkPositiveInt, fail } from '../../errors.js';
import type { Env, EnvSnapshot, ResetResult, StepResult } from '../env.js';
import { Wrapper } from './wrapper.js';

export class TimeLimit<State, StateInput> extends Wrapper<State, StateInput> {
  override readonly maxEpisodeSteps: number;
  private elapsed = 0;

  constructor(env: Env<State, StateInput>, maxEpisodeSteps: number) {
    super(env);
    this.maxEpisodeSteps = checkPositiveInt(maxEpisodeSteps, 'TimeLimit: maxEpisodeSteps');
  }

  /** Steps taken since the last reset(). */
  get elapsedSteps(): number { return this.elapsed; }

  override reset(opts?: { seed?: number }): ResetResult {
    const r = this.env.reset(opts);
    this.elapsed = 0;
    return r;
  }

  override step(action: ArrayLike<number>): StepResult {
    const r = this.env.step(action);
    this.elapsed++;
    r.truncated = r.truncated || this.elapsed >= this.maxEpisodeSteps;
    return r;
  }

  override snapshot(): EnvSnapshot {
    return { ...this.env.snapshot(), elapsedSteps: this.elapsed };
  }

  override restore(s: EnvSnapshot): void {
    const elapsed = s?.elapsedSteps;
    if (!(Number.isSafeInteger(elapsed) && (elapsed as number) >= 0)) {
      fail(`${this.id}: snapshot elapsedSteps must be an integer ≥ 0, got ${String(elapsed)}`);
    }
    this.env.restore(s);
    this.elapsed = elapsed as number;
  }
}
