// The engine without SIMD (build/engine-scalar.wasm, ASC_FEATURE_SIMD false in assembly/) performs the same
// float32 operations in the same order as the SIMD build, so the two give the same bits: kernel by kernel on
// every GEMM path, for whole MLP passes, and for DDPG and TD3 trained side by side. And loadEngine() /
// loadPolicy() pick the build without SIMD where WebAssembly.validate says the host lacks SIMD.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAgent, DdpgInputError, encodePolicy, hostHasSimd, loadEngine, loadPolicy, type Agent, type Engine } from '../src/index.js';
import type { KernelExports } from '../src/engine/abi.js';
import { makeEnv } from '../src/envs/index.js';
import { Trainer } from '../src/rl/trainer.js';
import { ENGINE_BUILDS, loadKernels } from './helpers/kernels.js';
import { randomArray } from './helpers/ref64.js';
import { bitDiffs } from './helpers/bits.js';

/** n seeded values in [−scale, scale]. */
const rand = (n: number, scale: number, seed: number) => randomArray(n, `builds-${seed}`, -scale, scale);

type Kernels = { engine: Engine; wasm: KernelExports };
let simd: Kernels, scalar: Kernels;
beforeAll(async () => {
  simd = await loadKernels(ENGINE_BUILDS[0]);
  scalar = await loadKernels(ENGINE_BUILDS[1]);
});
afterEach(() => { vi.restoreAllMocks(); });

/** Runs `call` in both builds on the same inputs (copied to the same offsets) and returns both memories' `out`. */
function both(inputs: Float32Array[], outLength: number, call: (w: KernelExports, ptrs: number[], out: number) => void): [Float32Array, Float32Array] {
  return [simd, scalar].map(({ engine, wasm }) => {
    const rt = engine.runtime;
    const ptrs = inputs.map((a) => { const p = rt.alloc(a.length); rt.f32.set(a, p >>> 2); return p; });
    const out = rt.alloc(outLength);
    rt.f32.set(rand(outLength, 1, 99), out >>> 2); // the same prior contents, for accumulate
    call(wasm, ptrs, out);
    return rt.view(out, outLength).slice();
  }) as [Float32Array, Float32Array];
}

// [m, n, k]: 4×8 / 4×4 blocks, dot-product tails (vectorised when n = 1), the one-row path (batch 1), the
// packed dW path with chunks of 512 over the batch, and sizes around every vector width.
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 1, 7], [1, 1, 8], [1, 1, 13], [5, 1, 300], [3, 5, 7], [4, 8, 4], [13, 17, 9], [1, 256, 3],
  [1, 97, 1], [2, 517, 6], [6, 9, 1030], [5, 16, 600], [4, 1, 700], [33, 20, 31], [64, 64, 64], [601, 12, 5], [1030, 9, 8], [9, 1, 33], [7, 3, 1],
];

