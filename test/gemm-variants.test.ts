// The GEMM kernel variants (assembly/gemm.ts, setKernels): every variant of every form against the float64
// reference and bit for bit against each other and against the build without SIMD — odd sizes around every
// tile and panel width, batch 1, row strides wider than the rows, accumulate, the fused epilogues, the dW
// form's packed path with its chunks over the batch and its in-place path. Then the engine's `kernels` option
// and kernelInfo(), and DDPG training that ends with the same bits under each fixed choice.
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, DdpgInputError, KERNEL_VARIANTS, loadEngine, type Agent, type Engine } from '../src/index.js';
import type { KernelExports } from '../src/engine/abi.js';
import { fastest } from '../src/engine/kernels.js';
import { makeEnv } from '../src/envs/index.js';
import { Trainer } from '../src/rl/trainer.js';
import { ENGINE_BUILDS, KERNELS_WASM, loadKernels } from './helpers/kernels.js';
import { matmul64, randomArray, relError, transpose64 } from './helpers/ref64.js';
import { bitDiffs } from './helpers/bits.js';

type Kernels = { engine: Engine; wasm: KernelExports };
let simd: Kernels, scalar: Kernels;
beforeAll(async () => {
  simd = await loadKernels(ENGINE_BUILDS[0]);
  scalar = await loadKernels(ENGINE_BUILDS[1]);
});

/** Copies `inputs` into an engine's memory, fills `out` (outLength floats) with `prior`, runs `call`, returns out. */
function runOn(k: Kernels, inputs: Float32Array[], prior: Float32Array, call: (w: KernelExports, ptrs: number[], out: number) => void): Float32Array {
  const rt = k.engine.runtime;
  const ptrs = inputs.map((a) => { const p = rt.alloc(a.length); rt.f32.set(a, p >>> 2); return p; });
  const out = rt.alloc(prior.length);
  rt.f32.set(prior, out >>> 2);
  call(k.wasm, ptrs, out);
  return rt.view(out, prior.length).slice();
}

/** The result of every SIMD variant (in id order), then of the build without SIMD; asserts they share their bits. */
function everyVariant(inputs: Float32Array[], prior: Float32Array, call: (w: KernelExports, ptrs: number[], out: number) => void,
                      zerosOk = false): Float32Array {
  const results = KERNEL_VARIANTS.map((_, v) => {
    expect(simd.wasm.setKernels(v, v, v)).toBe(1);
    return runOn(simd, inputs, prior, call);
  });
  results.push(runOn(scalar, inputs, prior, call));
  const names = [...KERNEL_VARIANTS, 'scalar build'];
  for (let v = 1; v < results.length; v++) expect(bitDiffs(results[v], results[0]), `${names[v]} vs ${names[0]}`).toEqual([]);
  // Real values, not zeros (but k = 0 products are zeros, and bias + relu may clip all of them)
  if (!zerosOk) expect(results[0].some((x) => x !== 0 && Number.isFinite(x))).toBe(true);
  return results[0];
}

/** A dense [rows × cols] matrix laid out with row stride ld (the padding holds values that must not be read). */
function strided(a: Float32Array, rows: number, cols: number, ld: number): Float32Array {
  const out = randomArray(rows * ld, `pad${rows}x${cols}x${ld}`, 50, 60);
  for (let i = 0; i < rows; i++) out.set(a.subarray(i * cols, i * cols + cols), i * ld);
  return out;
}

function unstride(a: Float32Array, rows: number, cols: number, ld: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = a[i * ld + j];
  return out;
}

// [m, n, k] of C[m×n] = A[m×k]·B[k×n]: around the 4-row blocks and 8-/16-wide panels, the panel groups
// (k·width > the B panel buffer's share: several groups), k above the A panel (512: in place), batch 1, and
// k = 0 (C = 0, + C when accumulating).
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 17, 255], [3, 5, 7], [5, 13, 17], [7, 33, 67], [13, 67, 33], [17, 257, 255], [33, 255, 257],
  [67, 17, 513], [5, 36, 600], [255, 33, 13], [4, 16, 3], [8, 48, 1], [257, 9, 5], [9, 40, 401], [12, 32, 0],
];

