// The scalar reference kernels (src/reference/) against the WASM SIMD kernels on random odd shapes,
// batch 1 and > 1, row strides wider than the rows: they must agree to float32 tolerance. This keeps the
// readable code honest and is an oracle for the SIMD code.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/index.js';
import type { KernelExports } from '../src/engine/abi.js';
import { loadKernels } from './helpers/kernels.js';
import * as ref from '../src/reference/index.js';
import { ACTIVATION_CODES } from '../src/engine/abi.js';
import { randomArray, relError } from './helpers/ref64.js';

let engine: Engine;
let wasm: KernelExports;
beforeAll(async () => { ({ engine, wasm } = await loadKernels()); });

/** Copies values into fresh engine memory; returns the byte offset. */
function put(values: ArrayLike<number>): number {
  const ptr = engine.runtime.alloc(Math.max(values.length, 1));
  engine.runtime.f32.set(values, ptr >>> 2);
  return ptr;
}
const get = (ptr: number, n: number) => engine.runtime.f32.slice(ptr >>> 2, (ptr >>> 2) + n);
const TOL = 1e-5; // float32 kernel vs float64 reference, relative to the largest value

// [m, n, k]: odd, tiny, and wider than the 4×8 SIMD blocks.
const SHAPES: [number, number, number][] = [[1, 1, 1], [1, 9, 3], [5, 3, 7], [6, 13, 11], [9, 17, 5], [3, 1, 21]];

describe('gemm, transpose, colsum: reference = WASM', () => {
  for (const [m, n, k] of SHAPES) {
    it(`${m}×${k} · ${k}×${n} in the three strided forms, overwrite and accumulate`, () => {
      const tag = `${m},${n},${k}`;
      // Forward form Y = X·W with padded rows: X [m × k] stored with ldx = k + 2, Y with ldy = n + 3.
      const ldx = k + 2, ldy = n + 3;
      const x = randomArray(m * ldx, `x${tag}`), w = randomArray(k * n, `w${tag}`), y0 = randomArray(m * ldy, `y${tag}`);
      const px = put(x), pw = put(w), py = put(y0);
      for (const acc of [false, true]) {
        const want = Float64Array.from(acc ? get(py, m * ldy) : y0);
        wasm.gemm(m, n, k, px, ldx, 1, pw, n, py, ldy, +acc);
        ref.gemm(m, n, k, x, ldx, 1, w, n, want, ldy, acc);
        expect(relError(get(py, m * ldy), want)).toBeLessThan(TOL);
      }
      // Gradient form dW = Xᵀ·dZ: A = Xᵀ read with ars = 1, acs = ldx.
      const dz = randomArray(m * n, `dz${tag}`), pdz = put(dz), pdw = put(new Float32Array(k * n));
      wasm.gemm(k, n, m, px, 1, ldx, pdz, n, pdw, n, 0);
      const dw = new Float64Array(k * n);
      ref.gemm(k, n, m, x, 1, ldx, dz, n, dw, n, false);
      expect(relError(get(pdw, k * n), dw)).toBeLessThan(TOL);
      // Input-gradient form dX = dZ·Wᵀ, Wᵀ packed by transpose().
      const pwt = put(new Float32Array(n * k));
      wasm.transpose(pw, k, n, pwt);
      expect(Array.from(get(pwt, n * k))).toEqual(Array.from(ref.transpose(w, k, n)));
      const pdx = put(new Float32Array(m * k));
      wasm.gemm(m, k, n, pdz, n, 1, pwt, k, pdx, k, 0);
      expect(relError(get(pdx, m * k), ref.matmulTransB(dz, w, m, n, k))).toBeLessThan(TOL);
      // The dense helpers say the same thing as the strided call.
      const xd = Float64Array.from({ length: m * k }, (_, i) => x[Math.floor(i / k) * ldx + (i % k)]);
      expect(relError(ref.matmulTransA(xd, dz, m, k, n), dw)).toBeLessThan(1e-12);
      // Column sums with a padded source row, overwrite then accumulate.
      const db0 = randomArray(n, `db${tag}`), pdb = put(db0), want = Float64Array.from(db0);
      for (const acc of [false, true]) {
        wasm.colsum(py, ldy, m, n, pdb, +acc);
        ref.colsum(get(py, m * ldy), ldy, m, n, want, acc);
        expect(relError(get(pdb, n), want)).toBeLessThan(TOL);
      }
    });
  }
});

describe('activations: reference = WASM', () => {
  for (const act of ['identity', 'relu', 'tanh'] as const) {
    for (const [m, n] of [[1, 1], [1, 7], [5, 9], [3, 4]]) {
      it(`${act} on ${m}×${n} (row stride ${n + 1}): bias + f forward, dh ⊙ f′(h) backward`, () => {
        const ld = n + 1, tag = `${act}${m}${n}`;
        const z = randomArray(m * ld, `z${tag}`, -2, 2), b = randomArray(n, `b${tag}`), dh = randomArray(m * ld, `dh${tag}`);
        const pz = put(z), pb = put(b), pdh = put(dh);
        wasm.biasActivate(pz, ld, m, n, pb, ACTIVATION_CODES[act]);
        const h = Float64Array.from(z);
        ref.biasActivate(h, ld, m, n, b, act);
        expect(relError(get(pz, m * ld), h)).toBeLessThan(TOL);
        wasm.activationBackward(pdh, ld, pz, ld, m, n, ACTIVATION_CODES[act]);
        const d = Float64Array.from(dh);
        ref.activationBackward(d, ld, get(pz, m * ld), ld, m, n, act); // same h, so relu masks agree exactly
        expect(relError(get(pdh, m * ld), d)).toBeLessThan(TOL);
        if (act === 'relu') expect(d.some((v, i) => v === 0 && dh[i] !== 0)).toBe(m * n > 1); // some units were off
      });
    }
  }
});