describe('the two builds give the same bits', () => {
  it('reports which build it is', async () => {
    expect(simd.engine.simd).toBe(true);
    expect(scalar.engine.simd).toBe(false);
    expect((await loadEngine({ simd: false })).simd).toBe(false);
    expect((await loadEngine({ simd: true })).simd).toBe(true);
  });

  for (const [m, n, k] of SHAPES) {
    it(`gemm forms, bias + relu, derivative epilogues and colsum at m=${m} n=${n} k=${k}`, () => {
      const A = rand(m * k, 2, m + n), B = rand(k * n, 3, k), bias = rand(n, 4, n), H = rand(m * n, 5, 7);
      for (const accumulate of [0, 1]) {
        // Y = X·W; dW = Xᵀ·dZ (A read down its columns, the packed path when the row stride is 128·j); dX = dZ·Wᵀ.
        const [f0, f1] = both([A, B], m * n, (w, [a, b], c) => w.gemm(m, n, k, a, k, 1, b, n, c, n, accumulate));
        expect(bitDiffs(f0, f1)).toEqual([]);
        const At = rand(k * m, 6, m), lda = 128 * Math.ceil(m / 128);
        const Apad = new Float32Array(k * lda); for (let p = 0; p < k; p++) Apad.set(At.subarray(p * m, p * m + m), p * lda);
        const [g0, g1] = both([Apad, B], m * n, (w, [a, b], c) => w.gemm(m, n, k, a, 1, lda, b, n, c, n, accumulate));
        expect(bitDiffs(g0, g1)).toEqual([]);
      }
      const [r0, r1] = both([A, B, bias], m * n, (w, [a, b, bb], c) => w.gemmBiasRelu(m, n, k, a, k, 1, b, n, c, n, bb, 1));
      expect(bitDiffs(r0, r1)).toEqual([]);
      if (m * n >= 8) expect(r0.some((v) => v > 0) && r0.some((v) => v === 0)).toBe(true); // relu really cut something
      for (const hAct of [1, 2]) {
        const [d0, d1] = both([A, B, H], m * n, (w, [a, b, h], c) => w.gemmDerivative(m, n, k, a, k, 1, b, n, c, n, h, Math.max(1, n - 1), hAct));
        expect(bitDiffs(d0, d1)).toEqual([]);
      }
      const [c0, c1] = both([A], k, (w, [a], c) => w.colsum(a, k, m, k, c, 1));
      expect(bitDiffs(c0, c1)).toEqual([]);
      const [t0, t1] = both([A], m * k, (w, [a], c) => w.transpose(a, m, k, c));
      expect(bitDiffs(t0, t1)).toEqual([]);
    });
  }

  it('Adam, Polyak and the activations, including the not-finite flags', () => {
    for (const n of [1, 3, 4, 37, 1000]) {
      const p = rand(n, 1, n), g = rand(n, 2, n), m = rand(n, 0.1, n), v = rand(n, 0.1, n).map(Math.abs) as Float32Array;
      const flags: number[] = []; // one per build: all finite here
      const [a0, a1] = both([p, g, m, v], n, (w, [pp, gg, mm, vv], out) => {
        flags.push(w.adamStep(pp, gg, mm, vv, n, 1e-3, 0.9, 0.999, 1e-8, 0.01, 0.271, 0.0019));
        w.copy(out, pp, n);
      });
      expect(bitDiffs(a0, a1)).toEqual([]);
      expect(flags).toEqual([0, 0]);
      g[n - 1] = Infinity;
      const badFlags: number[] = [];
      both([p, g, m, v], n, (w, [pp, gg, mm, vv]) => { badFlags.push(w.adamStep(pp, gg, mm, vv, n, 1e-3, 0.9, 0.999, 1e-8, 0, 0.1, 0.001)); });
      expect(badFlags).toEqual([1, 1]); // both builds flag the non-finite moment
      const [q0, q1] = both([p, g], n, (w, [s, t], out) => { w.polyak(t, s, n, 0.005); w.copy(out, t, n); });
      expect(bitDiffs(q0, q1)).toEqual([]);
      for (const act of [1, 2]) {
        const [b0, b1] = both([p, g], n, (w, [y, b], out) => { w.biasActivate(y, n, 1, n, b, act); w.copy(out, y, n); });
        expect(bitDiffs(b0, b1)).toEqual([]);
        const [k0, k1] = both([p, g], n, (w, [d, h], out) => { w.activationBackward(d, n, h, n, 1, n, act); w.copy(out, d, n); });
        expect(bitDiffs(k0, k1)).toEqual([]);
      }
    }
  });

  it('whole MLP passes: forward, backward with parameter and input gradients', async () => {
    const engines = [await loadEngine({ simd: true }), await loadEngine({ simd: false })];
    for (const [sizes, hidden, output, batch] of [[[3, 64, 64, 1], 'relu', 'tanh', 1], [[17, 33, 7, 6], 'tanh', 'identity', 9],
      [[11, 256, 256, 1], 'relu', 'identity', 64]] as const) {
      const results = engines.map((engine) => {
        const net = engine.mlp({ sizes: [...sizes], hidden, output, maxBatch: batch, seed: 5 });
        const y = net.forward(rand(batch * sizes[0], 1, 3), batch).slice();
        const dx = net.backward(rand(batch * sizes[sizes.length - 1], 1, 4), { inputGrad: true }).slice();
        return [y, dx, net.getGrads()];
      });
      for (let i = 0; i < 3; i++) expect(bitDiffs(results[0][i], results[1][i])).toEqual([]);
    }
  });

  for (const algo of ['ddpg', 'td3'] as const) {
    it(`${algo.toUpperCase()} trained on Pendulum-v1 for 700 steps ends with the same bits in every network and moment`, async () => {
      const agents: Agent[] = [];
      for (const simdBuild of [true, false]) {
        const agent = createAgent(await loadEngine({ simd: simdBuild }), algo, {
          obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2], actorHidden: [32, 32], criticHidden: [32, 32],
          batchSize: 32, bufferSize: 1000, learningStarts: 200, seed: 9,
        });
        new Trainer(agent, makeEnv('Pendulum-v1')).run(700);
        agents.push(agent);
      }
      for (const name of Object.keys(agents[0].networks)) {
        expect(bitDiffs(agents[0].networks[name].getParams(), agents[1].networks[name].getParams()), name).toEqual([]);
      }
      for (const name of Object.keys(agents[0].optimizers)) {
        const [s0, s1] = [agents[0].optimizers[name].getState(), agents[1].optimizers[name].getState()];
        expect(bitDiffs(s0.m, s1.m), name).toEqual([]);
        expect(bitDiffs(s0.v, s1.v), name).toEqual([]);
      }
      // Training moved the actor: the comparison is not of two untouched initialisations.
      const fresh = createAgent(await loadEngine(), algo, { obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2],
        actorHidden: [32, 32], criticHidden: [32, 32], batchSize: 32, bufferSize: 1000, learningStarts: 200, seed: 9 });
      expect(bitDiffs(fresh.actor.getParams(), agents[0].actor.getParams()).length).toBeGreaterThan(1000);
    });
  }
});