describe('every kernel variant gives the same bits, and the float64 product', () => {
  for (const [m, n, k] of SHAPES) {
    it(`X·W ${m}×${k} · ${k}×${n}: strided A and C, overwrite and accumulate`, () => {
      const x = randomArray(m * k, `vx${m}.${n}.${k}`), w = randomArray(k * n, `vw${m}.${n}.${k}`), c0 = randomArray(m * n, `vc${m}.${n}.${k}`);
      const lda = k + 3, ldc = n + 5;
      const want = matmul64(x, w, m, k, n);
      for (const acc of [0, 1]) {
        const got = everyVariant([strided(x, m, k, lda), w], strided(c0, m, n, ldc), (wa, [a, b], c) => wa.gemm(m, n, k, a, lda, 1, b, n, c, ldc, acc), k === 0);
        expect(relError(unstride(got, m, n, ldc), acc ? want.map((v, i) => v + c0[i]) : want)).toBeLessThan(1e-5);
      }
    });

    it(`relu?(X·W + b) ${m}×${k} · ${k}×${n}: bias and relu in the epilogue`, () => {
      const x = randomArray(m * k, `bx${m}.${n}.${k}`), w = randomArray(k * n, `bw${m}.${n}.${k}`), b = randomArray(n, `bb${m}.${n}.${k}`);
      const lda = k + 1, ldc = n + 2;
      const lin = matmul64(x, w, m, k, n).map((v, i) => v + b[i % n]);
      for (const relu of [0, 1]) {
        const got = everyVariant([strided(x, m, k, lda), w, b], randomArray(m * ldc, 'junk'),
          (wa, [a, bb, bias], c) => wa.gemmBiasRelu(m, n, k, a, lda, 1, bb, n, c, ldc, bias, relu));
        expect(relError(unstride(got, m, n, ldc), relu ? lin.map((v) => Math.max(v, 0)) : lin)).toBeLessThan(1e-5);
      }
    });

    it(`dZ·Wᵀ ⊙ f′(h) ${m}×${k} · ${k}×${n}: relu and tanh, on all, the first n − 3, or no columns`, () => {
      const dz = randomArray(m * k, `dz${m}.${n}.${k}`), wt = randomArray(k * n, `dwt${m}.${n}.${k}`), h = randomArray(m * n, `dh${m}.${n}.${k}`);
      const ld = n + 3;
      const plain = matmul64(dz, wt, m, k, n);
      for (const hAct of [1, 2]) {
        for (const hCols of [n, Math.max(0, n - 3), 0]) {
          const got = everyVariant([dz, wt, strided(h, m, n, ld)], randomArray(m * ld, 'junk2'),
            (wa, [a, b, hh], c) => wa.gemmDerivative(m, n, k, a, k, 1, b, n, c, ld, hh, hCols, hAct), k === 0);
          const want = plain.map((v, i) => {
            const hv = h[i];
            return i % n >= hCols ? v : hAct === 1 ? (hv > 0 ? v : 0) : v * (1 - hv * hv);
          });
          expect(relError(unstride(got, m, n, ld), want)).toBeLessThan(1e-5);
        }
      }
    });

    it(`Xᵀ·dZ ${m}×${k} · ${k}×${n} (X [${k}×${m}]): packed path (row stride 128·j) and in place, overwrite and accumulate`, () => {
      const x = randomArray(k * m, `tx${m}.${n}.${k}`), dz = randomArray(k * n, `tdz${m}.${n}.${k}`), c0 = randomArray(m * n, `tc${m}.${n}.${k}`);
      const want = matmul64(transpose64(x, k, m), dz, m, k, n);
      for (const ldx of [m + 1, 128 * Math.ceil(m / 128)]) {
        for (const acc of [0, 1]) {
          const got = everyVariant([strided(x, k, m, ldx), dz], c0, (wa, [a, b], c) => wa.gemm(m, n, k, a, 1, ldx, b, n, c, n, acc), k === 0);
          expect(relError(got, acc ? want.map((v, i) => v + c0[i]) : want)).toBeLessThan(1e-5);
        }
      }
    });
  }

  it('the dW packed path over more than one chunk of the batch (k = 1030 > 512) and a ragged last chunk', () => {
    for (const [m, n] of [[64, 64], [9, 40], [130, 17]]) {
      const k = 1030, ldx = 128 * Math.ceil(m / 128);
      const x = randomArray(k * m, `ck${m}.${n}`), dz = randomArray(k * n, `ckd${m}.${n}`);
      const got = everyVariant([strided(x, k, m, ldx), dz], new Float32Array(m * n), (wa, [a, b], c) => wa.gemm(m, n, k, a, 1, ldx, b, n, c, n, 0));
      expect(relError(got, matmul64(transpose64(x, k, m), dz, m, k, n))).toBeLessThan(1e-5);
    }
  });

  it('relu keeps NaN through every variant (divergence reaches the output)', () => {
    const m = 8, n = 32, k = 4;
    const x = randomArray(m * k, 'nanx'), w = randomArray(k * n, 'nanw');
    x[5] = NaN; // row 1
    for (let v = 0; v < KERNEL_VARIANTS.length; v++) {
      simd.wasm.setKernels(v, v, v);
      const got = runOn(simd, [x, w, new Float32Array(n)], new Float32Array(m * n), (wa, [a, b, bias], c) => wa.gemmBiasRelu(m, n, k, a, k, 1, b, n, c, n, bias, 1));
      expect(got.subarray(n, 2 * n).every(Number.isNaN), KERNEL_VARIANTS[v]).toBe(true);
      expect(got.subarray(0, n).every(Number.isFinite)).toBe(true);
    }
  });

  it('setKernels refuses an id out of range and keeps the choice; kernelOf reports it', () => {
    const w = simd.wasm;
    expect(w.kernelVariants()).toBe(KERNEL_VARIANTS.length);
    expect(w.setKernels(1, 2, 3)).toBe(1);
    expect([w.kernelOf(0), w.kernelOf(1), w.kernelOf(2)]).toEqual([1, 2, 3]);
    expect(w.setKernels(0, 4, 0)).toBe(0);
    expect(w.setKernels(-1, 0, 0)).toBe(0);
    expect([w.kernelOf(0), w.kernelOf(1), w.kernelOf(2)]).toEqual([1, 2, 3]);
    expect(scalar.wasm.kernelVariants()).toBe(1);
    expect(scalar.wasm.setKernels(1, 0, 0)).toBe(0);
  });
});

