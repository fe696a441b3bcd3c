// Hostile API input: every public entry point is called with every value of a hostile set in each argument
// position (null, NaN, ±Infinity, negative, fractional, strings that look like numbers, booleans, arrays,
// objects, functions, empty and wrong-length arrays). Each call must either be refused with the library's
// typed error (DdpgInputError; CheckpointError for checkpoint bytes and content) whose message names what
// was wrong, or — only where the value is a legitimate input, listed per position — succeed. Never a
// TypeError, a RangeError, a silent coercion, or a hang.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointError, createEnv, DDPG, DdpgInputError, decodeCheckpoint, encodeCheckpoint, encodePolicy, evaluate, GaussianNoise,
  loadEngine, loadPolicy, makeEnv, OrnsteinUhlenbeckNoise, ReplayBuffer, Rng, TD3, Trainer, type Engine,
} from '../../src/index.js';
import { agentFromCheckpoint, agentToCheckpoint } from '../../src/rl/agent-state.js';

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

const HOSTILE: [string, unknown][] = [
  ['null', null], ['undefined', undefined], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity], ['-1', -1], ['0', 0],
  ['1.5', 1.5], ['2^53', 2 ** 53], ["'3'", '3'], ['true', true], ['[]', []], ['[NaN]', [NaN]], ['{}', {}], ['() => 0', () => 0],
  ['Float32Array(0)', new Float32Array(0)], ['[1, 2, 3, 4, 5, 6, 7]', [1, 2, 3, 4, 5, 6, 7]], ["{ length: 3 }", { length: 3 }],
];

interface Entry {
  name: string;
  /** Calls the entry point with `v` in the position under test. */
  call(v: unknown): unknown;
  /** Hostile values that are legitimate here (by their label). */
  legal?: string[];
  typed?: 'checkpoint' | 'input' | 'either';
}

const config = { obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2], actorHidden: [4], criticHidden: [4], batchSize: 4, bufferSize: 50, learningStarts: 0, seed: 1 };
const obs = [0.1, 0.2, 0.3];

