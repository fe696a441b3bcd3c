// The ONNX export against an independent runtime: onnxruntime-web (its wasm backend, in Node) runs the exported
// model, and its actions must equal loadPolicy(bytes).act(obs) within 1e−5 per element — for DDPG and TD3
// actors trained on Pendulum, a 17→6 actor with an asymmetric box, tanh hidden layers with an identity output,
// and observation normalization with observations that hit the clip; one observation per run and batches of 64.
import { beforeAll, describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import * as ort from 'onnxruntime-web';
import onnxProto from 'onnx-proto';
import {
  agentToCheckpoint, CheckpointError, DdpgInputError, DDPG, TD3, decodeCheckpoint, encodeCheckpoint, encodePolicy, loadEngine, loadPolicy,
  toPolicyContent, type Agent, type Engine,
} from '../src/index.js';
import { makeEnv } from '../src/envs/index.js';
import { Trainer } from '../src/rl/trainer.js';
import type { CheckpointContent } from '../src/checkpoint/format.js';
import { ONNX_IR_VERSION, ONNX_OPSET, policyToOnnx } from '../src/export/onnx.js';

const { onnx } = onnxProto;
const TOLERANCE = 1e-5;
const OBS_COUNT = 1024; // per case, each one alone (batch 1, a session.run each) and in batches of 64
const ALLOWED_OPS = new Set(['Gemm', 'Relu', 'Tanh', 'Mul', 'Add', 'Sub', 'Div', 'Clip']);
const VERSION = '0.0.0-test';

let engine: Engine;
beforeAll(async () => {
  ort.env.wasm.numThreads = 1; // no worker threads; the .wasm is read from onnxruntime-web's dist/ beside the script
  engine = await loadEngine();
});

/** A Pendulum agent trained for 400 steps (300 updates), so its actor is far from its initial weights. */
function trainedPendulum<A extends Agent>(make: (cfg: ConstructorParameters<typeof DDPG>[1]) => A, extra: Record<string, unknown> = {}): A {
  const agent = make({
    obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2], actorHidden: [64, 64], criticHidden: [64, 64],
    batchSize: 32, bufferSize: 2000, learningStarts: 100, seed: 7, actorLr: 3e-3, criticLr: 3e-3, ...extra,
  });
  new Trainer(agent, makeEnv('Pendulum-v1')).run(400);
  return agent;
}

/** Adds N(0, σ²)-ish seeded noise to every actor parameter (untrained agents sit at their init otherwise). */
function perturb(agent: { actor: { getParams(): Float32Array; setParams(p: ArrayLike<number>): void } }, seed: string, sigma: number): void {
  const rng = seedrandom(seed);
  const p = agent.actor.getParams();
  for (let i = 0; i < p.length; i++) p[i] += sigma * (rng() + rng() + rng() - 1.5) * 2;
  agent.actor.setParams(p);
}

/** OBS_COUNT observations of width dim, each entry center[i] + spread[i]·U(−1, 1) (seeded). */
function observations(dim: number, seed: string, spread: ArrayLike<number> | number, center: ArrayLike<number> = new Float32Array(dim)): Float32Array[] {
  const rng = seedrandom(seed);
  const s = (i: number) => (typeof spread === 'number' ? spread : spread[i]);
  return Array.from({ length: OBS_COUNT }, () => Float32Array.from({ length: dim }, (_, i) => center[i] + s(i) * (2 * rng() - 1)));
}

interface Comparison { maxSingle: number; maxBatch: number; expected: Float32Array[] }

