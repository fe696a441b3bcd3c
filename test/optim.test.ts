// Adam, Polyak, hard copy and MSE against hand-written float64 formulas over several steps.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../src/index.js';
import { randomArray, relError } from './helpers/ref64.js';
import { ENGINE_BUILDS } from './helpers/kernels.js';

let engine: Engine;
describe.each(ENGINE_BUILDS)('$name build', (build) => {
  beforeAll(async () => { engine = await loadEngine({ simd: build.simd }); });

  /** PyTorch's Adam in float64: g += wd·p; m, v moments; p -= lr/bc1 · m / (√v/√bc2 + eps). */
  function adamRef(p: Float64Array, grads: Float32Array[], lr: number, b1: number, b2: number, eps: number, wd: number): Float64Array {
    const m = new Float64Array(p.length), v = new Float64Array(p.length);
    grads.forEach((g, step) => {
      const t = step + 1;
      const bc1 = 1 - b1 ** t, bc2 = 1 - b2 ** t;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] + wd * p[i];
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        p[i] -= (lr / bc1) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + eps);
      }
    });
    return p;
  }

  describe('Adam', () => {
    for (const [label, opts] of [
      ['defaults', { lr: 1e-3 }],
      ['custom betas, eps and L2 weight decay', { lr: 3e-2, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 1e-2 }],
    ] as const) {
      it(`matches the float64 formula over 7 steps (${label}); odd parameter count`, () => {
        const net = engine.mlp({ sizes: [3, 5, 2], seed: 3, finalInitScale: 0.3 }); // 32 params: 4-wide and tail paths
        const start = net.getParams();
        const opt = engine.adam(net, opts);
        const grads: Float32Array[] = [];
        for (let s = 0; s < 7; s++) {
          const g = randomArray(net.paramCount, `g${label}${s}`, -2, 2);
          grads.push(g);
          net.gradsView().set(g);
          opt.step();
        }
        const want = adamRef(Float64Array.from(start), grads, opts.lr, 'beta1' in opts ? opts.beta1 : 0.9,
          'beta2' in opts ? opts.beta2 : 0.999, 'eps' in opts ? opts.eps : 1e-8, 'weightDecay' in opts ? opts.weightDecay : 0);
        const got = net.getParams();
        expect(opt.t).toBe(7);
        let worst = 0;
        for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i] - start[i]), 1e-6));
        expect(worst).toBeLessThan(1e-3); // relative to how far each parameter moved
        expect(relError(got, want)).toBeLessThan(1e-5);
        expect(relError(got, start)).toBeGreaterThan(1e-3); // it moved
      });
    }

    it('state round-trips: restoring m, v, t continues identically', () => {
      const a = engine.mlp({ sizes: [2, 7, 1], seed: 9 });
      const b = engine.mlp({ sizes: [2, 7, 1], seed: 9 });
      const oa = engine.adam(a, { lr: 1e-2 }), ob = engine.adam(b, { lr: 1e-2 });
      a.gradsView().set(randomArray(a.paramCount, 'st1')); oa.step();
      ob.setState(oa.getState()); b.setParams(a.getParams());
      const g = randomArray(a.paramCount, 'st2');
      a.gradsView().set(g); b.gradsView().set(g); oa.step(); ob.step();
      expect(Array.from(b.getParams())).toEqual(Array.from(a.getParams()));
    });
  });

  describe('target networks', () => {
    it('polyak: t ← τ·s + (1−τ)·t, several steps, against float64', () => {
      const s = engine.mlp({ sizes: [3, 9, 2], seed: 1, finalInitScale: 0.5 });
      const t = engine.mlp({ sizes: [3, 9, 2], seed: 2, finalInitScale: 0.5 });
      const sp = s.getParams();
      const want = Float64Array.from(t.getParams());
      for (const tau of [0.005, 0.1, 0.37]) {
        engine.polyak(t, s, tau);
        for (let i = 0; i < want.length; i++) want[i] = tau * sp[i] + (1 - tau) * want[i];
      }
      expect(relError(t.getParams(), want)).toBeLessThan(1e-6);
      expect(Array.from(s.getParams())).toEqual(Array.from(sp)); // source untouched
    });

    it('copyParams is an exact copy, and τ = 1 too', () => {
      const s = engine.mlp({ sizes: [3, 5, 1], seed: 4 });
      const t = engine.mlp({ sizes: [3, 5, 1], seed: 5 });
      engine.copyParams(t, s);
      expect(Array.from(t.getParams())).toEqual(Array.from(s.getParams()));
      const u = engine.mlp({ sizes: [3, 5, 1], seed: 6 });
      engine.polyak(u, s, 1);
      expect(Array.from(u.getParams())).toEqual(Array.from(s.getParams()));
    });

    it('refuses mismatched shapes, the same net, and τ outside (0, 1]', () => {
      const a = engine.mlp({ sizes: [3, 5, 1] }), b = engine.mlp({ sizes: [3, 6, 1] });
      expect(() => engine.polyak(a, b, 0.1)).toThrow(/differ in shape \(\[3,5,1\] vs \[3,6,1\]\)/);
      expect(() => engine.copyParams(a, a)).toThrow(/same network/);
      expect(() => engine.polyak(a, engine.mlp({ sizes: [3, 5, 1] }), 0)).toThrow(/tau must be a number in \(0, 1\], got 0/);
    });
  });

  describe('MSE loss', () => {
    it('accepts a view into engine memory even when its scratch must grow memory first', () => {
      const net = engine.mlp({ sizes: [4, 8, 1], seed: 1, finalInitScale: 0.5 });
      const n = 200_000;
      const y = net.forward(randomArray(n * 4, 'big-x'), n); // a view into WASM memory
      const t = randomArray(n, 'big-t');
      let want = 0;
      for (let i = 0; i < n; i++) want += (y[i] - t[i]) ** 2;
      expect(engine.mseLoss(y, t, new Float32Array(n))).toBeCloseTo(want / n, 5);
    });

    it('L = mean((q − y)²), ∂L/∂q = 2(q − y)/n, batch 1 and 13', () => {
      for (const n of [1, 13]) {
        const q = randomArray(n, `q${n}`, -3, 3), y = randomArray(n, `y${n}`, -3, 3);
        const grad = new Float32Array(n);
        const loss = engine.mseLoss(q, y, grad);
        let want = 0;
        for (let i = 0; i < n; i++) want += (q[i] - y[i]) ** 2;
        expect(loss).toBeCloseTo(want / n, 5);
        expect(relError(grad, Array.from(q, (v, i) => (2 * (v - y[i])) / n))).toBeLessThan(1e-6);
      }
    });
  });
});
