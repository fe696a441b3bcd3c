// One MLP training step — forward, backward of the MSE loss, Adam — for sizes [4, 256, 256, 1] (ReLU
// hidden, identity output) at batch 256: ddpg-wasm vs TensorFlow.js on its wasm and cpu backends.
// The tfjs side is written the way a user would: variables, tf.train.adam, optimizer.minimize inside
// tf.tidy, the loss read back with dataSync outside the tidy. Both sides start from the same weights,
// inputs and targets (random, non-zero), and the first-step losses are checked to agree.
//
//   npx tsx bench/mlp-step.ts                      (writes bench/results/mlp-step.json; ~25 s)
//   BENCH_MAX_TIME=2 npx tsx bench/mlp-step.ts    (seconds of sampling per case, default 4)
//   BENCH_TFJS_THREADS=2 npx tsx bench/mlp-step.ts (asks tfjs-wasm for threads; Node ignores it, see tfjs-util.ts)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import b from 'benny';
import seedrandom from 'seedrandom';
import type { Rank, Tensor, Variable } from '@tensorflow/tfjs-core';
import { loadEngine, type Mlp } from '../src/index.js';
import { setupTf, type TfSetup } from './tfjs-util.js';

const SIZES = [4, 256, 256, 1];
const BATCH = 256;
const LR = 1e-3;
const MAX_TIME = Number(process.env.BENCH_MAX_TIME ?? 4);
const MIN_SAMPLES = 10;
const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'mlp-step.json');

type Tf = TfSetup['tf'];

// ------------------------------------------------------------------ data

const rng = seedrandom('bench:mlp-step');
function nonZero(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rng() < 0.5 ? -1 : 1) * (0.05 + 0.95 * rng());
  return a;
}
const X = nonZero(BATCH * SIZES[0]);
const T = nonZero(BATCH * SIZES[SIZES.length - 1]);

// ------------------------------------------------------------------ ddpg-wasm

const engine = await loadEngine();
const net = engine.mlp({ sizes: SIZES, hidden: 'relu', output: 'identity', seed: 1, finalInitScale: 0.05, maxBatch: BATCH });
const P0 = net.getParams();
const opt = engine.adam(net, { lr: LR });
const dy = new Float32Array(BATCH * SIZES[SIZES.length - 1]);

function oursStep(): number {
  const y = net.forward(X, BATCH);
  const loss = engine.mseLoss(y, T, dy);
  net.backward(dy, { inputGrad: false });
  opt.step();
  return loss;
}

// ------------------------------------------------------------------ tfjs

interface TfModel {
  step(): number;
  dispose(): void;
}

/** Variables W_l [in × out], b_l [out] holding the same initial values as ours. */
function tfVariables(tf: Tf, layout: Mlp, p: Float32Array): { Ws: Variable<Rank.R2>[]; bs: Variable<Rank.R1>[] } {
  const Ws: Variable<Rank.R2>[] = [], bs: Variable<Rank.R1>[] = [];
  for (const l of layout.layers) {
    Ws.push(tf.variable(tf.tensor2d(p.slice(l.wOffset, l.wOffset + l.in * l.out), [l.in, l.out])));
    bs.push(tf.variable(tf.tensor1d(p.slice(l.bOffset, l.bOffset + l.out))));
  }
  return { Ws, bs };
}

function tfModel(tf: Tf, fused: boolean): TfModel {
  const { Ws, bs } = tfVariables(tf, net, P0);
  const vars = [...Ws, ...bs];
  const x = tf.tensor2d(X, [BATCH, SIZES[0]]);
  const t = tf.tensor2d(T, [BATCH, SIZES[SIZES.length - 1]]);
  const optimizer = tf.train.adam(LR);
  const predict = (input: Tensor): Tensor => {
    let h = input;
    Ws.forEach((W, l) => {
      const last = l === Ws.length - 1;
      if (fused) {
        h = tf.fused.matMul({ a: h, b: W, bias: bs[l], activation: last ? 'linear' : 'relu' });
      } else {
        const z = tf.add(tf.matMul(h, W), bs[l]);
        h = last ? z : tf.relu(z);
      }
    });
    return h;
  };
  return {
    step(): number {
      const lossT = tf.tidy(() => optimizer.minimize(() => tf.losses.meanSquaredError(t, predict(x)), true, vars)!);
      const loss = lossT.dataSync()[0];
      lossT.dispose();
      return loss;
    },
    dispose(): void {
      tf.dispose([...vars, x, t]);
      optimizer.dispose();
    },
  };
}

// ------------------------------------------------------------------ running

interface Row {
  name: string;
  backend: string;
  medianMs: number;
  meanMs: number;
  minMs: number;
  opsPerSec: number;
  rmePct: number;
  samples: number;
  firstLoss: number;
  ratio?: number;
}

const rows: Row[] = [];
const notes: string[] = [];

