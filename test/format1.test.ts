// Files written by ddpg-wasm 0.1.0 (checkpoint format 1, test/fixtures/format1/) still work, and DDPG did
// not change: eval, export, loadPolicy and --resume on those files give what 0.1.0 computed from them, bit
// for bit, and the Pendulum preset with seed 1 trains to 0.1.0's exact weights and evaluation.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../src/checkpoint/file.js';
import { decodeCheckpoint } from '../src/checkpoint/format.js';
import { trainCommand } from '../src/cli/train.js';
import { loadEngine, loadPolicy, makeEnv, type Engine } from '../src/index.js';
import { agentFromCheckpoint } from '../src/rl/agent-state.js';
import { DDPG } from '../src/rl/ddpg.js';
import { DDPG_PRESETS } from '../src/rl/presets.js';
import { evaluate, Trainer } from '../src/rl/trainer.js';
import { metricsWithoutWall, runCli, tempDir } from './helpers/cli.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'format1');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));
const PENDULUM = join(FIXTURES, 'pendulum-ou-step777.ddpg');
const CAR = join(FIXTURES, 'mountaincar-layer1-step1300.ddpg');

/** Format-1 array names → the format-2 names the same arrays have now. */
const V2_NAME: Record<string, string> = {
  actor: 'networks.actor', critic: 'networks.critic', actorTarget: 'networks.actorTarget', criticTarget: 'networks.criticTarget',
  'actorAdam.m': 'optimizers.actor.m', 'actorAdam.v': 'optimizers.actor.v', 'criticAdam.m': 'optimizers.critic.m', 'criticAdam.v': 'optimizers.critic.v',
};
const sha = (a: Float32Array) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');

/** Every array of a format-2 file against the SHA-256s 0.1.0 recorded under format-1 names. */
function expectSameArrays(file: string, hashes: Record<string, string>): void {
  const c = decodeCheckpoint(readFileSync(file), file);
  expect(c.formatVersion).toBe(2);
  const got = Object.fromEntries(Object.entries(c.arrays).map(([k, v]) => [k, sha(v)]));
  const want = Object.fromEntries(Object.entries(hashes).map(([k, v]) => [V2_NAME[k] ?? k, v]));
  expect(got).toEqual(want);
}

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

describe('format-1 files written by 0.1.0', () => {
  it('decode to format-2 content and build a DDPG agent', () => {
    for (const file of [PENDULUM, CAR]) {
      const content = loadCheckpoint(file);
      expect(content.formatVersion).toBe(1);
      expect(content.meta.algorithm).toBe('ddpg');
      const agent = agentFromCheckpoint(engine, content, file);
      expect(agent).toBeInstanceOf(DDPG);
      expect(Object.keys(agent.networks)).toEqual(['actor', 'critic', 'actorTarget', 'criticTarget']);
      expect(agent.config.policyDelay).toBe(1);
    }
    expect(agentFromCheckpoint(engine, loadCheckpoint(CAR), CAR).config.criticActionLayer).toBe(1);
  });

  it('--resume continues them exactly as 0.1.0 did: same weights, optimizer state, replay and metrics', async () => {
    for (const [file, steps, want] of [[PENDULUM, 1500, expected.A.full1500], [CAR, 2000, expected.B.full2000]] as const) {
      const dir = tempDir('format1');
      copyFileSync(file, join(dir, 'checkpoint.ddpg'));
      expect(await trainCommand(['--resume', dir, '--steps', String(steps), '--quiet'])).toBe(0);
      expectSameArrays(join(dir, 'checkpoint.ddpg'), want.sha256);
      expect(metricsWithoutWall(dir)).toEqual(want.metrics);
    }
  });

  it('a policy file and an agent checkpoint load with loadPolicy and act as 0.1.0 did', async () => {
    const { observations, actions, agentCheckpointActions } = expected.policy;
    const policy = await loadPolicy(readFileSync(join(FIXTURES, 'pendulum-policy.bin')), engine);
    const fromAgent = await loadPolicy(readFileSync(PENDULUM), engine);
    expect(policy.meta.algorithm).toBe('ddpg');
    observations.forEach((o: number[], i: number) => {
      expect(policy.act(o)[0]).toBe(actions[i]);
      expect(fromAgent.act(o)[0]).toBe(agentCheckpointActions[i]);
    });
  });

  it('eval and export work on them from the command line', async () => {
    const ev = runCli(['eval', '--checkpoint', PENDULUM, '--episodes', '3']);
    expect(ev.code).toBe(0);
    expect(ev.stdout.trim()).toBe('mean -1668.0 ± 9.0 over 3 episodes'); // what 0.1.0 printed
    const out = join(tempDir('export1'), 'policy.bin');
    const ex = runCli(['export', '--checkpoint', PENDULUM, '--out', out]);
    expect(ex.code).toBe(0);
    const policy = await loadPolicy(readFileSync(out), engine);
    expect(policy.meta).toMatchObject({ algorithm: 'ddpg', env: 'Pendulum-v1', steps: 777 });
    expected.policy.observations.forEach((o: number[], i: number) => expect(policy.act(o)[0]).toBe(expected.policy.agentCheckpointActions[i]));
  });
});

describe('DDPG did not change', () => {
  it('the Pendulum-v1 preset with seed 1 (npm run train) gives 0.1.0\'s final weights and evaluation, bit for bit', () => {
    const env = makeEnv('Pendulum-v1');
    const agent = new DDPG(engine, {
      obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2], ...DDPG_PRESETS['Pendulum-v1'].config, seed: 1,
    });
    new Trainer(agent, env, 1).run(DDPG_PRESETS['Pendulum-v1'].steps);
    const want = expected.pendulumPresetSeed1;
    for (const [name, net] of Object.entries(agent.networks)) expect(sha(net.getParams()), name).toBe(want.sha256[name]);
    for (const [name, opt] of Object.entries(agent.optimizers)) {
      const s = opt.getState();
      expect([sha(s.m), sha(s.v)], name).toEqual([want.sha256[`${name}Adam.m`], want.sha256[`${name}Adam.v`]]);
    }
    const ev = evaluate(agent, makeEnv('Pendulum-v1'), 10, 100_000);
    expect(ev.returns).toEqual(want.eval);
    expect(`mean ${ev.mean.toFixed(1)} ± ${ev.std.toFixed(1)}`).toBe('mean -123.0 ± 61.0');
  });
});
