// Where splitting a GEMM across two threads starts to pay: each dense-layer form (forward X·W + bias + relu,
// dX = dY·Wᵀ, dW = Xᵀ·dY) at growing sizes, one thread against two with the split forced (minWork 0),
// interleaved; each split job in as many parts as the default partsPerThread allows (2 threads × 4). The
// smallest m·n·k where two threads win is the default minWork (src/engine/threads.ts).
//   npm run bench:threads-threshold
import { loadEngine, type Engine } from '../src/index.js';
import { sameKernels } from './lib/agents.js';
import { nonZero } from './lib/data.js';

const SIZES: [number, number, number][] = [ // batch × in × out
  [32, 32, 32], [64, 32, 32], [64, 64, 64], [128, 64, 64], [256, 64, 64], [256, 128, 64], [256, 128, 128], [256, 256, 256],
];
const ROUNDS = 5;

function timeCall(fn: () => void, ms: number): number {
  for (let i = 0; i < 20; i++) fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) { for (let i = 0; i < 10; i++) fn(); n += 10; }
  return (performance.now() - t0) / n;
}

function forms(engine: Engine, [batch, nIn, nOut]: [number, number, number]): Record<string, () => void> {
  const rt = engine.runtime, w = () => rt.wasm;
  const lda = 128 * Math.ceil(nIn / 128);
  const X = rt.alloc(batch * lda), W = rt.alloc(nIn * nOut), Wt = rt.alloc(nIn * nOut), b = rt.alloc(nOut);
  const Y = rt.alloc(batch * nOut), dX = rt.alloc(batch * nIn), dW = rt.alloc(nIn * nOut);
  rt.f32.set(nonZero(batch * lda, 'X'), X >>> 2); rt.f32.set(nonZero(nIn * nOut, 'W'), W >>> 2); rt.f32.set(nonZero(nIn * nOut, 'W'), Wt >>> 2);
  return {
    'X·W+b, relu': () => w().gemmBiasRelu(batch, nOut, nIn, X, lda, 1, W, nOut, Y, nOut, b, 1),
    'dY·Wᵀ': () => w().gemm(batch, nIn, nOut, Y, nOut, 1, Wt, nIn, dX, nIn, 0),
    'Xᵀ·dY': () => w().gemm(nIn, nOut, batch, X, 1, lda, Y, nOut, dW, nOut, 0),
  };
}

// Both run the variants the one-thread engine's calibration chose (two calibrations on a busy host may differ).
const one = await loadEngine({ threads: 1 });
const two = await loadEngine({ threads: 2, threadTuning: { minWork: 0 }, kernels: sameKernels(one) });
console.log('| batch×in×out | m·n·k | form | 1 thread | 2 threads | 2 / 1 |\n|:--|--:|:--|--:|--:|--:|');
for (const size of SIZES) {
  const f1 = forms(one, size), f2 = forms(two, size);
  for (const form of Object.keys(f1)) {
    const t1: number[] = [], t2: number[] = [];
    for (let r = 0; r < ROUNDS; r++) { t1.push(timeCall(f1[form], 60)); t2.push(timeCall(f2[form], 60)); }
    const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
    const [a, b] = [med(t1), med(t2)];
    console.log(`| ${size.join('×')} | ${size[0] * size[1] * size[2]} | ${form} | ${(a * 1e3).toFixed(1)} µs | ${(b * 1e3).toFixed(1)} µs | ${(b / a).toFixed(2)} |`);
  }
}
await two.close();
