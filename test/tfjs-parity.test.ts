// Parity of the WASM engine against TensorFlow.js (tfjs-core + the pure-JS cpu backend, float32) on the
// same weights: forward outputs, the gradients of L = sum(y ⊙ R) (so dy = R) w.r.t. every parameter, the
// input and the join input, and Adam steps fed the same gradients. The tfjs side is written from the
// documented layout only (W [in × out] row-major then b [out] per layer; a join concatenates [h, a]
// before that layer's matmul), never from the engine code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core in Node registers no gradient functions on its own; tfjs-layers imports them all.
import '@tensorflow/tfjs-layers';
import { loadEngine, type Engine, type Mlp, type MlpOptions } from '../src/index.js';

const TOL = 1e-4;
const FLOOR = 1e-6;

type Rng = () => number;

/** Uniform in ±[lo, hi]: never zero, random sign. */
function nonZero(rng: Rng, n: number, lo = 0.05, hi = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rng() < 0.5 ? -1 : 1) * (lo + (hi - lo) * rng());
  return a;
}

/** Random parameters in the documented flat layout, U(±1/√in) per layer (order-1 outputs). */
function randomParams(net: Mlp, rng: Rng): Float32Array {
  const p = new Float32Array(net.paramCount);
  for (const l of net.layers) {
    const bound = 1 / Math.sqrt(l.in);
    for (let i = l.wOffset; i < l.bOffset + l.out; i++) p[i] = (2 * rng() - 1) * bound;
  }
  return p;
}

/** max|a − b| / max(max|b|, FLOOR). */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / Math.max(den, FLOOR);
}

// ------------------------------------------------------------------- error bookkeeping

const worst = new Map<string, { err: number; where: string }>();

/** Records the relative error of `ours` vs `ref` under `kind` and asserts it is within TOL. */
function check(kind: string, where: string, ours: ArrayLike<number>, ref: ArrayLike<number>): void {
  const err = relErr(ours, ref);
  const w = worst.get(kind);
  if (!w || err > w.err) worst.set(kind, { err, where });
  if (!(err <= TOL)) {
    const i = argMaxDiff(ours, ref);
    throw new Error(`${kind} mismatch at ${where}: rel err ${err.toExponential(3)} > ${TOL}; ` +
      `worst index ${i}: ours ${ours[i]} vs tfjs ${ref[i]} (len ${ours.length})`);
  }
  expect(err).toBeLessThanOrEqual(TOL);
}

function argMaxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let best = 0, d = -1;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > d) { d = Math.abs(a[i] - b[i]); best = i; }
  return best;
}

// ------------------------------------------------------------------- the tfjs reference

interface Case {
  name: string;
  opts: MlpOptions;
  /** 'random': setParams with U(±1/√in) everywhere; 'init': the engine's own seeded init. */
  params: 'random' | 'init';
  batches: number[];
}

const CASES: Case[] = [
  { name: '[3,5,7,2] relu/identity', opts: { sizes: [3, 5, 7, 2], hidden: 'relu', output: 'identity', seed: 1 }, params: 'random', batches: [1, 7] },
  { name: '[4,9,6,3] tanh/tanh', opts: { sizes: [4, 9, 6, 3], hidden: 'tanh', output: 'tanh', seed: 2 }, params: 'random', batches: [1, 13] },
  { name: '[5,16,1] relu (engine init)', opts: { sizes: [5, 16, 1], hidden: 'relu', seed: 3 }, params: 'init', batches: [1, 13] },
  { name: '[5,16,1] relu', opts: { sizes: [5, 16, 1], hidden: 'relu', seed: 4 }, params: 'random', batches: [7, 13] },
  { name: '[2,3] single layer tanh out', opts: { sizes: [2, 3], output: 'tanh', seed: 5 }, params: 'random', batches: [1, 7] },
  { name: '[6,33,17,4] relu/tanh', opts: { sizes: [6, 33, 17, 4], hidden: 'relu', output: 'tanh', seed: 6 }, params: 'random', batches: [13] },
  // the benchmark's shape: full 4×8 GEMM blocks, long reductions (k = 256)
  { name: '[4,256,256,1] relu (bench shape)', opts: { sizes: [4, 256, 256, 1], hidden: 'relu', seed: 10 }, params: 'random', batches: [256] },
  { name: '[4,8,6,1] join@1 size 2 (critic)', opts: { sizes: [4, 8, 6, 1], hidden: 'relu', seed: 7, join: { layer: 1, size: 2 } }, params: 'random', batches: [1, 7, 13] },
  { name: '[3,16,1] join@0 size 2', opts: { sizes: [3, 16, 1], hidden: 'tanh', seed: 8, join: { layer: 0, size: 2 } }, params: 'random', batches: [1, 13] },
  { name: '[3,10,12,1] join@2 size 3', opts: { sizes: [3, 10, 12, 1], hidden: 'tanh', seed: 9, join: { layer: 2, size: 3 } }, params: 'random', batches: [7] },
];

