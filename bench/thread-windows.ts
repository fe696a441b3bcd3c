// How the two-thread speed-up is spread over time on this host: alternating windows of 5 calls on one thread
// and on two (the one-thread engine's kernel choice on both), for a pure split product (10 × X·W + b, relu at
// 256³ per window pair's call) and for the whole DDPG update at 256/256 (Pendulum shapes, batch 256); prints
// the quantiles of the per-window ratio (two ÷ one) and of each side's time per call. bench/native/
// split-ceiling.c does the same split in C with pthreads, for the host's own two-core ceiling beside ours.
//   npm run bench:thread-windows [-- SECONDS]
import { loadEngine, type Engine } from '../src/index.js';
import { makeAgent, sameKernels } from './lib/agents.js';
import { nonZero } from './lib/data.js';
import { quantileSorted } from '../src/report/stats.js';

const SECONDS = Number(process.argv[2] ?? 20), WINDOW = 5;

/** 256³ X·W + b, relu on `engine`'s memory, ten times a call (a window holds WINDOW calls). */
function product(engine: Engine): () => void {
  const rt = engine.runtime, n = 256;
  const X = rt.alloc(n * n), W = rt.alloc(n * n), b = rt.alloc(n), Y = rt.alloc(n * n);
  rt.f32.set(nonZero(n * n, 'X'), X >>> 2); rt.f32.set(nonZero(n * n, 'W'), W >>> 2);
  return () => { for (let i = 0; i < 10; i++) rt.wasm.gemmBiasRelu(n, n, n, X, n, 1, W, n, Y, n, b, 1); };
}

function windows(name: string, one: () => void, two: () => void, unit: string): void {
  for (let i = 0; i < 20; i++) { one(); two(); }
  const ratio: number[] = [], t1: number[] = [], t2: number[] = [];
  const time = (fn: () => void) => { const t = performance.now(); for (let i = 0; i < WINDOW; i++) fn(); return (performance.now() - t) / WINDOW; };
  const end = performance.now() + SECONDS * 1000;
  while (performance.now() < end) {
    const a = time(one), b = time(two);
    ratio.push(b / a); t1.push(a); t2.push(b);
  }
  const qs = (xs: number[], digits: number) => {
    const sorted = [...xs].sort((x, y) => x - y);
    return [0.1, 0.25, 0.5, 0.75, 0.9].map((p) => quantileSorted(sorted, p).toFixed(digits)).join(' / ');
  };
  console.log(`| ${name} | ${ratio.length} | ${qs(ratio, 3)} | ${qs(t1, 2)} | ${qs(t2, 2)} | ${unit} |`);
}

const oneEngine = await loadEngine({ threads: 1 });
const twoEngine = await loadEngine({ threads: 2, kernels: sameKernels(oneEngine) });
console.log(`${SECONDS} s each, windows of ${WINDOW} calls, one thread then two; quantiles p10 / p25 / median / p75 / p90`);
console.log('| case | windows | 2 ÷ 1 | 1 thread | 2 threads | per |\n|:--|--:|:--|:--|:--|:--|');
windows('10 × X·W + b, relu 256³', product(oneEngine), product(twoEngine), 'ms per 10');
const a = makeAgent(oneEngine, [256, 256]).agent, b = makeAgent(twoEngine, [256, 256]).agent;
windows('DDPG update 256/256 batch 256', () => a.update(), () => b.update(), 'ms per update');
await twoEngine.close();
