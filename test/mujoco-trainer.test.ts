// The Trainer takes a MuJoCo env like any env (AnyEnv): a few hundred TD3 steps on InvertedPendulum-v5
// with small networks, updates included, run without error and log finished episodes.
import { beforeAll, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../src/index.js';
import { createEnv } from '../src/envs/registry.js';
import { TD3 } from '../src/rl/td3.js';
import { Trainer, type EpisodeLog } from '../src/rl/trainer.js';

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

it('TD3 trains on InvertedPendulum-v5 for 600 steps', async () => {
  const env = await createEnv('InvertedPendulum-v5', { seed: 1 });
  const agent = new TD3(engine, {
    obsDim: env.observationSpace.shape[0], actDim: env.actionSpace.shape[0],
    actionLow: Array.from(env.actionSpace.low), actionHigh: Array.from(env.actionSpace.high),
    actorHidden: [16, 16], criticHidden: [16, 16], batchSize: 32, learningStarts: 100, bufferSize: 2000, seed: 1,
  });
  const episodes: EpisodeLog[] = [];
  const trainer = new Trainer(agent, env);
  trainer.run(600, (e) => episodes.push(e));
  expect(trainer.step).toBe(600);
  expect(episodes.length).toBeGreaterThan(0);
  for (const e of episodes) {
    expect(e.return).toBe(e.length - 1); // reward 1 per step, 0 on the terminating one (600 steps: no truncation)
  }
  const after = episodes.filter((e) => e.step > 100);
  expect(after.some((e) => e.criticLoss !== undefined && Number.isFinite(e.criticLoss))).toBe(true);
  env.close();
});
