// The standalone policy runtime: an exported policy acts bit-identically to the agent's deterministic act(),
// agent checkpoints load as policies too, and bad bytes fail with a CheckpointError that names the problem.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { agentToCheckpoint, CheckpointError, DdpgInputError, DDPG, encodeCheckpoint, encodePolicy, loadEngine, loadPolicy,
  decodeCheckpoint, type Engine } from '../src/index.js';
import { makeEnv } from '../src/envs/index.js';
import { Trainer } from '../src/rl/trainer.js';

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

/** A Pendulum-shaped agent trained for a few hundred updates, so its actor is far from its initial weights. */
function trainedAgent(extra: Record<string, unknown> = {}): DDPG {
  const agent = new DDPG(engine, {
    obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2], actorHidden: [32, 32], criticHidden: [32, 32],
    batchSize: 32, bufferSize: 2000, learningStarts: 100, seed: 3, actorLr: 3e-3, criticLr: 3e-3, ...extra,
  });
  new Trainer(agent, makeEnv('Pendulum-v1')).run(400);
  return agent;
}

function randomObs(n: number, dim: number, seed: string): Float32Array[] {
  const rng = seedrandom(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, () => (2 * rng() - 1) * 8));
}

function expectSameActions(act: (o: Float32Array) => Float32Array, policyAct: (o: Float32Array) => Float32Array, obs: Float32Array[]): void {
  let mismatches = 0;
  for (const o of obs) {
    const a = act(o).slice();
    const b = policyAct(o).slice();
    // Bit-identical: compare the raw float32 bits, not within a tolerance.
    if (!new Uint32Array(a.buffer).every((bits, i) => bits === new Uint32Array(b.buffer)[i])) mismatches++;
  }
  expect(mismatches).toBe(0);
}

describe('policy runtime', () => {
  it('an exported policy gives bit-identical actions to the agent on 1000 random observations', async () => {
    const agent = trainedAgent();
    const bytes = encodePolicy(agent, { env: 'Pendulum-v1' });
    const policy = await loadPolicy(bytes, engine);
    expect(policy.obsDim).toBe(3);
    expect(policy.actDim).toBe(1);
    expect(policy.meta.env).toBe('Pendulum-v1');
    const obs = randomObs(1000, 3, 'policy-obs');
    expectSameActions((o) => agent.act(o, { explore: false }), (o) => policy.act(o), obs);
    // The actions are not trivially constant.
    const actions = new Set(obs.slice(0, 50).map((o) => policy.act(o)[0]));
    expect(actions.size).toBeGreaterThan(40);
  });

  it('matches with an asymmetric multi-dimensional box, tanh hidden layers and its own engine', async () => {
    const agent = new DDPG(engine, {
      obsDim: 5, actDim: 3, actionLow: [-2, -0.5, 0], actionHigh: [2, 1.5, 10], actorHidden: [16, 8, 4],
      criticHidden: [8], batchSize: 4, bufferSize: 10, seed: 11, finalInitScale: 0.5,
    });
    // encodePolicy reads the activations from the actor itself, so a tanh-hidden actor round-trips too.
    const tanhActor = engine.mlp({ sizes: [5, 16, 8, 4, 3], hidden: 'tanh', output: 'tanh', seed: 5, finalInitScale: 0.5 });
    const fake = { actor: tanhActor, config: agent.config };
    const p1 = await loadPolicy(encodePolicy(agent)); // default engine (own instance)
    const p2 = await loadPolicy(encodePolicy(fake).slice().buffer, engine); // an ArrayBuffer works too
    expect(p2.spec.hidden).toBe('tanh');
    const obs = randomObs(1000, 5, 'box-obs');
    expectSameActions((o) => agent.act(o), (o) => p1.act(o), obs);
    const u = (o: Float32Array) => {
      const y = tanhActor.forward(o, 1);
      const a = new Float32Array(3);
      const lo = [-2, -0.5, 0], hi = [2, 1.5, 10];
      for (let i = 0; i < 3; i++) a[i] = Math.fround((hi[i] - lo[i]) / 2) * y[i] + Math.fround((hi[i] + lo[i]) / 2);
      return a;
    };
    expectSameActions(u, (o) => p2.act(o), obs);
    for (const o of obs.slice(0, 100)) {
      const a = p1.act(o);
      for (let i = 0; i < 3; i++) { expect(a[i]).toBeGreaterThanOrEqual([-2, -0.5, 0][i]); expect(a[i]).toBeLessThanOrEqual([2, 1.5, 10][i]); }
    }
  });

  it('loads the actor of a full training checkpoint (kind agent) with the same actions', async () => {
    const agent = trainedAgent({ seed: 4 });
    const ckpt = encodeCheckpoint(agentToCheckpoint(agent, { meta: { run: { env: 'Pendulum-v1' } } }));
    const policy = await loadPolicy(ckpt, engine);
    expect(policy.meta.env).toBe('Pendulum-v1');
    expectSameActions((o) => agent.act(o, { explore: false }), (o) => policy.act(o), randomObs(1000, 3, 'ckpt-obs'));
    expect(encodePolicy(agent).length).toBeLessThan(ckpt.length / 3); // actor only: much smaller
  });

  it('reuses its output array and checks the observation', async () => {
    const policy = await loadPolicy(encodePolicy(trainedAgent()), engine);
    const a = policy.act([1, 0, 0]);
    expect(policy.act([0, 1, 0])).toBe(a);
    expect(() => policy.act([1, 0])).toThrow(DdpgInputError);
    expect(() => policy.act([1, 0])).toThrow(/policy act obs has length 2, expected 3/);
    expect(() => policy.act([1, NaN, 0])).toThrow(/contains NaN at index 1/);
  });
});