/** Split the flat parameter vector into [W0, b0, W1, b1, …] tensors of the documented shapes. */
function paramTensors(net: Mlp, p: Float32Array): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  for (const l of net.layers) {
    out.push(tf.tensor2d(p.subarray(l.wOffset, l.wOffset + l.in * l.out), [l.in, l.out]));
    out.push(tf.tensor1d(p.subarray(l.bOffset, l.bOffset + l.out)));
  }
  return out;
}

/** Flattens [W0, b0, W1, b1, …] back into the documented flat layout. */
function flatten(net: Mlp, ts: tf.Tensor[]): Float32Array {
  const flat = new Float32Array(net.paramCount);
  net.layers.forEach((l, i) => {
    flat.set(ts[2 * i].dataSync() as Float32Array, l.wOffset);
    flat.set(ts[2 * i + 1].dataSync() as Float32Array, l.bOffset);
  });
  return flat;
}

function activate(z: tf.Tensor, act: string): tf.Tensor {
  if (act === 'relu') return tf.relu(z);
  if (act === 'tanh') return tf.tanh(z);
  if (act === 'identity') return z;
  throw new Error(`unknown activation ${act}`);
}

/** y = f(… f([h, a]·W + b) …) with the join input `a` concatenated before layer join.layer. */
function tfForward(net: Mlp, x: tf.Tensor, a: tf.Tensor | null, params: tf.Tensor[]): tf.Tensor {
  let h = x;
  net.layers.forEach((l, i) => {
    if (net.join && net.join.layer === i) h = tf.concat([h, a!], 1);
    h = activate(tf.add(tf.matMul(h, params[2 * i]), params[2 * i + 1]), l.act);
  });
  return h;
}

interface Reference {
  y: Float32Array;
  grads: Float32Array;
  dx: Float32Array;
  dJoin: Float32Array | null;
}

/** Forward and the gradients of sum(y ⊙ R) w.r.t. x, the join input and every parameter. */
function reference(net: Mlp, p: Float32Array, x: Float32Array, a: Float32Array | null, r: Float32Array, batch: number): Reference {
  let out: Reference | undefined;
  tf.tidy(() => {
    const params = paramTensors(net, p);
    const xT = tf.tensor2d(x, [batch, net.inputSize]);
    const aT = a ? tf.tensor2d(a, [batch, net.join!.size]) : null;
    const rT = tf.tensor2d(r, [batch, net.outputSize]);
    const y = tfForward(net, xT, aT, params);
    const inputs = aT ? [xT, aT, ...params] : [xT, ...params];
    const g = tf.grads((...args: tf.Tensor[]) => {
      const [xx, aa, ps] = aT ? [args[0], args[1], args.slice(2)] : [args[0], null, args.slice(1)];
      return tf.sum(tf.mul(tfForward(net, xx, aa, ps), rT));
    })(inputs);
    const dParams = aT ? g.slice(2) : g.slice(1);
    out = {
      y: y.dataSync() as Float32Array,
      grads: flatten(net, dParams),
      dx: g[0].dataSync() as Float32Array,
      dJoin: aT ? (g[1].dataSync() as Float32Array) : null,
    };
  });
  return out!;
}

// ------------------------------------------------------------------- tests

let engine: Engine;

beforeAll(async () => {
  tf.enableProdMode(); // silences the "install tfjs-node" banner; only affects warnings
  expect(await tf.setBackend('cpu')).toBe(true);
  await tf.ready();
  engine = await loadEngine();
});

afterAll(() => {
  const rows = [...worst.entries()].map(([kind, w]) => `  ${kind.padEnd(22)} ${w.err.toExponential(2)}  (${w.where})`);
  // eslint-disable-next-line no-console
  console.log(`tfjs parity (tfjs-core ${tf.version_core}, backend ${tf.getBackend()}), worst relative errors, tol ${TOL}:\n${rows.join('\n')}`);
});

describe('tfjs setup', () => {
  it('uses the cpu backend with gradients registered', () => {
    expect(tf.getBackend()).toBe('cpu');
    const g = tf.grads((u: tf.Tensor) => tf.sum(tf.relu(u)))([tf.tensor1d([1, -1])]);
    expect(Array.from(g[0].dataSync())).toEqual([1, 0]);
  });
});

