// Hostile training state: every place a non-finite value can enter — each network's weights (targets too),
// each Adam's first and second moments, the action — is corrupted with NaN, +Infinity and −Infinity, for
// DDPG and TD3. Training must stop at once with a DivergenceError naming the network, never continue on
// non-finite state; and the CLI's last checkpoint must load and act finitely after a run that diverges
// (huge learning rates: the failures surface inside an update or at acting time, never as an env error).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DivergenceError, loadEngine, loadPolicy, makeEnv, type Engine } from '../../src/index.js';
import { createAgent } from '../../src/rl/algorithms.js';
import type { Agent } from '../../src/rl/agent.js';
import { Trainer } from '../../src/rl/trainer.js';
import { runCli, tempDir } from '../helpers/cli.js';

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

const base = { obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2], actorHidden: [8], criticHidden: [8], batchSize: 8, bufferSize: 300, learningStarts: 20 };

function trained(algo: 'ddpg' | 'td3'): { agent: Agent; trainer: Trainer } {
  const agent = createAgent(engine, algo, { ...base, policyDelay: 1, seed: 3 });
  const trainer = new Trainer(agent, makeEnv('Pendulum-v1'));
  trainer.run(40);
  return { agent, trainer };
}

/** Runs up to 10 more steps; returns the error (or undefined) and how many updates ran before it. */
function continueAfter(agent: Agent, trainer: Trainer): { error: unknown; updates: number } {
  const before = agent.updates;
  try { trainer.run(trainer.step + 10); } catch (e) { return { error: e, updates: agent.updates - before }; }
  return { error: undefined, updates: agent.updates - before };
}

describe('every corruption of the training state stops training at once, naming where', () => {
  const counts = { tried: 0 };
  for (const algo of ['ddpg', 'td3'] as const) {
    it(`${algo}: weights of every network, and both moments of every optimizer`, () => {
      const names = Object.keys(trained(algo).agent.networks);
      for (const value of [NaN, Infinity, -Infinity]) {
        for (const name of names) {
          const { agent, trainer } = trained(algo);
          const p = agent.networks[name].paramsView();
          p[p.length >> 1] = value; // a hidden-layer weight
          const r = continueAfter(agent, trainer);
          counts.tried++;
          expect(r.error, `${name} = ${value}`).toBeInstanceOf(DivergenceError);
          expect(r.updates, `${name} = ${value}: stopped in the first update`).toBeLessThanOrEqual(1);
          // The network named is the corrupted one, or the first one that read it (a target feeds the TD target).
          expect((r.error as DivergenceError).network).toMatch(/^(actor|critic|critic1|critic2|actorTarget|criticTarget|critic1Target|critic2Target)$/);
          if (!name.endsWith('Target')) expect([name, ...(name === 'actor' ? ['actor'] : [])]).toContain((r.error as DivergenceError).network);
        }
        for (const name of Object.keys(trained(algo).agent.optimizers)) {
          for (const moment of ['m', 'v'] as const) {
            const { agent, trainer } = trained(algo);
            // Write the moment straight into engine memory: setState refuses non-finite values.
            const opt = agent.optimizers[name];
            const state = opt.getState();
            const mView = engine.runtime.view((opt as unknown as { mPtr: number }).mPtr, state.m.length);
            const vView = engine.runtime.view((opt as unknown as { vPtr: number }).vPtr, state.v.length);
            (moment === 'm' ? mView : vView)[3] = moment === 'v' && value === -Infinity ? Infinity : value;
            const weightsBefore = Array.from(agent.networks[name].getParams());
            const r = continueAfter(agent, trainer);
            counts.tried++;
            expect(r.error, `${name}.${moment} = ${value}`).toBeInstanceOf(DivergenceError);
            expect((r.error as DivergenceError).network).toBe(name);
            expect((r.error as Error).message).toMatch(/its Adam step made a parameter or a moment non-finite in update \d+/);
            expect(weightsBefore.every(Number.isFinite)).toBe(true); // the weights alone would not have shown it
          }
        }
      }
    });
  }
  it('counts', () => {
    console.log(`hostile training states tried: ${counts.tried} (every one stopped with DivergenceError)`);
    expect(counts.tried).toBeGreaterThanOrEqual(2 * 3 * (4 + 2 * 2) + 0);
  });
});

describe('acting on a diverged actor is a DivergenceError, not an env error about a NaN action', () => {
  it('an actor whose output is NaN', () => {
    const { agent, trainer } = trained('td3');
    agent.actor.paramsView().fill(NaN);
    let error: unknown;
    try { trainer.run(trainer.step + 1); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).toMatch(/training diverged in the actor network: the action μ\(s\)\[0\] is NaN when acting after update/);
  });

  it('exploration noise whose state is NaN (OU: θ·dt ≥ 2 is refused up front, this is the guard behind it)', () => {
    const agent = createAgent(engine, 'ddpg', { ...base, noise: 'ou', seed: 3 });
    const trainer = new Trainer(agent, makeEnv('Pendulum-v1'));
    trainer.run(30);
    ((agent as unknown as { noise: { x: Float64Array } }).noise).x[0] = NaN;
    let error: unknown;
    try { trainer.run(trainer.step + 1); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as DivergenceError).network).toBe('exploration noise');
    expect((error as Error).message).toMatch(/training diverged in the exploration noise: its sample \[0\] is NaN after update 11/);
    expect(() => createAgent(engine, 'ddpg', { ...base, noise: 'ou', ouTheta: 150, ouDt: 0.02 })).toThrow(/config\.ouTheta × config\.ouDt must be < 2 for the OU noise to stay bounded, got 150 × 0\.02/);
  });
});

describe('the CLI after a divergence', () => {
  for (const [flags, label] of [[['--actor-lr', '1e38'], 'a huge actor learning rate'], [['--critic-lr', '1e38', '--actor-lr', '1e38'], 'huge learning rates']] as const) {
    it(`${label}: exit 1 with DivergenceError; the last checkpoint loads, evaluates and acts finitely`, async () => {
      const dir = tempDir('diverge');
      const r = runCli(['train', '--steps', '3000', '--learning-starts', '500', '--actor-hidden', '8', '--critic-hidden', '8',
        '--batch-size', '16', ...flags, '--checkpoint-every', '400', '--quiet', '--out', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/training diverged in the \w+ network: .* \(env step \d+\)\. The last good checkpoint \(step \d+\) is intact/);
      expect(r.stderr).not.toMatch(/action\[0\] must be a finite number/);
      const ev = runCli(['eval', '--checkpoint', dir, '--episodes', '1']);
      expect(ev.code).toBe(0);
      expect(ev.stdout).toMatch(/^mean -?\d+\.\d ± /);
      const policy = await loadPolicy(readFileSync(join(dir, 'checkpoint.ddpg')), engine);
      for (const obs of [[1, 0, 0], [0, 1, 8], [-1, 0, -8]]) expect(Number.isFinite(policy.act(obs)[0])).toBe(true);
    });
  }
});