describe('MSE, Polyak, Adam: reference = WASM', () => {
  it.each([1, 7, 33])('mse over %i predictions: loss and ∂L/∂q = 2(q − y)/n', (n) => {
    const q = randomArray(n, `q${n}`, -3, 3), y = randomArray(n, `yy${n}`, -3, 3), grad = new Float32Array(n);
    const loss = engine.mseLoss(q, y, grad);
    const r = ref.mseLoss(q, y);
    expect(loss).toBeCloseTo(r.loss, 6);
    expect(relError(grad, r.grad)).toBeLessThan(TOL);
  });

  it('polyak θ′ ← τθ + (1 − τ)θ′ over an odd parameter count, τ = 0.05 and τ = 1', () => {
    const a = engine.mlp({ sizes: [3, 5, 2], seed: 1, finalInitScale: 0.4 }), b = engine.mlp({ sizes: [3, 5, 2], seed: 2, finalInitScale: 0.4 });
    const target = Float64Array.from(a.getParams());
    for (const tau of [0.05, 1]) {
      engine.polyak(a, b, tau);
      ref.polyak(target, b.getParams(), tau);
      expect(relError(a.getParams(), target)).toBeLessThan(TOL);
    }
    expect(Array.from(a.getParams())).toEqual(Array.from(b.getParams()));
  });

  for (const hyper of [{ lr: 1e-2 }, { lr: 3e-2, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.01 }]) {
    it(`adam over 5 steps ${JSON.stringify(hyper)}, 37 parameters (SIMD and tail paths)`, () => {
      const net = engine.mlp({ sizes: [2, 7, 3], seed: 4, finalInitScale: 0.5 }); // 2·7 + 7 + 7·3 + 3 = 45
      const opt = engine.adam(net, hyper);
      const p = Float64Array.from(net.getParams()), start = p.slice();
      const m = new Float64Array(p.length), v = new Float64Array(p.length);
      for (let t = 1; t <= 5; t++) {
        const g = randomArray(p.length, `adam${t}`, -1, 1);
        net.gradsView().set(g);
        opt.step();
        ref.adamStep(p, g, m, v, t, hyper);
      }
      const moved = Float64Array.from(p, (v, i) => v - start[i]);
      const got = Float64Array.from(net.getParams(), (v, i) => v - start[i]);
      expect(relError(got, moved)).toBeLessThan(1e-4); // compared on the displacement, which is what Adam computes
      expect(Math.max(...moved.map(Math.abs))).toBeGreaterThan(0.04); // 5 steps of ≈ lr each
    });
  }
});

describe('MLP forward + backward: reference = WASM', () => {
  const CASES: { spec: ref.MlpSpec; batch: number }[] = [
    { spec: { sizes: [3, 5, 7, 2], hidden: 'tanh', output: 'identity' }, batch: 1 },
    { spec: { sizes: [3, 5, 7, 2], hidden: 'relu', output: 'tanh' }, batch: 6 },
    { spec: { sizes: [1, 1] }, batch: 3 },
    { spec: { sizes: [5, 9, 3, 1], hidden: 'relu', join: { layer: 0, size: 2 } }, batch: 7 },
    { spec: { sizes: [5, 9, 3, 1], hidden: 'tanh', join: { layer: 1, size: 3 } }, batch: 1 },
    { spec: { sizes: [4, 11, 13, 1], hidden: 'relu', join: { layer: 1, size: 1 } }, batch: 9 },
  ];
  CASES.forEach(({ spec, batch }, idx) => {
    const j = spec.join;
    it(`${spec.sizes.join('→')} ${spec.hidden ?? 'relu'}/${spec.output ?? 'identity'} batch ${batch}${j ? ` join@${j.layer}×${j.size}` : ''}`, () => {
      const net = engine.mlp({ sizes: [...spec.sizes], hidden: spec.hidden as 'relu' | 'tanh', output: spec.output as 'identity' | 'tanh', join: j });
      net.setParams(randomArray(net.paramCount, `mp${idx}`, -0.8, 0.8));
      expect(ref.paramCountOf(spec)).toBe(net.paramCount);
      const params = net.getParams();
      const x = randomArray(batch * spec.sizes[0], `mx${idx}`, -1.5, 1.5);
      const e = j ? randomArray(batch * j.size, `me${idx}`) : undefined;
      const dy = randomArray(batch * spec.sizes[spec.sizes.length - 1], `mdy${idx}`);

      const { y, tape } = ref.mlpForward(spec, params, x, batch, e);
      expect(relError(net.forward(x, batch, e), y)).toBeLessThan(TOL);
      const g = ref.mlpBackward(spec, params, tape, dy);
      const dx = net.backward(dy).slice();
      // Per layer, so one layer's mistake cannot hide behind another layer's large gradient.
      const grads = net.getGrads();
      for (const l of net.layers) {
        expect(relError(grads.subarray(l.wOffset, l.bOffset), g.params.subarray(l.wOffset, l.bOffset))).toBeLessThan(1e-4);
        expect(relError(grads.subarray(l.bOffset, l.bOffset + l.out), g.params.subarray(l.bOffset, l.bOffset + l.out))).toBeLessThan(1e-4);
      }
      expect(relError(dx, g.input)).toBeLessThan(1e-4);
      if (j) expect(relError(net.joinGrad(), g.join!)).toBeLessThan(1e-4);
      expect(Math.max(...g.params.map(Math.abs))).toBeGreaterThan(1e-2);
    });
  });
});
