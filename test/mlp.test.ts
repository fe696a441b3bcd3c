// The MLP's reverse-mode autodiff against central finite differences of a float64 reference net,
// for every activation, odd sizes, batch 1 and batch > 1, with and without a second input joining.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine, type Mlp } from '../src/index.js';
import { finiteDiff, randomArray, refForward, relError, weightedSum, type RefNet } from './helpers/ref64.js';
import { ENGINE_BUILDS } from './helpers/kernels.js';

let engine: Engine;
describe.each(ENGINE_BUILDS)('$name build', (build) => {
  beforeAll(async () => { engine = await loadEngine({ simd: build.simd }); });

  interface Case { sizes: number[]; hidden: 'relu' | 'tanh'; output: 'identity' | 'tanh'; batch: number; join?: { layer: number; size: number } }

  const CASES: Case[] = [
    { sizes: [3, 5, 7, 2], hidden: 'relu', output: 'identity', batch: 1 },
    { sizes: [3, 5, 7, 2], hidden: 'relu', output: 'identity', batch: 6 },
    { sizes: [3, 5, 7, 2], hidden: 'tanh', output: 'tanh', batch: 1 },
    { sizes: [3, 5, 7, 2], hidden: 'tanh', output: 'identity', batch: 9 },
    { sizes: [3, 5, 7, 2], hidden: 'relu', output: 'tanh', batch: 5 },
    { sizes: [1, 1], hidden: 'relu', output: 'identity', batch: 3 },
    { sizes: [6, 17, 1], hidden: 'relu', output: 'identity', batch: 13 },
    { sizes: [4, 9, 6, 1], hidden: 'relu', output: 'identity', batch: 7, join: { layer: 0, size: 2 } },
    { sizes: [4, 9, 6, 1], hidden: 'tanh', output: 'identity', batch: 1, join: { layer: 1, size: 3 } },
    { sizes: [4, 9, 6, 1], hidden: 'relu', output: 'identity', batch: 5, join: { layer: 2, size: 1 } },
  ];

  function name(c: Case): string {
    return `${c.sizes.join('→')} ${c.hidden}/${c.output} batch ${c.batch}${c.join ? ` join@${c.join.layer}×${c.join.size}` : ''}`;
  }

  /** A net whose parameters are O(1) random values, so every layer carries real gradient. */
  function makeNet(c: Case, seed: number): Mlp {
    const net = engine.mlp({ sizes: c.sizes, hidden: c.hidden, output: c.output, seed, join: c.join });
    net.setParams(randomArray(net.paramCount, `p${seed}`, -0.8, 0.8));
    return net;
  }

  describe('MLP backward vs float64 finite differences (max rel. error ≤ 1e−3)', () => {
    CASES.forEach((c, idx) => {
      it(name(c), () => {
        const net = makeNet(c, idx + 1);
        const ref: RefNet = { sizes: c.sizes, hidden: c.hidden, output: c.output, join: c.join };
        const out = c.sizes[c.sizes.length - 1];
        const x = randomArray(c.batch * c.sizes[0], `x${idx}`, -1.5, 1.5);
        const extra = c.join ? randomArray(c.batch * c.join.size, `e${idx}`, -1, 1) : undefined;
        const r = randomArray(c.batch * out, `r${idx}`, -1, 1);
        const params = net.getParams();

        const y = net.forward(x, c.batch, extra).slice();
        expect(relError(y, refForward(ref, params, x, c.batch, extra))).toBeLessThan(1e-5);

        const dx = net.backward(r).slice();
        const dExtra = c.join ? net.joinGrad().slice() : undefined;
        const grads = net.getGrads();

        const fdParams = finiteDiff((p) => weightedSum(refForward(ref, p, x, c.batch, extra), r), params);
        const fdX = finiteDiff((v) => weightedSum(refForward(ref, params, v, c.batch, extra), r), x);
        // Per layer, so a broken layer cannot hide behind a large gradient elsewhere.
        for (const layer of net.layers) {
          const w = [layer.wOffset, layer.bOffset] as const, end = layer.bOffset + layer.out;
          expect(relError(grads.subarray(w[0], w[1]), fdParams.subarray(w[0], w[1]))).toBeLessThan(1e-3);
          expect(relError(grads.subarray(w[1], end), fdParams.subarray(w[1], end))).toBeLessThan(1e-3);
        }
        expect(relError(dx, fdX)).toBeLessThan(1e-3);
        if (c.join && extra && dExtra) {
          const fdE = finiteDiff((v) => weightedSum(refForward(ref, params, x, c.batch, v), r), extra);
          expect(relError(dExtra, fdE)).toBeLessThan(1e-3);
        }
        // The gradient is not trivially zero.
        expect(Math.max(...grads.map(Math.abs))).toBeGreaterThan(1e-3);
      });
    });

    it('accumulate adds to stored gradients; paramGrads:false leaves them alone', () => {
      const c = CASES[1];
      const net = makeNet(c, 77);
      const x = randomArray(c.batch * 3, 'acc-x'), r = randomArray(c.batch * 2, 'acc-r');
      net.forward(x, c.batch);
      net.backward(r);
      const g1 = net.getGrads();
      net.backward(r, { accumulate: true });
      const g2 = net.getGrads();
      expect(relError(g2, g1.map((v) => 2 * v))).toBeLessThan(1e-6);
      net.backward(randomArray(c.batch * 2, 'other'), { paramGrads: false });
      expect(Array.from(net.getGrads())).toEqual(Array.from(g2));
    });
  });

  describe('batch sizes share one network', () => {
    it('batch 1 after batch 11 gives the same row as the batch-11 pass; capacity grows without changing results', () => {
      const net = engine.mlp({ sizes: [3, 16, 8, 2], seed: 5, finalInitScale: 0.5 });
      const x = randomArray(11 * 3, 'rows', -2, 2);
      const big = net.forward(x, 11).slice();
      for (const i of [0, 6, 10]) {
        const one = net.forward(x.subarray(i * 3, i * 3 + 3), 1).slice();
        expect(Array.from(one)).toEqual(Array.from(big.subarray(i * 2, i * 2 + 2)));
      }
      const bigger = net.forward(new Float32Array([...x, ...x, ...x]), 33).slice(); // grows capacity
      expect(Array.from(bigger.subarray(22, 44))).toEqual(Array.from(big));
    });
  });

  describe('initialisation', () => {
    it('fan-in uniform hidden layers, ±3e−3 final layer, seeded bit for bit', () => {
      const a = engine.mlp({ sizes: [3, 64, 48, 1], seed: 42 });
      const b = engine.mlp({ sizes: [3, 64, 48, 1], seed: 42 });
      const c = engine.mlp({ sizes: [3, 64, 48, 1], seed: 43 });
      const pa = a.getParams();
      expect(Array.from(pa)).toEqual(Array.from(b.getParams()));
      expect(relError(pa, c.getParams())).toBeGreaterThan(0.1);
      a.layers.forEach((layer, l) => {
        const bound = l === a.layers.length - 1 ? 3e-3 : 1 / Math.sqrt(layer.in);
        const w = pa.subarray(layer.wOffset, layer.bOffset + layer.out);
        const maxAbs = Math.max(...w.map(Math.abs));
        expect(maxAbs).toBeLessThanOrEqual(bound);
        expect(maxAbs).toBeGreaterThan(0.8 * bound); // really spread over the range
      });
      expect(a.paramCount).toBe(3 * 64 + 64 + 64 * 48 + 48 + 48 + 1);
      const d = engine.mlp({ sizes: [3, 8, 1], seed: 1, finalInitScale: 0.25 });
      const last = d.layers[1];
      expect(Math.max(...d.getParams().subarray(last.wOffset).map(Math.abs))).toBeGreaterThan(0.1);
    });
  });

  describe('clear errors for bad input', () => {
    it('names what was wrong and what was expected', () => {
      const net = engine.mlp({ sizes: [3, 4, 2] });
      expect(() => net.forward(new Float32Array(5), 2)).toThrow(/length 5, expected 6 \(batch 2 × input size 3\)/);
      const x = new Float32Array(6).fill(0.5); x[4] = NaN;
      expect(() => net.forward(x, 2)).toThrow(/NaN at row 1, column 1/);
      x[4] = Infinity;
      expect(() => net.forward(x, 2)).toThrow(/Infinity at row 1, column 1/);
      expect(() => net.forward(new Float32Array(6), 0)).toThrow(/batch must be a positive integer, got 0/);
      expect(() => engine.mlp({ sizes: [3, 0, 2] })).toThrow(/sizes\[1\] must be a positive integer, got 0/);
      expect(() => engine.mlp({ sizes: [3] })).toThrow(/at least an input and an output/);
      expect(() => engine.mlp({ sizes: [3, 2], hidden: 'gelu' as 'relu' })).toThrow(/unknown hidden activation 'gelu'/);
      expect(() => engine.mlp({ sizes: [3, 2], output: 'softmax' as 'tanh' })).toThrow(/unknown output activation 'softmax'/);
      expect(() => engine.mlp({ sizes: [3, 2], join: { layer: 1, size: 2 } })).toThrow(/join.layer must be an integer in \[0, 0\]/);
      const fresh = engine.mlp({ sizes: [3, 2] });
      expect(() => fresh.backward(new Float32Array(2))).toThrow(/needs a forward\(\) first/);
      net.forward(new Float32Array(6).fill(0.1), 2);
      expect(() => net.backward(new Float32Array(3))).toThrow(/backward dy has length 3, expected 4/);
      expect(() => net.setParams(new Float32Array(net.paramCount - 1))).toThrow(/setParams has length/);
      expect(() => engine.adam(net, { lr: -1 })).toThrow(/adam lr must be a positive finite number, got -1/);
      expect(() => engine.adam(net, { lr: 1e-3, beta1: 1 })).toThrow(/beta1 must be in \[0, 1\)/);
      const joined = engine.mlp({ sizes: [3, 4, 1], join: { layer: 1, size: 1 } });
      expect(() => joined.forward(new Float32Array(3), 1)).toThrow(/takes a second input at layer 1/);
    });
  });
});