describe('loadEngine({ kernels }) and engine.kernelInfo()', () => {
  it('auto: a bounded calibration picks a variant per form; kernelInfo says which, how, and what it timed', async () => {
    const engine = await loadEngine();
    const info = engine.kernelInfo();
    expect(info.variants).toEqual([...KERNEL_VARIANTS]);
    for (const form of ['forward', 'dx', 'dw'] as const) {
      expect(info.chosenBy[form]).toBe('calibration');
      expect(info[form]).toBe(KERNEL_VARIANTS[info.ids[form]]);
      expect(engine.runtime.wasm.kernelOf(['forward', 'dx', 'dw'].indexOf(form))).toBe(info.ids[form]);
      const t = info.timings[form]!;
      expect(Object.keys(t)).toEqual([...KERNEL_VARIANTS]);
      for (const us of Object.values(t)) expect(us).toBeGreaterThan(0);
      expect(info[form]).toBe(KERNEL_VARIANTS[fastest(Object.values(t))]); // the fastest (within the tie margin) was taken
      expect(t[info[form]]).toBeLessThan(Math.min(...Object.values(t)) / 0.98 + 0.2);
      expect(info.shapes[form]).toMatch(/256/);
    }
    expect(info.rounds).toBeGreaterThanOrEqual(1);
    expect(info.calibrationMs).toBeGreaterThan(0);
    expect(info.calibrationMs).toBeLessThan(1000); // bounded (100 ms and one round on a busy machine)
    info.forward = 'changed';
    expect(engine.kernelInfo().forward).not.toBe('changed'); // a copy
  });

  it('the calibration keeps the fastest variant; a later one must beat the leader by more than 2 %', () => {
    expect(fastest([10, 9, 8, 7])).toBe(3);
    expect(fastest([10, 9.9, 5, 4.95])).toBe(2); // 4.95 is within 2 % of 5
    expect(fastest([10, 9.85, 12, 11])).toBe(0);
    expect(fastest([10, 9.7, 12, 11])).toBe(1);
    expect(fastest([7, 8, 9, 10])).toBe(0);
  });

  it('a fixed choice is honoured and not calibrated; per form, the rest calibrated', async () => {
    for (const name of KERNEL_VARIANTS) {
      const engine = await loadEngine({ kernels: name });
      const info = engine.kernelInfo();
      expect([info.forward, info.dx, info.dw]).toEqual([name, name, name]);
      expect(info.chosenBy).toEqual({ forward: 'option', dx: 'option', dw: 'option' });
      expect(info.calibrationMs).toBe(0);
      expect(info.timings).toEqual({});
      const id = KERNEL_VARIANTS.indexOf(name);
      expect([0, 1, 2].map((f) => engine.runtime.wasm.kernelOf(f))).toEqual([id, id, id]);
    }
    const mixed = (await loadEngine({ kernels: { forward: '4x8p-lanes', dx: '4x8', dw: 'auto' } })).kernelInfo();
    expect([mixed.forward, mixed.dx]).toEqual(['4x8p-lanes', '4x8']);
    expect(mixed.chosenBy).toEqual({ forward: 'option', dx: 'option', dw: 'calibration' });
    expect(Object.keys(mixed.timings)).toEqual(['dw']);
    const fromFile = (await loadEngine(KERNELS_WASM, { kernels: { dx: '2x16p' } })).kernelInfo();
    expect(fromFile.dx).toBe('2x16p');
    expect(fromFile.chosenBy.forward).toBe('calibration');
  });

  it('the build without SIMD has one kernel; a named variant is accepted there and changes nothing', async () => {
    for (const kernels of [undefined, '2x16p'] as const) {
      const info = (await loadEngine({ simd: false, kernels })).kernelInfo();
      expect(info.variants).toEqual(['scalar']);
      expect([info.forward, info.dx, info.dw]).toEqual(['scalar', 'scalar', 'scalar']);
      expect(info.chosenBy).toEqual({ forward: 'only', dx: 'only', dw: 'only' });
      expect(info.calibrationMs).toBe(0);
    }
  });

  it('an engine .wasm from before the variants (no setKernels) loads, with its one kernel', async () => {
    const { readFile } = await import('node:fs/promises');
    const module = await WebAssembly.compile(await readFile(KERNELS_WASM));
    const exports = (await WebAssembly.instantiate(module, {})).exports as unknown as Record<string, unknown>;
    const old = Object.fromEntries(Object.entries(exports).filter(([k]) => !['setKernels', 'kernelOf', 'kernelVariants'].includes(k)));
    const { Runtime } = await import('../src/engine/runtime.js');
    const { chooseKernels, parseKernelsOption } = await import('../src/engine/kernels.js');
    const info = await chooseKernels(new Runtime(old as never), parseKernelsOption('auto'));
    expect([info.forward, info.dx, info.dw, info.variants]).toEqual(['4x8', '4x8', '4x8', ['4x8']]);
    expect(info.chosenBy).toEqual({ forward: 'only', dx: 'only', dw: 'only' });
  });

  it('unknown variant names and malformed options are refused with the valid ones listed', async () => {
    for (const bad of ['8x8', '', 'AUTO', 42, null, ['4x8'], { forward: 'nope' }, { dx: 3 }]) {
      const p = loadEngine({ kernels: bad as never });
      await expect(p).rejects.toThrow(DdpgInputError);
    }
    await expect(loadEngine({ kernels: '8x8' as never })).rejects.toThrow(
      "loadEngine({ kernels }): unknown kernel variant '8x8'; valid: 'auto', '4x8', '4x8p', '2x16p', '4x8p-lanes', or an object { forward, dx, dw } of those");
    await expect(loadEngine({ kernels: { fwd: '4x8' } as never })).rejects.toThrow(/unknown option 'fwd'; known: forward, dx, dw/);
    await expect(loadEngine({ kernels: { dw: 'x' } as never })).rejects.toThrow(/kernels \}\) dw: unknown kernel variant 'x'/);
    await expect(loadEngine(KERNELS_WASM, { kernels: 'x' as never })).rejects.toThrow(DdpgInputError);
    await expect(loadEngine(KERNELS_WASM, { simd: true } as never)).rejects.toThrow(/unknown option 'simd'/);
  });
});