describe('engine sources for loadPolicy', () => {
  it('loads the engine from an http URL (instantiateStreaming), a file path, bytes and a compiled Module', async () => {
    const wasm = readFileSync('build/engine.wasm');
    const server = createServer((req, res) => {
      if (req.url !== '/engine.wasm') { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'content-type': 'application/wasm' }).end(wasm);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as { port: number };
      const agent = trainedAgent();
      const bytes = encodePolicy(agent);
      const sources = [new URL(`http://127.0.0.1:${port}/engine.wasm`), 'build/engine.wasm', wasm, new WebAssembly.Module(wasm)];
      const obs = randomObs(100, 3, 'sources');
      for (const source of sources) {
        const policy = await loadPolicy(bytes, source);
        expectSameActions((o) => agent.act(o), (o) => policy.act(o), obs);
      }
      await expect(loadPolicy(bytes, new URL(`http://127.0.0.1:${port}/missing.wasm`))).rejects.toThrow(/HTTP 404/);
    } finally {
      server.close();
    }
  });
});

describe('policy files that are wrong', () => {
  let good: Uint8Array;
  beforeAll(() => { good = encodePolicy(trainedAgent()); });

  const rejects = async (bytes: Uint8Array, message: RegExp) => {
    const err = await loadPolicy(bytes, engine, 'policy.bin').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toMatch(/^checkpoint policy\.bin: /);
    expect((err as Error).message).toMatch(message);
  };
  const withMeta = (patch: Record<string, unknown>, arrays?: Record<string, Float32Array>) => {
    const c = decodeCheckpoint(good);
    return encodeCheckpoint({ kind: c.kind, meta: { ...c.meta, ...patch }, arrays: arrays ?? c.arrays });
  };

  it('garbage, truncated and corrupted bytes', async () => {
    await rejects(new Uint8Array(0), /truncated/);
    await rejects(new TextEncoder().encode('not a policy file at all, just text'), /wrong magic/);
    await rejects(good.subarray(0, good.length - 8), /truncated/);
    const flipped = good.slice();
    flipped[flipped.length - 5] ^= 0x40;
    await rejects(flipped, /payload checksum mismatch/);
    const header = good.slice();
    header[30] ^= 0x01;
    await rejects(header, /header checksum mismatch/);
  });

  it('wrong kind, missing or mis-sized actor, bad sizes, activations and action box', async () => {
    await rejects(encodeCheckpoint({ kind: 'replay', meta: {}, arrays: {} }), /holds a 'replay', expected a 'policy' or an 'agent'/);
    await rejects(withMeta({}, {}), /array 'actor' is missing/);
    await rejects(withMeta({}, { actor: new Float32Array(10) }), /array 'actor' has 10 values, sizes \[3,32,32,1\] need 1217/);
    await rejects(withMeta({ sizes: [3, 0, 1] }), /policy sizes must be/);
    await rejects(withMeta({ sizes: 'big' }), /policy sizes must be/);
    await rejects(withMeta({ hidden: 'gelu' }), /hidden activation must be 'relu' or 'tanh', got "gelu"/);
    await rejects(withMeta({ output: 'relu' }), /output activation must be 'identity' or 'tanh'/);
    await rejects(withMeta({ actionLow: [-2, -2] }), /actionLow must be 1 finite numbers/);
    await rejects(withMeta({ actionHigh: [-3] }), /low -2 ≥ high -3 in dimension 0/);
    const c = decodeCheckpoint(good);
    const nan = c.arrays.actor.slice();
    nan[7] = NaN;
    await rejects(withMeta({}, { actor: nan }), /array 'actor' holds NaN at index 7/);
    await rejects(encodeCheckpoint({ kind: 'agent', meta: {}, arrays: {} }), /agent checkpoint has no 'config'/);
  });
});