describe.each(CASES)('$name', (c) => {
  function build(seed: number): { net: Mlp; rng: Rng } {
    const net = engine.mlp(c.opts);
    const rng = seedrandom(`parity:${c.name}:${seed}`);
    if (c.params === 'random') net.setParams(randomParams(net, rng));
    return { net, rng };
  }

  function inputs(net: Mlp, rng: Rng, batch: number) {
    const x = nonZero(rng, batch * net.inputSize);
    const a = net.join ? nonZero(rng, batch * net.join.size) : null;
    const r = nonZero(rng, batch * net.outputSize);
    return { x, a, r };
  }

  it('forward, parameter gradients, dx and joinGrad match tfjs', () => {
    const { net, rng } = build(0);
    // Same net across batches: exercises buffer growth (1 → 7 → 13) as well.
    for (const batch of c.batches) {
      const where = `${c.name} batch ${batch}`;
      const p = net.getParams();
      const { x, a, r } = inputs(net, rng, batch);
      const ref = reference(net, p, x, a, r, batch);

      const y = net.forward(x, batch, a ?? undefined).slice();
      expect(y.length).toBe(batch * net.outputSize);
      check('forward y', where, y, ref.y);

      const dx = net.backward(r).slice();
      expect(dx.length).toBe(batch * net.inputSize);
      check('param grads', where, net.getGrads(), ref.grads);
      // per-array too, so a layout slip in one layer is named
      net.layers.forEach((l, i) => {
        const g = net.getGrads();
        check('param grads', `${where} W${i}`, g.subarray(l.wOffset, l.wOffset + l.in * l.out), ref.grads.subarray(l.wOffset, l.wOffset + l.in * l.out));
        check('param grads', `${where} b${i}`, g.subarray(l.bOffset, l.bOffset + l.out), ref.grads.subarray(l.bOffset, l.bOffset + l.out));
      });
      check('input grad dx', where, dx, ref.dx);
      if (net.join) check('joinGrad', where, net.joinGrad(), ref.dJoin!);
      // the parameters are untouched by forward/backward
      expect(Array.from(net.getParams())).toEqual(Array.from(p));
    }
  });

  it('Adam steps match tf.train.adam(lr, 0.9, 0.999, 1e-8) on the same gradients', async () => {
    const { net, rng } = build(1);
    const lr = 1e-2;
    const opt = engine.adam(net, { lr });
    const tfOpt = tf.train.adam(lr, 0.9, 0.999, 1e-8);
    const p0 = net.getParams();
    const vars = paramTensors(net, p0).map((t, i) => {
      const v = tf.variable(t, true, `parity_${c.opts.seed}_${i}_${Math.floor(rng() * 1e9)}`);
      t.dispose();
      return v;
    });
    const batch = c.batches[c.batches.length - 1];
    const steps = 5;
    try {
      for (let s = 1; s <= steps; s++) {
        const where = `${c.name} step ${s}`;
        const { x, a, r } = inputs(net, rng, batch);
        net.forward(x, batch, a ?? undefined);
        net.backward(r);
        const g = net.getGrads();
        if (s === 1) {
          // the gradients fed to both optimizers are tfjs's gradients too (at the shared starting point)
          check('param grads', `${where} (adam start)`, g, reference(net, p0, x, a, r, batch).grads);
        }
        const before = net.getParams();
        const tfBefore = flatten(net, vars);
        opt.step();
        const gts = paramTensors(net, g);
        tfOpt.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: gts[i] })));
        tf.dispose(gts);

        const after = net.getParams();
        const tfAfter = flatten(net, vars);
        check('adam params', where, after, tfAfter);
        const dOurs = after.map((v, i) => v - before[i]);
        const dRef = tfAfter.map((v, i) => v - tfBefore[i]);
        check('adam update Δp', where, dOurs, dRef);
        expect(opt.t).toBe(s);
      }
      // optimizer state: tfjs keeps [iterations, m_i…, v_i…] named `${var}/m`, `${var}/v`
      const state = opt.getState();
      const weights = await tfOpt.getWeights();
      const byName = new Map(weights.map((w) => [w.name, w.tensor]));
      const m = flatten(net, vars.map((v) => byName.get(`${v.name}/m`)!));
      const vv = flatten(net, vars.map((v) => byName.get(`${v.name}/v`)!));
      check('adam m', `${c.name} after ${steps}`, state.m, m);
      check('adam v', `${c.name} after ${steps}`, state.v, vv);
    } finally {
      tf.dispose(vars);
      tfOpt.dispose();
    }
  });
});