/** Runs the ONNX model on obs, one by one and in batches of 64, and returns the max |onnx − loadPolicy| of each. */
async function compare(policyBytes: Uint8Array, model: Uint8Array, obs: Float32Array[]): Promise<Comparison> {
  const policy = await loadPolicy(policyBytes, engine);
  const { obsDim, actDim } = policy;
  const expected = obs.map((o) => policy.act(o).slice());
  const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
  try {
    const run = async (rows: Float32Array[]) => {
      const x = new Float32Array(rows.length * obsDim);
      rows.forEach((o, r) => x.set(o, r * obsDim));
      const out = (await session.run({ obs: new ort.Tensor('float32', x, [rows.length, obsDim]) })).action;
      expect(out.dims).toEqual([rows.length, actDim]);
      return out.data as Float32Array;
    };
    const diff = (got: Float32Array, from: number) => {
      let max = 0;
      for (let k = 0; k < got.length; k++) {
        const want = expected[from + Math.floor(k / actDim)][k % actDim];
        const d = Math.abs(got[k] - want);
        max = Number.isNaN(d) ? Infinity : Math.max(max, d);
      }
      return max;
    };
    let maxSingle = 0, maxBatch = 0;
    for (let r = 0; r < obs.length; r++) maxSingle = Math.max(maxSingle, diff(await run([obs[r]]), r));
    for (let r = 0; r < obs.length; r += 64) maxBatch = Math.max(maxBatch, diff(await run(obs.slice(r, r + 64)), r));
    return { maxSingle, maxBatch, expected };
  } finally {
    await session.release();
  }
}

/** Asserts the agreement, and that the actions vary and are mostly not saturated at the box's edges (where a
 *  tanh output hides differences), so agreement means something. */
function expectAgreement(name: string, c: Comparison, low: number[], high: number[]): void {
  let inside = 0;
  for (const e of c.expected) e.forEach((a, i) => { if (Math.abs(a - (high[i] + low[i]) / 2) < 0.99 * (high[i] - low[i]) / 2) inside++; });
  const insideShare = inside / (c.expected.length * low.length);
  console.log(`${name}: max |onnx − loadPolicy| batch 1 ${c.maxSingle.toExponential(2)}, batch 64 ${c.maxBatch.toExponential(2)}; `
    + `${(100 * insideShare).toFixed(0)}% of action entries inside 99% of the box`);
  expect(c.maxSingle).toBeLessThanOrEqual(TOLERANCE);
  expect(c.maxBatch).toBeLessThanOrEqual(TOLERANCE);
  expect(insideShare, `${name}: share of unsaturated actions`).toBeGreaterThan(0.3);
  for (let i = 0; i < low.length; i++) {
    const a = c.expected.map((e) => e[i]);
    const spread = Math.max(...a) - Math.min(...a);
    expect(spread, `${name}: action ${i} varies over the observations`).toBeGreaterThan(0.2 * (high[i] - low[i]));
  }
}

function decodeModel(bytes: Uint8Array) {
  return onnx.ModelProto.toObject(onnx.ModelProto.decode(bytes), { longs: Number, defaults: true }) as {
    irVersion: number; producerName: string; producerVersion: string; docString: string;
    opsetImport: { domain: string; version: number }[];
    metadataProps: { key: string; value: string }[];
    graph: {
      node: { opType: string; domain: string }[];
      initializer: { name: string; dims: number[] }[];
      input: ValueInfo[]; output: ValueInfo[];
    };
  };
}
type ValueInfo = { name: string; type: { tensorType: { elemType: number; shape: { dim: { dimParam?: string; dimValue?: number }[] } } } };

function expectShape(v: ValueInfo, name: string, width: number): void {
  expect(v.name).toBe(name);
  expect(v.type.tensorType.elemType).toBe(onnx.TensorProto.DataType.FLOAT);
  const [batch, w] = v.type.tensorType.shape.dim;
  expect(batch.dimParam).toBe('N');
  expect(w.dimValue).toBe(width);
}

