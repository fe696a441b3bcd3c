// The raw kernels against float64 references: the three GEMM forms, transpose, column sums,
// bias + activation and its backward. Odd sizes, batch 1, row strides wider than the rows.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/index.js';
import type { KernelExports } from '../src/engine/abi.js';
import { ENGINE_BUILDS, loadKernels } from './helpers/kernels.js';
import { matmul64, randomArray, relError, transpose64 } from './helpers/ref64.js';

let engine: Engine;
let wasm: KernelExports;
describe.each(ENGINE_BUILDS)('$name build', (build) => {
  beforeAll(async () => { ({ engine, wasm } = await loadKernels(build)); });

  // [m, n, k] of C[m×n] = A[m×k]·B[k×n]. Covers the 4×8 / 4×4 blocks and dot-product tails, the one-row
  // blocks (1×32, 1×8, 1×4: m % 4 rows and batch 1), n = 1 with A transposed (computed as a row), and the
  // packed-panel dW path (A = Xᵀ) with its chunks over the batch. In the dW test below the batch is m.
  const SHAPES: [number, number, number][] = [
    [1, 1, 1], [1, 8, 3], [3, 5, 7], [4, 8, 4], [13, 17, 9], [7, 1, 300], [33, 20, 31], [64, 64, 64], [5, 12, 1],
    [1, 256, 3], [1, 64, 64], [3, 67, 33], [6, 45, 2], [2, 1, 9], [9, 1, 33], [1, 97, 1], [17, 36, 64],
    [601, 12, 5], [1030, 9, 8], // dW with a batch above the packing chunk (512) and a ragged last chunk
    [1, 1030, 7], [2, 517, 6], // one-row path with more columns than its row buffer (512)
  ];

  /** Copies a dense [rows × cols] matrix into engine memory with row stride ld; returns its byte offset. */
  function put(a: ArrayLike<number>, rows: number, cols: number, ld = cols): number {
    const rt = engine.runtime;
    const ptr = rt.alloc(rows * ld);
    const f32 = rt.f32;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) f32[(ptr >>> 2) + i * ld + j] = a[i * cols + j];
    return ptr;
  }

  function get(ptr: number, rows: number, cols: number, ld = cols): Float64Array {
    const f32 = engine.runtime.f32;
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = f32[(ptr >>> 2) + i * ld + j];
    return out;
  }

  describe('gemm: the three forms of a dense layer', () => {
    for (const [m, n, k] of SHAPES) {
      it(`Y = X·W  (${m}×${k} · ${k}×${n}), strided X and Y, overwrite and accumulate`, () => {
        const x = randomArray(m * k, `x${m}${n}${k}`), w = randomArray(k * n, `w${m}${n}${k}`);
        const c0 = randomArray(m * n, `c${m}${n}${k}`);
        const ldx = k + 3, ldy = n + 5;
        const px = put(x, m, k, ldx), pw = put(w, k, n), py = put(c0, m, n, ldy);
        wasm.gemm(m, n, k, px, ldx, 1, pw, n, py, ldy, 0);
        const want = matmul64(x, w, m, k, n);
        expect(relError(get(py, m, n, ldy), want)).toBeLessThan(1e-5);
        wasm.gemm(m, n, k, px, ldx, 1, pw, n, py, ldy, 1);
        expect(relError(get(py, m, n, ldy), want.map((v) => 2 * v))).toBeLessThan(1e-5);
      });

      it(`Y = relu?(X·W + b)  (${m}×${k} · ${k}×${n}) fused epilogue, strided X and Y`, () => {
        const x = randomArray(m * k, `fx${m}${n}${k}`), w = randomArray(k * n, `fw${m}${n}${k}`), b = randomArray(n, `fb${m}${n}${k}`);
        const ldx = k + 2, ldy = n + 3;
        const px = put(x, m, k, ldx), pw = put(w, k, n), pb = put(b, 1, n), py = put(randomArray(m * n, 'junk'), m, n, ldy);
        const lin = matmul64(x, w, m, k, n).map((v, i) => v + b[i % n]);
        wasm.gemmBiasRelu(m, n, k, px, ldx, 1, pw, n, py, ldy, pb, 0);
        expect(relError(get(py, m, n, ldy), lin)).toBeLessThan(1e-5);
        wasm.gemmBiasRelu(m, n, k, px, ldx, 1, pw, n, py, ldy, pb, 1);
        expect(relError(get(py, m, n, ldy), lin.map((v) => Math.max(v, 0)))).toBeLessThan(1e-5);
        wasm.gemmBiasRelu(m, n, k, px, ldx, 1, pw, n, py, ldy, 0, 0); // bias 0: none
        expect(relError(get(py, m, n, ldy), matmul64(x, w, m, k, n))).toBeLessThan(1e-5);
      });

      it(`dX ⊙ f′(h) fused  (${m}×${k} · ${k}×${n}), relu and tanh, derivative on the first columns only`, () => {
        const dz = randomArray(m * k, `gd${m}${n}${k}`), wt = randomArray(k * n, `gdw${m}${n}${k}`);
        const h = randomArray(m * n, `gdh${m}${n}${k}`, -1, 1);
        const ld = n + 2; // C and h share strides
        const hCols = Math.max(0, n - (n > 3 ? 3 : 0)); // leave a few plain "join" columns when there is room
        const pdz = put(dz, m, k), pw = put(wt, k, n), ph = put(h, m, n, ld), pc = put(randomArray(m * n, 'junk'), m, n, ld);
        const plain = matmul64(dz, wt, m, k, n);
        for (const code of [1, 2]) {
          wasm.gemmDerivative(m, n, k, pdz, k, 1, pw, n, pc, ld, ph, hCols, code);
          const want = plain.map((v, i) => {
            const j = i % n, hv = h[i];
            return j >= hCols ? v : code === 1 ? (hv > 0 ? v : 0) : v * (1 - hv * hv);
          });
          expect(relError(get(pc, m, n, ld), want)).toBeLessThan(1e-5);
        }
      });

      it(`dW = Xᵀ·dZ  (${k}×${m} · ${m}×${n}) reading X through strides, overwrite and accumulate`, () => {
        // Here X is [m × k] (batch m), dZ is [m × n], dW is [k × n].
        const x = randomArray(m * k, `X${m}${n}${k}`), dz = randomArray(m * n, `dz${m}${n}${k}`);
        const ldx = k + 1;
        const px = put(x, m, k, ldx), pdz = put(dz, m, n), pdw = put(new Float32Array(k * n), k, n);
        wasm.gemm(k, n, m, px, 1, ldx, pdz, n, pdw, n, 0);
        const want = matmul64(transpose64(x, m, k), dz, k, m, n);
        expect(relError(get(pdw, k, n), want)).toBeLessThan(1e-5);
        wasm.gemm(k, n, m, px, 1, ldx, pdz, n, pdw, n, 1);
        expect(relError(get(pdw, k, n), want.map((v) => 2 * v))).toBeLessThan(1e-5);
      });

      it(`dX = dZ·Wᵀ  (${m}×${n} · ${n}×${k}) via transpose()`, () => {
        const dz = randomArray(m * n, `DZ${m}${n}${k}`), w = randomArray(k * n, `W${m}${n}${k}`);
        const pdz = put(dz, m, n), pw = put(w, k, n), pwt = put(new Float32Array(n * k), n, k), pdx = put(new Float32Array(m * k), m, k);
        wasm.transpose(pw, k, n, pwt);
        expect(get(pwt, n, k)).toEqual(transpose64(Float32Array.from(w), k, n));
        wasm.gemm(m, k, n, pdz, n, 1, pwt, k, pdx, k, 0);
        expect(relError(get(pdx, m, k), matmul64(dz, transpose64(w, k, n), m, n, k))).toBeLessThan(1e-5);
      });
    }

    it('a row gives bit-identical results in a 4-row block and on the one-row path (batch 1 = batch N)', () => {
      for (const [n, k] of [[64, 3], [256, 64], [37, 300], [600, 9]]) {
        const m = 5;
        const row = randomArray(k, `row${n}${k}`), w = randomArray(k * n, `roww${n}${k}`), b = randomArray(n, `rowb${n}${k}`);
        const x = new Float32Array(m * k);
        for (let i = 0; i < m; i++) x.set(row, i * k); // rows 0–3: the 4-row block; row 4: the one-row path
        const px = put(x, m, k), pw = put(w, k, n), pb = put(b, 1, n), py = put(new Float32Array(8 * n), 8, n); // room for 4 rows at row 4
        wasm.gemmBiasRelu(m, n, k, px, k, 1, pw, n, py, n, pb, 1);
        let y = get(py, m, n);
        expect(y.subarray(4 * n, 5 * n)).toEqual(y.subarray(0, n));
        wasm.gemm(m, n, k, px, k, 1, pw, n, py, n, 1); // accumulate
        y = get(py, m, n);
        expect(y.subarray(4 * n, 5 * n)).toEqual(y.subarray(0, n));
        wasm.gemmBiasRelu(1, n, k, px, k, 1, pw, n, py, n, pb, 0); // batch 1 alone
        wasm.gemmBiasRelu(4, n, k, px, k, 1, pw, n, py + 4 * n * 4, n, pb, 0);
        y = get(py, m, n);
        expect(y.subarray(0, n)).toEqual(y.subarray(4 * n, 5 * n));
      }
    });

    it('transpose: 4×4 register tiles and element edges, for every shape class', () => {
      for (const [rows, cols] of [[1, 1], [1, 7], [7, 1], [4, 4], [5, 3], [16, 16], [17, 33], [33, 17], [64, 20], [3, 256]]) {
        const a = randomArray(rows * cols, `t${rows}x${cols}`);
        const pa = put(a, rows, cols), pt = put(randomArray(rows * cols, 'junk'), cols, rows);
        wasm.transpose(pa, rows, cols, pt);
        expect(get(pt, cols, rows)).toEqual(transpose64(a, rows, cols));
      }
    });

    it('colsum gives the bias gradient Σ_rows dZ, with stride and accumulate', () => {
      for (const [m, n] of [[1, 1], [7, 13], [256, 3], [3, 32], [5, 70], [256, 64]]) {
        const dz = randomArray(m * n, `cs${m}${n}`);
        const ld = n + 2;
        const p = put(dz, m, n, ld), out = put(randomArray(n, 'start'), 1, n);
        wasm.colsum(p, ld, m, n, out, 0);
        const want = new Float64Array(n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) want[j] += dz[i * n + j];
        expect(relError(get(out, 1, n), want)).toBeLessThan(1e-5);
        wasm.colsum(p, ld, m, n, out, 1);
        expect(relError(get(out, 1, n), want.map((v) => 2 * v))).toBeLessThan(1e-5);
      }
    });
  });

  describe('bias + activation kernels', () => {
    it('relu keeps NaN in the vector lanes and the scalar tail alike (divergence must reach the output)', () => {
      const m = 3, n = 6, k = 2;
      const x = Float32Array.from([NaN, 1, 1, 1, 1, NaN]), w = randomArray(k * n, 'nanw'), b = new Float32Array(n);
      const px = put(x, m, k), pw = put(w, k, n), pb = put(b, 1, n), py = put(new Float32Array(m * n), m, n);
      wasm.gemmBiasRelu(m, n, k, px, k, 1, pw, n, py, n, pb, 1);
      const y = get(py, m, n);
      for (const r of [0, 2]) for (let j = 0; j < n; j++) expect(y[r * n + j]).toBeNaN();
      expect(y.subarray(n, 2 * n).every(Number.isFinite)).toBe(true);
    });

    it('activationBackward on dense blocks (the flat pass): relu and tanh, odd sizes', () => {
      for (const [m, n] of [[1, 1], [3, 7], [256, 64], [5, 13]]) {
        for (const code of [1, 2]) {
          const h = randomArray(m * n, `dh-h${m}${n}${code}`, -1, 1), d = randomArray(m * n, `dh-d${m}${n}${code}`);
          const ph = put(h, m, n), pd = put(d, m, n);
          wasm.activationBackward(pd, n, ph, n, m, n, code);
          const want = Float64Array.from(d, (v, i) => v * (code === 1 ? (h[i] > 0 ? 1 : 0) : 1 - h[i] * h[i]));
          expect(relError(get(pd, m, n), want)).toBeLessThan(1e-6);
        }
      }
    });

    it('tanhRows applies tanh in place on a strided block', () => {
      const m = 4, n = 3, ld = 5;
      const z = randomArray(m * n, 'tanh-rows', -3, 3);
      const p = put(z, m, n, ld);
      wasm.tanhRows(p, ld, m, n);
      expect(relError(get(p, m, n, ld), Float64Array.from(z, Math.tanh))).toBeLessThan(1e-6);
    });

    const acts = [['identity', 0], ['relu', 1], ['tanh', 2]] as const;
    const f = (a: number, z: number) => (a === 1 ? Math.max(0, z) : a === 2 ? Math.tanh(z) : z);
    for (const [name, code] of acts) {
      it(`${name}: y = f(y + b) and dz = dh ⊙ f′ on a 5×11 block with stride 13`, () => {
        const m = 5, n = 11, ld = 13;
        const z = randomArray(m * n, `z${name}`, -2, 2), b = randomArray(n, `b${name}`);
        const py = put(z, m, n, ld), pb = put(b, 1, n);
        wasm.biasActivate(py, ld, m, n, pb, code);
        const h = get(py, m, n, ld);
        const want = new Float64Array(m * n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) want[i * n + j] = f(code, z[i * n + j] + b[j]);
        expect(relError(h, want)).toBeLessThan(1e-6);
        if (code === 1) expect(h.filter((v) => v === 0).length).toBeGreaterThan(5); // some units are off

        const dh = randomArray(m * n, `dh${name}`);
        const pdh = put(dh, m, n, ld);
        wasm.activationBackward(pdh, ld, py, ld, m, n, code);
        const dwant = new Float64Array(m * n);
        for (let i = 0; i < m * n; i++) {
          const zz = z[i] + b[i % n];
          const d = code === 1 ? (zz > 0 ? 1 : 0) : code === 2 ? 1 - Math.tanh(zz) ** 2 : 1;
          dwant[i] = dh[i] * d;
        }
        expect(relError(get(pdh, m, n, ld), dwant)).toBeLessThan(1e-5);
      });
    }
  });
});
