// The interaction loop works through the agent contract: a scripted agent that is neither DDPG nor TD3 is
// trained, its per-episode statistics average only the updates that reported them (no actor loss on a
// delayed update is skipped, never a NaN), updates start when the agent says so, and the episode loop
// resets the env and the noise.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../src/envs/index.js';
import type { Agent, UpdateStats } from '../src/rl/agent.js';
import { Trainer, evaluate, type EpisodeLog } from '../src/rl/trainer.js';

/** Just enough of the contract for the trainer: constant actions, scripted update statistics. */
function scriptedAgent(startAt: number, stats: (update: number) => UpdateStats) {
  const calls = { resets: 0, observed: 0 };
  const agent = {
    config: { seed: 3 }, steps: 0, updates: 0,
    act: () => Float32Array.of(0.5),
    observe() { this.steps += 1; calls.observed += 1; },
    startEpisode() { calls.resets += 1; },
    canUpdate() { return this.steps >= startAt; },
    update() { this.updates += 1; return stats(this.updates); },
  };
  return { agent: agent as unknown as Agent, calls };
}

describe('Trainer through the agent contract', () => {
  it('averages each statistic over the updates of the episode that had it', () => {
    // Update u reports criticLoss u, qMean −u, and an actor loss 10·u only on every third update.
    const { agent, calls } = scriptedAgent(150, (u) => ({ criticLoss: u, actorLoss: u % 3 === 0 ? 10 * u : undefined, qMean: -u, tdErrorMean: 0 }));
    const logs: EpisodeLog[] = [];
    new Trainer(agent, makeEnv('Pendulum-v1')).run(600, (e) => logs.push(e));
    expect(logs.map((e) => e.step)).toEqual([200, 400, 600]);
    expect(calls.resets).toBe(3);
    expect(calls.observed).toBe(600);
    expect(agent.updates).toBe(451); // at steps 150 … 600
    // Episode 1: updates 1…51 (steps 150…200); actor losses at u = 3, 6, …, 51.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const us = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    expect(logs[0].criticLoss).toBeCloseTo(mean(us(1, 51)), 12);
    expect(logs[0].qMean).toBeCloseTo(-mean(us(1, 51)), 12);
    expect(logs[0].actorLoss).toBeCloseTo(mean(us(1, 51).filter((u) => u % 3 === 0).map((u) => 10 * u)), 12);
    expect(logs[1].actorLoss).toBeCloseTo(mean(us(52, 251).filter((u) => u % 3 === 0).map((u) => 10 * u)), 12);
  });

  it('an episode without updates, or without an actor step, logs undefined (an empty CSV cell), not NaN', () => {
    const { agent } = scriptedAgent(390, (u) => ({ criticLoss: 1, actorLoss: u > 100 ? 2 : undefined, qMean: 0, tdErrorMean: 0 }));
    const logs: EpisodeLog[] = [];
    new Trainer(agent, makeEnv('Pendulum-v1')).run(400, (e) => logs.push(e));
    expect(logs[0]).toMatchObject({ criticLoss: undefined, actorLoss: undefined, qMean: undefined });
    expect(logs[1]).toMatchObject({ criticLoss: 1, actorLoss: undefined, qMean: 0 });
  });

  it('evaluate runs the deterministic policy on episodes reset with seeds seed, seed + 1, …', () => {
    const { agent } = scriptedAgent(0, () => ({ criticLoss: 0, actorLoss: 0, qMean: 0, tdErrorMean: 0 }));
    const ev = evaluate(agent, makeEnv('Pendulum-v1'), 3, 50);
    const by = (seed: number) => {
      const env = makeEnv('Pendulum-v1');
      env.reset({ seed });
      let total = 0;
      for (let t = 0; t < 200; t++) total += env.step([0.5]).reward;
      return total;
    };
    expect(ev.returns).toEqual([by(50), by(51), by(52)]);
  });
});