describe('ONNX export (oracle: onnxruntime-web)', () => {
  it('a trained DDPG Pendulum policy: same actions, and the model says what it is', async () => {
    const agent = trainedPendulum((c) => new DDPG(engine, c));
    const bytes = encodePolicy(agent, { env: 'Pendulum-v1', steps: agent.steps });
    const model = policyToOnnx(decodeCheckpoint(bytes), { producerVersion: VERSION });
    expectAgreement('DDPG Pendulum 3→64→64→1', await compare(bytes, model, observations(3, 'ddpg-obs', [1, 1, 8])), [-2], [2]);

    const m = decodeModel(model);
    expect(m.producerName).toBe('ddpg-wasm');
    expect(m.producerVersion).toBe(VERSION);
    expect(m.irVersion).toBe(ONNX_IR_VERSION);
    expect(m.opsetImport).toEqual([{ domain: '', version: ONNX_OPSET }]);
    expect(ONNX_OPSET).toBeGreaterThanOrEqual(11); // Clip takes min/max as inputs
    const meta = Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));
    expect(meta).toMatchObject({ env: 'Pendulum-v1', algorithm: 'ddpg', steps: '400', obs_normalization: 'no', obs_dim: '3', act_dim: '1' });
    expect(m.docString).toMatch(/Pendulum-v1/);
    expectShape(m.graph.input[0], 'obs', 3);
    expectShape(m.graph.output[0], 'action', 1);
    expect(m.graph.input).toHaveLength(1);
    expect(m.graph.output).toHaveLength(1);
    for (const n of m.graph.node) {
      expect(ALLOWED_OPS.has(n.opType), n.opType).toBe(true);
      expect(n.domain).toBe('');
    }
    expect(m.graph.node.map((n) => n.opType)).toEqual(['Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm', 'Tanh', 'Mul', 'Add']);
    expect(m.graph.initializer.map((t) => [t.name, t.dims])).toEqual([
      ['actor.0.weight', [3, 64]], ['actor.0.bias', [64]], ['actor.1.weight', [64, 64]], ['actor.1.bias', [64]],
      ['actor.2.weight', [64, 1]], ['actor.2.bias', [1]], ['action.scale', [1]], ['action.bias', [1]],
    ]);
    // The oracle can fail: one weight moved by 0.05 is seen.
    const content = decodeCheckpoint(bytes);
    content.arrays.actor[5] += 0.05;
    const mutant = await compare(bytes, policyToOnnx(content, { producerVersion: VERSION }), observations(3, 'ddpg-obs', [1, 1, 8]).slice(0, 64));
    expect(mutant.maxBatch).toBeGreaterThan(100 * TOLERANCE);
  });

  it('a trained TD3 Pendulum policy, exported from its agent checkpoint (agent → policy content → ONNX)', async () => {
    const agent = trainedPendulum((c) => new TD3(engine, c));
    const checkpoint = decodeCheckpoint(encodeCheckpoint(agentToCheckpoint(agent, { meta: { run: { env: 'Pendulum-v1' } } })));
    const content = toPolicyContent(checkpoint, 'td3.ckpt');
    const model = policyToOnnx(content, { producerVersion: VERSION });
    expectAgreement('TD3 Pendulum 3→64→64→1 (checkpoint)', await compare(encodeCheckpoint(content), model, observations(3, 'td3-obs', [1, 1, 8])), [-2], [2]);
    const meta = Object.fromEntries(decodeModel(model).metadataProps.map((p) => [p.key, p.value]));
    expect(meta).toMatchObject({ env: 'Pendulum-v1', algorithm: 'td3', steps: '400', obs_normalization: 'no' });
    // Through encodePolicy the same actor gives the same weights and nodes (the metadata differs only in provenance).
    const direct = decodeModel(policyToOnnx(decodeCheckpoint(encodePolicy(agent)), { producerVersion: VERSION }));
    expect(direct.graph.node).toEqual(decodeModel(model).graph.node);
  });

  it('a 17→256→256→6 TD3 actor with an asymmetric box', async () => {
    const low = [-1, -0.4, 0, -3, 2, -10], high = [1, 0.4, 5, -1, 2.5, 30];
    const agent = new TD3(engine, { obsDim: 17, actDim: 6, actionLow: low, actionHigh: high, actorHidden: [256, 256], criticHidden: [8], seed: 5 });
    perturb(agent, 'td3-17-6', 0.06);
    const bytes = encodePolicy(agent, { env: 'HalfCheetah-v5' });
    const model = policyToOnnx(decodeCheckpoint(bytes), { producerVersion: VERSION });
    expectAgreement('TD3 17→256→256→6', await compare(bytes, model, observations(17, 'obs-17', 3)), low, high);
    // 4 bytes a parameter (packed float32) plus a small graph.
    const params = decodeCheckpoint(bytes).arrays.actor.length;
    console.log(`ONNX bytes, 17→256→256→6: ${model.length} (${params} parameters)`);
    expect(model.length).toBeGreaterThan(4 * params);
    expect(model.length).toBeLessThan(4 * params + 4096);
  });

  it('tanh hidden layers with an identity output, and a DDPG 17→6 actor', async () => {
    const low = [-2, -0.5, 0, 1, -4, -1], high = [2, 1.5, 10, 1.5, -2, 3];
    const tanhActor = engine.mlp({ sizes: [17, 48, 32, 6], hidden: 'tanh', output: 'identity', seed: 9, finalInitScale: 0.5 });
    const source = { actor: tanhActor, config: { actionLow: low, actionHigh: high } };
    perturb(source, 'tanh-actor', 0.1);
    const bytes = encodePolicy(source, { env: 'custom' });
    const model = policyToOnnx(decodeCheckpoint(bytes), { producerVersion: VERSION });
    expect(decodeModel(model).graph.node.map((n) => n.opType)).toEqual(['Gemm', 'Tanh', 'Gemm', 'Tanh', 'Gemm', 'Mul', 'Add']);
    expectAgreement('tanh hidden, identity output 17→48→32→6', await compare(bytes, model, observations(17, 'obs-tanh', 2)), low, high);

    const ddpg = new DDPG(engine, { obsDim: 17, actDim: 6, actionLow: low, actionHigh: high, actorHidden: [64, 64], criticHidden: [8], seed: 4 });
    perturb(ddpg, 'ddpg-17-6', 0.15);
    const dBytes = encodePolicy(ddpg);
    expectAgreement('DDPG 17→64→64→6', await compare(dBytes, policyToOnnx(decodeCheckpoint(dBytes), { producerVersion: VERSION }), observations(17, 'obs-d', 3)), low, high);
  });

  it('observation normalization (trained statistics, from the agent checkpoint), with observations that hit the clip', async () => {
    const agent = trainedPendulum((c) => new DDPG(engine, c), { obsNormalization: true, seed: 12 });
    const content = toPolicyContent(decodeCheckpoint(encodeCheckpoint(agentToCheckpoint(agent))), 'norm.ckpt');
    const norm = content.meta.obsNormalization as { mean: number[]; std: number[]; clip: number };
    expect(norm.clip).toBe(10);
    // mean ± 15·std per dimension: a third of the entries are clipped, on both sides.
    const obs = observations(3, 'norm-obs', norm.std.map((s) => 1.5 * norm.clip * s), norm.mean);
    let clipped = 0;
    for (const o of obs) o.forEach((v, i) => { if (Math.abs((v - norm.mean[i]) / norm.std[i]) > norm.clip) clipped++; });
    expect(clipped / (obs.length * 3)).toBeGreaterThan(0.2);
    expect(clipped / (obs.length * 3)).toBeLessThan(0.5);
    const model = policyToOnnx(content, { producerVersion: VERSION });
    expectAgreement('DDPG Pendulum, obs normalization', await compare(encodeCheckpoint(content), model, obs), [-2], [2]);
    const m = decodeModel(model);
    expect(m.graph.node.map((n) => n.opType).slice(0, 4)).toEqual(['Sub', 'Div', 'Clip', 'Gemm']);
    expect(Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]))).toMatchObject({ obs_normalization: 'yes', algorithm: 'ddpg' });
  });

  it('refuses content that is not a policy, naming the problem', () => {
    const agent = new DDPG(engine, { obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2], actorHidden: [4], criticHidden: [4], seed: 1 });
    const opts = { producerVersion: VERSION };
    const refused = (content: CheckpointContent, pattern: RegExp, type: new (...a: never[]) => Error = CheckpointError) => {
      expect(() => policyToOnnx(content, opts)).toThrow(type);
      expect(() => policyToOnnx(content, opts)).toThrow(pattern);
    };
    refused(agentToCheckpoint(agent), /holds a 'agent', expected a 'policy'.*toPolicyContent/);
    refused({ kind: 'replay', meta: {}, arrays: {} }, /holds a 'replay', expected a 'policy'/);
    const policy = decodeCheckpoint(encodePolicy(agent));
    refused({ ...policy, arrays: { actor: policy.arrays.actor.subarray(1) } }, /array 'actor' has \d+ values/);
    refused({ ...policy, meta: { ...policy.meta, hidden: 'gelu' } }, /hidden activation must be 'relu' or 'tanh'/);
    refused(null as unknown as CheckpointContent, /must be checkpoint content/, DdpgInputError);
    expect(() => policyToOnnx(policy, {} as { producerVersion: string })).toThrow(/producerVersion must be a non-empty string/);
    expect(() => policyToOnnx(policy, undefined as unknown as { producerVersion: string })).toThrow(DdpgInputError);
  });
});
