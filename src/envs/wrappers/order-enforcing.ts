// OrderEnforcing (gymnasium.wrappers.OrderEnforcing, stricter): step() needs a reset() (or setState())
// first, and after an episode ended — terminated or truncated — the next step() needs a reset().
import { fail } from '../../errors.js';
import type { Env, EnvSnapshot, ResetResult, StepResult } from '../env.js';
import { Wrapper } from './wrapper.js';

export class OrderEnforcing<State, StateInput> extends Wrapper<State, StateInput> {
  private started = false;
  private done = false;

  constructor(env: Env<State, StateInput>) {
    super(env);
  }

  override reset(opts?: { seed?: number }): ResetResult {
    const r = this.env.reset(opts);
    this.started = true;
    this.done = false;
    return r;
  }

  override step(action: ArrayLike<number>): StepResult {
    if (!this.started) fail(`${this.id}: step() called before reset(); call reset() first`);
    if (this.done) fail(`${this.id}: step() called after the episode ended (terminated or truncated); call reset() first`);
    const r = this.env.step(action);
    this.done = r.terminated || r.truncated;
    return r;
  }

  /** A state set by hand is a start too (the episode's done flag is left as it is). */
  override setState(state: StateInput): void {
    this.env.setState(state);
    this.started = true;
  }

  override snapshot(): EnvSnapshot {
    return { ...this.env.snapshot(), started: this.started, done: this.done };
  }

  override restore(s: EnvSnapshot): void {
    if (typeof s?.started !== 'boolean' || typeof s.done !== 'boolean') {
      fail(`${this.id}: snapshot started and done must be booleans, got ${String(s?.started)} and ${String(s?.done)}`);
    }
    this.env.restore(s);
    this.started = s.started;
    this.done = s.done;
  }
}