function entries(): Entry[] {
  const agent = new TD3(engine, { ...config, obsNormalization: true });
  for (let i = 0; i < 8; i++) agent.observe(obs, [0.5], 1, obs, false);
  const net = engine.mlp({ sizes: [3, 4, 1], maxBatch: 2 });
  const other = engine.mlp({ sizes: [3, 4, 1] });
  const adam = engine.adam(net, { lr: 1e-3 });
  const env = makeEnv('Pendulum-v1');
  env.reset();
  const replay = new ReplayBuffer({ capacity: 10, obsDim: 3, actDim: 1, seed: 1 });
  const trainer = new Trainer(agent, makeEnv('Pendulum-v1'));
  const bytes = encodeCheckpoint(agentToCheckpoint(agent));
  return [
    { name: 'agent.act(obs)', call: (v) => agent.act(v as never) },
    { name: 'agent.act(obs, opts)', call: (v) => agent.act(obs, v as never), legal: ['undefined', '{}'] },
    { name: 'agent.observe(obs, …)', call: (v) => agent.observe(v as never, [0], 0, obs, false) },
    { name: 'agent.observe(…, action, …)', call: (v) => agent.observe(obs, v as never, 0, obs, false) },
    { name: 'agent.observe(…, reward, …)', call: (v) => agent.observe(obs, [0], v as never, obs, false), legal: ['-1', '0', '1.5', '2^53'] },
    { name: 'agent.observe(…, nextObs, …)', call: (v) => agent.observe(obs, [0], 0, v as never, false) },
    { name: 'agent.observe(…, terminated)', call: (v) => agent.observe(obs, [0], 0, obs, v as never), legal: ['true'] },
    { name: 'agent.update(batch)', call: (v) => agent.update(v as never), legal: ['undefined'] },
    { name: 'agent.startEpisode(obs)', call: (v) => agent.startEpisode(v as never) },
    { name: 'agent.qValues(obs, a, rows)', call: (v) => agent.qValues(obs, [0], v as never), legal: [] },
    { name: 'new DDPG(engine, …)', call: (v) => new DDPG(v as never, config) },
    { name: 'engine.mlp(opts)', call: (v) => engine.mlp(v as never) },
    { name: 'engine.adam(net, opts)', call: (v) => engine.adam(net, v as never) },
    { name: 'engine.adam(net)', call: (v) => engine.adam(v as never, { lr: 1e-3 }) },
    { name: 'engine.polyak(target, …)', call: (v) => engine.polyak(v as never, other, 0.1) },
    { name: 'engine.polyak(…, tau)', call: (v) => engine.polyak(net, other, v as never), legal: ['1.5'].filter(() => false) },
    { name: 'engine.mseLoss(pred, …)', call: (v) => engine.mseLoss(v as never, [1, 2, 3]), legal: ['[1, 2, 3, 4, 5, 6, 7]'].filter(() => false) },
    { name: 'net.forward(x, batch)', call: (v) => net.forward(v as never, 1) },
    { name: 'net.forward(…, batch)', call: (v) => net.forward([1, 2, 3], v as never) },
    { name: 'net.backward(dy, opts)', call: (v) => { net.forward([1, 2, 3], 1); return net.backward([1], v as never); }, legal: ['undefined', '{}'] },
    { name: 'net.setParams(p)', call: (v) => net.setParams(v as never) },
    { name: 'adam.setState(state)', call: (v) => adam.setState(v as never) },
    { name: 'env.step(action)', call: (v) => { env.reset(); return env.step(v as never); } },
    { name: 'env.setState(state)', call: (v) => env.setState(v as never) },
    { name: 'env.restore(snapshot)', call: (v) => env.restore(v as never) },
    { name: 'env.reset({ seed })', call: (v) => env.reset({ seed: v as never }), legal: ['undefined', '-1', '0'] },
    { name: 'makeEnv(id)', call: (v) => makeEnv(v as never) },
    { name: 'makeEnv(id, { seed })', call: (v) => makeEnv('Pendulum-v1', { seed: v as never }), legal: ['undefined', '-1', '0'] },
    { name: 'new Trainer(agent, env)', call: (v) => new Trainer(v as never, makeEnv('Pendulum-v1')) },
    { name: 'trainer.run(totalSteps)', call: (v) => trainer.run(v as never), legal: ['0'] },
    { name: 'evaluate(…, episodes, …)', call: (v) => evaluate(agent, makeEnv('Pendulum-v1'), v as never, 0) },
    { name: 'evaluate(…, seed)', call: (v) => evaluate({ act: () => Float32Array.of(0) }, makeEnv('Pendulum-v1'), 1, v as never), legal: ['-1', '0'] },
    { name: 'new ReplayBuffer(opts)', call: (v) => new ReplayBuffer(v as never) },
    { name: 'replay.sample(batchSize)', call: (v) => replay.sample(v as never) },
    { name: 'new GaussianNoise(opts)', call: (v) => new GaussianNoise(v as never) },
    { name: 'new OrnsteinUhlenbeckNoise(opts)', call: (v) => new OrnsteinUhlenbeckNoise(v as never) },
    { name: 'new Rng(seed)', call: (v) => new Rng(v as never), legal: ['-1', '0', '1.5', '2^53', "'3'"] },
    { name: 'rng.setState(state)', call: (v) => new Rng(1).setState(v as never) },
    { name: 'encodeCheckpoint(content)', call: (v) => encodeCheckpoint(v as never), typed: 'either' },
    { name: 'decodeCheckpoint(bytes)', call: (v) => decodeCheckpoint(v as never), typed: 'checkpoint' },
    { name: 'agentFromCheckpoint(engine, content)', call: (v) => agentFromCheckpoint(engine, v as never, 'x.ddpg'), typed: 'checkpoint' },
    { name: 'encodePolicy(agent)', call: (v) => encodePolicy(v as never) },
    { name: 'encodePolicy(agent, meta)', call: (v) => encodePolicy(agent, v as never), legal: ['undefined', '{}', '{ length: 3 }'] },
    { name: 'decodeCheckpoint(valid bytes, source)', call: (v) => decodeCheckpoint(bytes, v as never), legal: HOSTILE.map(([l]) => l), typed: 'checkpoint' },
  ];
}

describe('hostile values at every public entry point', () => {
  it('are refused with a typed error naming what was wrong, or are legitimate inputs', async () => {
    let tried = 0, refused = 0;
    const unexpected: string[] = [];
    for (const entry of entries()) {
      for (const [label, value] of HOSTILE) {
        tried++;
        const legal = entry.legal?.includes(label) ?? false;
        let error: unknown;
        try { entry.call(value); } catch (e) { error = e; }
        const typed = entry.typed === 'checkpoint' ? error instanceof CheckpointError
          : entry.typed === 'either' ? error instanceof CheckpointError || error instanceof DdpgInputError
          : error instanceof DdpgInputError;
        if (error !== undefined) refused++;
        if (legal) { if (error !== undefined && !typed) unexpected.push(`${entry.name} with ${label}: ${String(error)}`); continue; }
        if (!typed) unexpected.push(`${entry.name} with ${label}: ${error === undefined ? 'accepted' : `${(error as Error).name}: ${(error as Error).message}`}`);
        else expect((error as Error).message.length, `${entry.name} with ${label}`).toBeGreaterThan(10);
      }
    }
    for (const [label, value] of HOSTILE) { // async entry points
      tried++;
      const error = await loadPolicy(value as never, engine).then(() => undefined, (e: unknown) => e);
      if (!(error instanceof CheckpointError)) unexpected.push(`loadPolicy with ${label}: ${String(error)}`); else refused++;
      if (label === 'undefined') continue;
      tried++;
      const e2 = await createEnv(value as never).then(() => undefined, (e: unknown) => e);
      if (!(e2 instanceof DdpgInputError)) unexpected.push(`createEnv with ${label}: ${String(e2)}`); else refused++;
    }
    console.log(`hostile API calls tried: ${tried}, refused with a typed error: ${refused}`);
    expect(unexpected).toEqual([]);
    expect(tried).toBeGreaterThan(800);
  });
});