describe('training under each fixed kernel choice', () => {
  it('DDPG on Pendulum-v1 ends with the same bits in every network and Adam moment, whichever variant runs', async () => {
    // 128-wide first layers: the dW form's packed path (row stride 128) beside the in-place one (129, 64).
    const cfg = { obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2], actorHidden: [128, 64], criticHidden: [128, 64],
      batchSize: 48, bufferSize: 1000, learningStarts: 100, seed: 11 };
    const agents: Agent[] = [];
    for (const kernels of [...KERNEL_VARIANTS, 'scalar build'] as const) {
      const engine = kernels === 'scalar build' ? await loadEngine({ simd: false }) : await loadEngine({ kernels });
      const agent = createAgent(engine, 'ddpg', cfg);
      new Trainer(agent, makeEnv('Pendulum-v1')).run(300);
      agents.push(agent);
    }
    for (let i = 1; i < agents.length; i++) {
      for (const name of Object.keys(agents[0].networks)) {
        expect(bitDiffs(agents[i].networks[name].getParams(), agents[0].networks[name].getParams()), `${i} ${name}`).toEqual([]);
      }
      for (const name of Object.keys(agents[0].optimizers)) {
        const [s0, s1] = [agents[0].optimizers[name].getState(), agents[i].optimizers[name].getState()];
        expect(bitDiffs(s1.m, s0.m), `${i} ${name} m`).toEqual([]);
        expect(bitDiffs(s1.v, s0.v), `${i} ${name} v`).toEqual([]);
      }
    }
    const fresh = createAgent(await loadEngine({ kernels: '4x8' }), 'ddpg', cfg);
    expect(bitDiffs(fresh.actor.getParams(), agents[0].actor.getParams()).length).toBeGreaterThan(1000); // training moved it
  });
});
