// Bad input at every public entry gets a clear error saying what was given and what was expected;
// NaN during training stops it naming the network; memory is sized once and refused up front when too large.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DivergenceError, loadEngine, makeEnv, type Engine } from '../src/index.js';
import { DDPG } from '../src/rl/ddpg.js';
import { Mlp } from '../src/nn/mlp.js';
import { algorithm } from '../src/rl/algorithms.js';
import { planMemoryBytes } from '../src/rl/off-policy.js';
import { Trainer } from '../src/rl/trainer.js';
import { runCli, tempDir } from './helpers/cli.js';

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

const base = { obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2], actorHidden: [8], criticHidden: [8], batchSize: 4, bufferSize: 64, learningStarts: 0 };

describe('agent entry points', () => {
  it('act(): observation length and NaN', () => {
    const agent = new DDPG(engine, base);
    expect(() => agent.act([0.1, 0.2])).toThrow(/act obs has length 2, expected 3 \(obsDim 3\)/);
    expect(() => agent.act([0.1, Infinity, 0.3])).toThrow(/act obs contains Infinity at index 1/);
  });
  it('observe(): action length and NaN reward / observation', () => {
    const agent = new DDPG(engine, base);
    expect(() => agent.observe([0, 0, 0], [0, 1], 0, [0, 0, 0], false)).toThrow(/action has wrong length: expected 1, got 2/);
    expect(() => agent.observe([0, 0, 0], [0], NaN, [0, 0, 0], false)).toThrow(/reward/);
    expect(() => agent.observe([0, 0, 0], [0], 0, [0, NaN, 0], false)).toThrow(/nextObs\[1\] is not finite/);
  });
  it('update() before the buffer holds a batch', () => {
    const agent = new DDPG(engine, base);
    expect(() => agent.update()).toThrow(/not enough data: batchSize 4 > size 0/);
  });
  it('environments: unknown id lists the known ones; bad actions', () => {
    expect(() => makeEnv('Pendulum-v0')).toThrow(/Unknown environment id 'Pendulum-v0'. Known ids: Pendulum-v1, MountainCarContinuous-v0/);
    const env = makeEnv('Pendulum-v1');
    env.reset({ seed: 1 });
    expect(() => env.step([NaN])).toThrow(/action\[0\] must be a finite number, got NaN/);
  });
});

describe('divergence guard', () => {
  it('a NaN weight stops training at that update, naming the network', () => {
    const env = makeEnv('Pendulum-v1');
    const agent = new DDPG(engine, { ...base, learningStarts: 20 });
    const trainer = new Trainer(agent, env);
    trainer.run(50);
    agent.critic.paramsView()[5] = NaN; // corrupt one critic weight
    let error: unknown;
    try { trainer.run(100); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as DivergenceError).network).toBe('critic');
    expect((error as Error).message).toMatch(/training diverged in the critic network: Q\(s, a\) is NaN in update 32/);
    expect(trainer.step).toBe(51);
  });
});

describe('bounded memory', () => {
  it('the memory an agent reserves is exactly what its networks and optimizers allocate (sized next to the allocating code)', () => {
    const configs = [
      { algo: 'ddpg', extra: {} },
      { algo: 'ddpg', extra: { actorHidden: [7], criticHidden: [5, 9, 3], criticActionLayer: 2, batchSize: 1 } },
      { algo: 'td3', extra: { actorHidden: [33, 17], criticHidden: [21, 13], batchSize: 37 } },
      { algo: 'td3', extra: { actorHidden: [1], criticHidden: [1], criticActionLayer: 1, batchSize: 3 } },
    ] as const;
    for (const { algo, extra } of configs) {
      const entry = algorithm(algo);
      const config = entry.resolveConfig({ ...base, obsDim: 5, actDim: 3, actionLow: [-1, -2, 0], actionHigh: [1, 2, 3], ...extra } as never);
      const before = engine.runtime.usedBytes;
      entry.create(engine, config);
      expect(engine.runtime.usedBytes - before, `${algo} ${JSON.stringify(extra)}`).toBe(planMemoryBytes(config, entry.plan(config)));
    }
    for (const opts of [{ sizes: [3, 1] }, { sizes: [4, 9, 7, 2], maxBatch: 13 }, { sizes: [2, 5, 1], join: { layer: 1, size: 3 }, maxBatch: 1 }]) {
      const before = engine.runtime.usedBytes;
      engine.mlp(opts);
      expect(engine.runtime.usedBytes - before, JSON.stringify(opts)).toBe(Mlp.memoryBytes(opts));
    }
  });

  it('WASM memory is sized once from the config and does not grow while training', () => {
    const agent = new DDPG(engine, { ...base, actorHidden: [64, 64], criticHidden: [64, 64], batchSize: 64, bufferSize: 5000, learningStarts: 100 });
    const before = engine.runtime.memoryBytes;
    new Trainer(agent, makeEnv('Pendulum-v1')).run(1500);
    expect(engine.runtime.memoryBytes).toBe(before);
  });
  it('a config that cannot fit is refused up front with the size it needs', () => {
    expect(() => new DDPG(engine, { ...base, bufferSize: 1e9 })).toThrow(/a replay buffer of 1000000000 transitions needs 34332.3 MiB; the limit is 4096.0 MiB/);
    expect(() => new DDPG(engine, { ...base, actorHidden: [40000, 40000], batchSize: 4 })).toThrow(/needs \d+\.\d MiB of WASM memory .* MiB are available/);
  });
});

describe('command line', () => {
  it('unknown flags and bad values exit with code 2 and usage', () => {
    const unknown = runCli(['train', '--learning-rate', '3']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--learning-rate'/);
    expect(unknown.stderr).toMatch(/Usage: ddpg-wasm train/);
    const badEnv = runCli(['train', '--env', 'CartPole-v1']);
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toMatch(/unknown --env 'CartPole-v1'; known: Pendulum-v1, MountainCarContinuous-v0/);
    const badNumber = runCli(['train', '--tau', 'abc']);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toMatch(/--tau expects a number, got 'abc'/);
    const badValue = runCli(['train', '--gamma', '1.5', '--out', tempDir('g')]);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toMatch(/--gamma must be in \[0, 1\], got 1.5/);
    expect(runCli(['fly']).code).toBe(2);
  });
  it('eval of a corrupt checkpoint names the file and the problem', () => {
    const dir = tempDir('corrupt');
    writeFileSync(join(dir, 'checkpoint.ddpg'), 'not a checkpoint at all');
    const r = runCli(['eval', '--checkpoint', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/checkpoint .*checkpoint.ddpg: wrong magic "not a ch", expected "DDPGWASM"/);
  });
});