/** Benchmarks `step` after a short warm-up; `liveTensors` (tfjs) checks the timed steps leak nothing. */
async function runCase(name: string, backend: string, step: () => number, liveTensors?: () => number): Promise<void> {
  const firstLoss = step();
  for (let i = 0; i < 3; i++) step(); // warm-up: JIT, kernel caches, Adam slots, allocator
  const before = liveTensors?.();
  await b.suite(
    `mlp-step ${name}`,
    b.add(name, () => { step(); }),
    b.cycle((r) => {
      const d = r.details;
      rows.push({
        name, backend, firstLoss,
        medianMs: d.median * 1e3, meanMs: d.mean * 1e3, minMs: d.min * 1e3,
        opsPerSec: r.ops, rmePct: d.relativeMarginOfError, samples: r.samples,
      });
      process.stdout.write(`  ${name.padEnd(22)} median ${(d.median * 1e3).toFixed(3)} ms  (${r.samples} samples, ±${d.relativeMarginOfError.toFixed(1)}%)\n`);
    }),
    b.configure({ cases: { minSamples: MIN_SAMPLES, maxTime: MAX_TIME } }),
  );
  if (liveTensors && liveTensors() !== before) notes.push(`${name}: ${liveTensors() - before!} tensors leaked during the run`);
}

const t0 = performance.now();
const tfDesc: Record<string, string> = {};

// ddpg-wasm first; every tfjs case starts again from the same weights P0.
net.setParams(P0);
await runCase('ddpg-wasm', 'ddpg-wasm (AssemblyScript, WASM SIMD, 1 thread)', oursStep);
const oursFirst = rows[0].firstLoss;

const TFJS_THREADS = process.env.BENCH_TFJS_THREADS ? Number(process.env.BENCH_TFJS_THREADS) : undefined;
for (const backend of ['wasm', 'cpu'] as const) {
  const setup = await setupTf(backend, backend === 'wasm' ? TFJS_THREADS : undefined);
  tfDesc[backend] = setup.description;
  notes.push(...setup.notes.map((n) => `${backend}: ${n}`));
  const variants: [string, boolean][] = backend === 'wasm' ? [['tfjs-wasm', false], ['tfjs-wasm fused', true]] : [['tfjs-cpu', false]];
  for (const [name, fused] of variants) {
    const model = tfModel(setup.tf, fused);
    await runCase(name, setup.description, () => model.step(), () => setup.tf.memory().numTensors);
    model.dispose();
  }
}

// Same computation on both sides: the loss of the first step (same weights, data) must agree.
for (const r of rows) {
  const rel = Math.abs(r.firstLoss - oursFirst) / Math.abs(oursFirst);
  if (!(rel < 1e-4)) throw new Error(`${r.name}: first-step loss ${r.firstLoss} differs from ddpg-wasm's ${oursFirst} (rel ${rel})`);
}

const ours = rows[0];
for (const r of rows) r.ratio = r.medianMs / ours.medianMs;

const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model.trim() ?? 'unknown',
  cores: cpus.length,
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  tfjs: (await import('@tensorflow/tfjs-core')).version_core,
};

const flops = 2 * BATCH * SIZES.slice(1).reduce((s, n, i) => s + n * SIZES[i], 0) * 3; // fwd + 2 bwd GEMMs (approx.)
console.log(`\nmlp-step: sizes ${JSON.stringify(SIZES)}, batch ${BATCH}, ReLU, MSE + Adam(lr ${LR}); ≈${(flops / 1e6).toFixed(0)} MFLOP/step`);
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.platform}, tfjs ${machine.tfjs}`);
for (const [k, v] of Object.entries(tfDesc)) console.log(`tfjs ${k}: ${v}`);
const header = `${'case'.padEnd(18)} ${'median ms'.padStart(10)} ${'ops/s'.padStart(9)} ${'GFLOP/s'.padStart(8)} ${'tfjs/ours'.padStart(10)}`;
console.log(header);
console.log('-'.repeat(header.length));
for (const r of rows) {
  console.log(`${r.name.padEnd(18)} ${r.medianMs.toFixed(3).padStart(10)} ${r.opsPerSec.toFixed(1).padStart(9)} ${(flops / (r.medianMs * 1e6)).toFixed(2).padStart(8)} ${(r === ours ? '1.00 (ref)' : r.ratio!.toFixed(2) + '×').padStart(10)}`);
}
for (const n of notes) console.log(`note: ${n}`);

fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, JSON.stringify({
  benchmark: 'mlp-step',
  description: 'one training step: forward, MSE loss backward, Adam; tfjs via variables + optimizer.minimize in tf.tidy',
  date: new Date().toISOString(),
  config: { sizes: SIZES, batch: BATCH, hidden: 'relu', output: 'identity', lr: LR, minSamples: MIN_SAMPLES, maxTimeSec: MAX_TIME, approxMflopPerStep: flops / 1e6 },
  machine,
  tfjsBackends: tfDesc,
  results: rows,
  notes,
  wallSec: (performance.now() - t0) / 1e3,
}, null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), OUT)} (${((performance.now() - t0) / 1e3).toFixed(0)} s)`);