describe('choosing the build', () => {
  it('loadEngine() and loadPolicy() take the build without SIMD where WebAssembly.validate rejects SIMD', async () => {
    expect(hostHasSimd()).toBe(true); // Node 20
    expect((await loadEngine()).simd).toBe(true);
    const agent = createAgent(await loadEngine(), 'td3', { obsDim: 5, actDim: 2, actionLow: [-1, 0], actionHigh: [1, 3],
      actorHidden: [16, 16], criticHidden: [8], batchSize: 4, bufferSize: 10, seed: 2 });
    const bytes = encodePolicy(agent);
    const withSimd = await loadPolicy(bytes);
    const validate = vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    expect(hostHasSimd()).toBe(false);
    expect((await loadEngine()).simd).toBe(false);
    const withoutSimd = await loadPolicy(bytes);
    expect(validate).toHaveBeenCalled();
    await expect(loadEngine({ simd: true })).rejects.toThrow(/has no SIMD/);
    validate.mockRestore();
    const explicit = await loadPolicy(bytes, { simd: false });
    for (const obs of [[0.1, -2, 3, 0.5, 9], [-4, 4, -1, 0, 0.25]]) {
      const want = withSimd.act(obs).slice();
      expect(bitDiffs(withoutSimd.act(obs).slice(), want)).toEqual([]);
      expect(bitDiffs(explicit.act(obs).slice(), want)).toEqual([]);
    }
  });

  it('bad options are typed errors naming the option', async () => {
    await expect(loadEngine({ simd: 'no' } as never)).rejects.toThrow(DdpgInputError);
    await expect(loadEngine({ simd: 'no' } as never)).rejects.toThrow(/simd must be true, false or left out/);
    await expect(loadEngine({ sims: false } as never)).rejects.toThrow(/unknown option 'sims'/);
  });
});
