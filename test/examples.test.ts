// The examples' logic: the deterministic policy gradient on the toy bandit Q(a) = −(a − 0.7)² converges to 0.7;
// the extending walkthrough's env and algorithm work.
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, loadEngine, type Engine } from '../src/index.js';
import { dpgBandit } from '../examples/bandit.js';
import { makePointMass, trainPointMass } from '../examples/extending.js';

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

describe('examples/bandit.ts: DPG on a known Q', () => {
  it('the actor’s action converges to the optimum 0.7 ± 0.02 from a ≈ 0', () => {
    const { action, history } = dpgBandit(engine, { steps: 400, seed: 1 });
    expect(Math.abs(history[0])).toBeLessThan(0.05); // final-layer init ±3e−3: starts near the box centre
    expect(action).toBeGreaterThan(0.68);
    expect(action).toBeLessThan(0.72);
    expect(Math.abs(history[history.length - 1] - 0.7)).toBeLessThan(0.02);
  });

  it('converges from other seeds too, and moves uphill on Q in the first steps', () => {
    for (const seed of [2, 3]) {
      const { action, history } = dpgBandit(engine, { steps: 400, seed, every: 10 });
      expect(Math.abs(action - 0.7)).toBeLessThan(0.02);
      expect(Math.abs(history[1] - 0.7)).toBeLessThan(Math.abs(history[0] - 0.7)); // after 10 steps: closer
    }
  });

  it('before any step the action is far from 0.7: the result is the gradient’s doing', () => {
    // 0 steps: the action is where the init put it, far from 0.7.
    expect(Math.abs(dpgBandit(engine, { steps: 0 }).action - 0.7)).toBeGreaterThan(0.5);
  });
});

describe('examples/extending.ts: a new env and a new algorithm (docs/extending.md)', () => {
  it('PointMass gets the registry\'s wrappers: a 100-step time limit, order and action checks', () => {
    const env = makePointMass(3);
    expect(() => env.step([0])).toThrow(/PointMass-v0: step\(\) called before reset\(\)/);
    env.reset();
    expect(() => env.step([NaN])).toThrow(/PointMass-v0: action\[0\] must be a finite number/);
    let steps = 0;
    for (;;) { steps++; if (env.step([0.3]).truncated) break; }
    expect(steps).toBe(100);
  });

  it('CdqDdpg, written from the shared steps, learns it: 4000 steps beat doing nothing by far', () => {
    const doNothing = evaluate({ act: () => Float32Array.of(0) }, makePointMass(), 10, 100_000).mean;
    expect(doNothing).toBeLessThan(-15);
    for (const seed of [1, 2]) expect(trainPointMass(engine, 4000, seed).mean).toBeGreaterThan(-8);
  });
});
