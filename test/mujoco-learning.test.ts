// TD3 learns a MuJoCo task in npm test's budget: InvertedPendulum-v5 with a small, fast config (64/64 nets,
// lr 3e-3, batch 32, τ 0.02, 500 random steps) reaches the maximum return 1000 in 12k steps (about 3 s) —
// the presets' larger TD3-paper settings need ~30k (README results).
import { beforeAll, describe, expect, it } from 'vitest';
import { createEnv, loadEngine, type Engine } from '../src/index.js';
import { TD3 } from '../src/rl/td3.js';
import { evaluate, Trainer } from '../src/rl/trainer.js';

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

describe('learning a MuJoCo task', () => {
  it('TD3 solves InvertedPendulum-v5 (eval 1000 ≥ Gymnasium\'s 950 threshold) in 12k steps', async () => {
    const env = await createEnv('InvertedPendulum-v5');
    const agent = new TD3(engine, {
      obsDim: 4, actDim: 1, actionLow: [-3], actionHigh: [3], actorHidden: [64, 64], criticHidden: [64, 64],
      actorLr: 3e-3, criticLr: 3e-3, batchSize: 32, bufferSize: 20_000, learningStarts: 500, tau: 0.02, seed: 2,
    });
    const trainer = new Trainer(agent, env, 2);
    trainer.run(3000);
    const early = evaluate(agent, await createEnv('InvertedPendulum-v5'), 5, 100_000).mean;
    trainer.run(12_000);
    const ev = evaluate(agent, await createEnv('InvertedPendulum-v5'), 10, 100_000);
    expect(early).toBeLessThan(500); // it had to learn it
    expect(ev.mean).toBeGreaterThanOrEqual(950);
    expect(ev.returns.every((r) => r === 1000)).toBe(true);
  });
});
