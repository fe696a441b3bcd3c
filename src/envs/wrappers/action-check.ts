// ActionCheck: refuses an action of the wrong length or with a NaN/Infinity entry, naming the task, before
// the physics sees it (the check Gymnasium's PassiveEnvChecker warns about). Actions outside the box are
// the env's business (each task clips or penalises as Gymnasium does).
import { fail } from '../../errors.js';
import type { Env, StepResult } from '../env.js';
import { Wrapper } from './wrapper.js';

export class ActionCheck<State, StateInput> extends Wrapper<State, StateInput> {
  constructor(env: Env<State, StateInput>) {
    super(env);
  }

  override step(action: ArrayLike<number>): StepResult {
    const n = this.actionSpace.shape[0];
    const length = action == null ? undefined : action.length;
    if (length !== n) fail(`${this.id}: expected action of length ${n}, got ${length}`);
    for (let i = 0; i < n; i++) {
      const a = action[i];
      if (typeof a !== 'number' || !Number.isFinite(a)) fail(`${this.id}: action[${i}] must be a finite number, got ${String(a)}`);
    }
    return this.env.step(action);
  }
}
