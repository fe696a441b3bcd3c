// The threaded engine (build/engine-threads.wasm on N threads, src/engine/threads.ts) splits GEMMs along
// output rows or columns and Adam/Polyak along the vector, so no sum changes its order: at 2 and 3 threads
// every kernel, MLP pass and training run gives the bits of one thread — and the numbers are right (float64
// reference). Plus its lifecycle: a worker's failure is an EngineThreadError, not a deadlock; close() ends the
// workers; a process that never closes its engine still exits; hosts without SharedArrayBuffer fall back.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, DdpgInputError, DEFAULT_TUNING, loadEngine, type Agent, type Engine } from '../src/index.js';
import { EngineThreadError } from '../src/errors.js';
import { ThreadWord } from '../src/engine/thread-control.js';
import { makeEnv } from '../src/envs/index.js';
import { Trainer } from '../src/rl/trainer.js';
import { checkpointArrays, cli, metricsWithoutWall, tempDir } from './helpers/cli.js';
import { matmul64, randomArray } from './helpers/ref64.js';
import { bitDiffs } from './helpers/bits.js';

const rand = (n: number, scale: number, seed: number) => randomArray(n, `threads-${seed}`, -scale, scale);
const INDEX = JSON.stringify(join(import.meta.dirname, '..', 'dist', 'index.js'));

/** Runs `body` as an ES module in a new Node process, loadEngine imported from the built library after `prelude`;
 *  `prefix`: a command that runs node (taskset). */
function runNode(body: string, timeout: number, { prelude = '', prefix = [] as string[] } = {}) {
  const [command, ...args] = [...prefix, process.execPath, '--input-type=module', '-e', `${prelude}
    const { loadEngine } = await import(${INDEX});
    ${body}`];
  return spawnSync(command, args, { encoding: 'utf8', timeout });
}
const SPLIT_ALWAYS = { minWork: 0, minElements: 0 };

// 1, 2 and 3 threads with every job cut into as many parts as its groups allow, up to 4 a thread (the default
// partsPerThread: 2-D grids of blocks), then one part a thread (rows or columns only) and up to 7 a thread.
let engines: Engine[];
beforeAll(async () => {
  engines = [await loadEngine({ threads: 1 }), await loadEngine({ threads: 2, threadTuning: SPLIT_ALWAYS }),
    await loadEngine({ threads: 3, threadTuning: SPLIT_ALWAYS }),
    await loadEngine({ threads: 2, threadTuning: { ...SPLIT_ALWAYS, partsPerThread: 1 } }),
    await loadEngine({ threads: 3, threadTuning: { ...SPLIT_ALWAYS, partsPerThread: 7 } })];
});
afterAll(async () => { for (const e of engines) await e.close(); });

/** Runs `call` on every engine with the same inputs and prior output contents; returns each engine's output,
 *  and checks that the threaded engines really split the call when `split` says they should. */
function onEach(inputs: Float32Array[], outLength: number, split: boolean,
                call: (w: Engine['runtime']['wasm'], ptrs: number[], out: number) => number | void): { outs: Float32Array[]; results: unknown[] } {
  const outs: Float32Array[] = [], results: unknown[] = [];
  for (const engine of engines) {
    const rt = engine.runtime;
    const ptrs = inputs.map((a) => { const p = rt.alloc(a.length); rt.f32.set(a, p >>> 2); return p; });
    const out = rt.alloc(outLength);
    rt.f32.set(rand(outLength, 1, 99), out >>> 2);
    const before = engine.splitJobs;
    results.push(call(rt.wasm, ptrs, out));
    if (engine.threads > 1) expect(engine.splitJobs > before, `split on ${engine.threads} threads`).toBe(split);
    outs.push(rt.view(out, outLength).slice());
  }
  return { outs, results };
}

function expectSameBits(outs: Float32Array[]): void {
  for (let i = 1; i < outs.length; i++) expect(bitDiffs(outs[0], outs[i]), `engine ${i}`).toEqual([]);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

// [m, n, k]: split by 4-row groups, by 16-column groups (few rows, many columns), in 2-D grids, odd sizes
// whose m % 4 rows and n % 4 columns land in the last part, the packed dW path with two k-chunks (k > 512).
const SPLIT_SHAPES: [number, number, number][] = [[257, 67, 33], [24, 13, 5], [7, 131, 17], [5, 49, 300], [67, 41, 601], [33, 256, 9]];

describe('GEMMs split across threads give the bits of one thread', () => {
  it('reports its threads', () => {
    expect(engines.map((e) => e.threads)).toEqual([1, 2, 3, 2, 3]);
    expect(engines[0].splitJobs).toBe(0);
  });

  for (const [m, n, k] of SPLIT_SHAPES) {
    it(`gemm (= and +=, row stride > n), the packed dW form, bias + relu and the derivative epilogues at m=${m} n=${n} k=${k}`, () => {
      const A = rand(m * k, 2, m + n), B = rand(k * n, 3, k), bias = rand(n, 4, n), H = rand(m * n, 5, 7);
      const ldc = n + 3;
      for (const accumulate of [0, 1]) {
        const { outs } = onEach([A, B], m * ldc, true, (w, [a, b], c) => w.gemm(m, n, k, a, k, 1, b, n, c, ldc, accumulate));
        expectSameBits(outs);
        if (accumulate === 0) {
          const ref = matmul64(A, B, m, k, n);
          const got = Float64Array.from({ length: m * n }, (_, i) => outs[2][Math.floor(i / n) * ldc + (i % n)]);
          expect(maxAbsDiff(got, ref)).toBeLessThan(1e-4 * Math.sqrt(k) * 6);
          expect(outs[2][n]).toBe(outs[0][n]); // a padding column between rows: untouched, as on one thread
        }
        // dW = Xᵀ·dZ with X's row stride a multiple of 128 floats: the packed path, chunks of 512 over k.
        const lda = 128 * Math.ceil(m / 128);
        const At = rand(k * m, 6, m), Apad = new Float32Array(k * lda);
        for (let p = 0; p < k; p++) Apad.set(At.subarray(p * m, p * m + m), p * lda);
        const packed = onEach([Apad, B], m * n, true, (w, [a, b], c) => w.gemm(m, n, k, a, 1, lda, b, n, c, n, accumulate));
        expectSameBits(packed.outs);
      }
      const relu = onEach([A, B, bias], m * n, true, (w, [a, b, bb], c) => w.gemmBiasRelu(m, n, k, a, k, 1, b, n, c, n, bb, 1));
      expectSameBits(relu.outs);
      expect(relu.outs[1].some((v) => v > 0) && relu.outs[1].some((v) => v === 0)).toBe(true);
      for (const hAct of [1, 2]) { // f′(h) on all columns but the last two: blocks on both sides of hCols and across it
        const d = onEach([A, B, H], m * n, true, (w, [a, b, h], c) => w.gemmDerivative(m, n, k, a, k, 1, b, n, c, n, h, n - 2, hAct));
        expectSameBits(d.outs);
      }
    });
  }

  it('leaves shapes with fewer 4-row and 16-column groups than threads, and batch 1, on one thread', () => {
    for (const [m, n, k] of [[1, 12, 256], [5, 9, 300], [3, 15, 7]] as const) {
      const A = rand(m * k, 2, m), B = rand(k * n, 3, n);
      const { outs } = onEach([A, B], m * n, false, (w, [a, b], c) => w.gemm(m, n, k, a, k, 1, b, n, c, n, 0));
      expectSameBits(outs);
    }
  });

  it('with the default threshold, one observation through a 256-wide layer and a batch through a 64-wide one stay on one thread; a batch of 256 through 256 is split', async () => {
    const engine = await loadEngine({ threads: 2 });
    const rt = engine.runtime, p = rt.alloc(256 * 256 * 3);
    rt.wasm.gemmBiasRelu(1, 256, 256, p, 256, 1, p + 262144, 256, p + 524288, 256, 0, 1);
    expect(engine.splitJobs).toBe(0);
    rt.wasm.gemmBiasRelu(256, 256, 256, p, 256, 1, p + 262144, 256, p + 524288, 256, 0, 1);
    expect(engine.splitJobs).toBe(1);
    expect(engine.splitParts).toBe(8); // 2^24 multiply-adds = 8 · minWork 2^21 (= 2 threads · 4 parts): a 2 × 4 grid
    rt.wasm.gemmBiasRelu(256, 64, 64, p, 64, 1, p + 262144, 64, p + 524288, 64, 0, 1); // 2^20: a 64/64 layer stays on one
    expect(engine.splitJobs).toBe(1);
    rt.wasm.gemmBiasRelu(256, 64, 128, p, 128, 1, p + 262144, 64, p + 524288, 64, 0, 1); // 2^21: one part a thread
    expect([engine.splitJobs, engine.splitParts]).toEqual([2, 8 + 2]);
    await engine.close();
  });

  it('back-to-back jobs with different part counts: every part computed exactly once, never one of the next job', () => {
    // C += A·B jobs of 3 parts (12 rows, one column group) alternating with jobs of 21 (64 × 64), 2000 of each,
    // on 3 threads with up to 7 parts a thread: a part computed twice (a worker's claim counted after the job
    // ran out, or taken by both ends) adds A·B twice, a part left out leaves C as it was — either changes C.
    const shapes = [[12, 16, 5], [64, 64, 9]] as const;
    const engine = engines[4], rt = engine.runtime, ref = engines[0].runtime;
    const cases = shapes.map(([m, n, k], s) => {
      const A = rand(m * k, 1, 40 + s), B = rand(k * n, 1, 50 + s), C0 = rand(m * n, 1, 60 + s);
      const put = (r: typeof rt) => {
        const a = r.alloc(m * k), b = r.alloc(k * n), c = r.alloc(m * n);
        r.f32.set(A, a >>> 2); r.f32.set(B, b >>> 2); r.f32.set(C0, c >>> 2);
        return [a, b, c];
      };
      const [ra, rb, rc] = put(ref);
      ref.wasm.gemm(m, n, k, ra, k, 1, rb, n, rc, n, 1);
      return { m, n, k, C0, ptrs: put(rt), want: ref.view(rc, m * n).slice() };
    });
    const before = [engine.splitJobs, engine.splitParts];
    let wrong = 0;
    for (let i = 0; i < 2000; i++) {
      for (const { m, n, k, C0, ptrs: [a, b, c], want } of cases) {
        rt.f32.set(C0, c >>> 2);
        rt.wasm.gemm(m, n, k, a, k, 1, b, n, c, n, 1);
        if (bitDiffs(rt.view(c, m * n), want).length > 0) wrong++;
      }
    }
    expect(wrong).toBe(0);
    expect(engine.splitJobs - before[0]).toBe(4000);
    expect(engine.splitParts - before[1]).toBe(2000 * (3 + 21)); // 3 × 1 blocks, then a 7 × 3 grid (21 = 3 threads × 7)
  });

  it('Adam and Polyak split over the vector: same bits, and a part\'s non-finite flag reaches the caller', () => {
    for (const n of [37, 1001, 4099]) {
      const p = rand(n, 1, n), g = rand(n, 2, n + 1), m = rand(n, 0.1, n + 2), v = rand(n, 0.1, n + 3).map(Math.abs) as Float32Array;
      const adam = onEach([p, g, m, v], 3 * n, true, (w, [pp, gg, mm, vv], out) => {
        const flag = w.adamStep(pp, gg, mm, vv, n, 1e-3, 0.9, 0.999, 1e-8, 0.01, 0.271, 0.0019);
        w.copy(out, pp, n); w.copy(out + 4 * n, mm, n); w.copy(out + 8 * n, vv, n);
        return flag;
      });
      expectSameBits(adam.outs);
      expect(adam.results).toEqual(engines.map(() => 0));
      // The reference: PyTorch's Adam formula in float64, for the first element.
      const g0 = g[0] + 0.01 * p[0], m0 = 0.9 * m[0] + 0.1 * g0, v0 = 0.999 * v[0] + 0.001 * g0 * g0;
      expect(adam.outs[2][0]).toBeCloseTo(p[0] - (1e-3 / 0.271) * m0 / (Math.sqrt(v0) / Math.sqrt(0.0019) + 1e-8), 5);
      const bad = g.slice(); bad[n - 2] = Infinity; // in the last thread's part
      const flagged = onEach([p, bad, m, v], 1, true, (w, [pp, gg, mm, vv]) => w.adamStep(pp, gg, mm, vv, n, 1e-3, 0.9, 0.999, 1e-8, 0, 0.1, 0.001));
      expect(flagged.results).toEqual(engines.map(() => 1));
      const polyak = onEach([p, g], n, true, (w, [s, t], out) => { const f = w.polyak(t, s, n, 0.005); w.copy(out, t, n); return f; });
      expectSameBits(polyak.outs);
      expect(polyak.outs[1][n - 1]).toBeCloseTo(0.005 * p[n - 1] + 0.995 * g[n - 1], 6);
      expect(polyak.results).toEqual(engines.map(() => 0));
    }
  });
});

describe('whole passes and training runs on threads', () => {
  it('every GEMM kernel variant, fixed on every thread, gives the bits of one thread', async () => {
    const { KERNEL_VARIANTS } = await import('../src/index.js');
    const ref = engines[0];
    const run = (engine: Engine) => {
      const net = engine.mlp({ sizes: [17, 256, 67, 6], hidden: 'relu', output: 'tanh', maxBatch: 129, seed: 5 });
      const y = net.forward(rand(129 * 17, 1, 3), 129).slice();
      const dx = net.backward(rand(129 * 6, 1, 4), { inputGrad: true }).slice();
      return [y, dx, net.getGrads()];
    };
    const want = run(ref);
    for (const name of KERNEL_VARIANTS) {
      const engine = await loadEngine({ threads: 2, kernels: name, threadTuning: SPLIT_ALWAYS });
      expect(engine.kernelInfo().forward).toBe(name);
      const got = run(engine);
      for (let i = 0; i < 3; i++) expect(bitDiffs(got[i], want[i]), `${name} output ${i}`).toEqual([]);
      expect(engine.workerParts + engine.splitJobs).toBeGreaterThan(0);
      await engine.close();
    }
  });

  it('MLP forward, parameter and input gradients: the same bits at 1, 2 and 3 threads', () => {
    for (const [sizes, hidden, output, batch] of [[[17, 256, 256, 6], 'relu', 'tanh', 256], [[23, 67, 33, 1], 'tanh', 'identity', 37],
      [[3, 64, 64, 1], 'relu', 'identity', 1]] as const) {
      const results = engines.map((engine) => {
        const net = engine.mlp({ sizes: [...sizes], hidden, output, maxBatch: batch, seed: 5 });
        const y = net.forward(rand(batch * sizes[0], 1, 3), batch).slice();
        const dx = net.backward(rand(batch * sizes[sizes.length - 1], 1, 4), { inputGrad: true }).slice();
        return [y, dx, net.getGrads()];
      });
      for (let i = 0; i < 3; i++) expectSameBits(results.map((r) => r[i]));
    }
    expect(engines[1].splitJobs).toBeGreaterThan(0);
  });

  for (const algo of ['ddpg', 'td3'] as const) {
    it(`${algo.toUpperCase()} at 256/256 with the default split threshold: 2 threads end with the bits of 1`, async () => {
      const agents: Agent[] = [];
      const threaded = await loadEngine({ threads: 2 });
      for (const engine of [await loadEngine({ threads: 1 }), threaded]) {
        const agent = createAgent(engine, algo, {
          obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2], actorHidden: [256, 256], criticHidden: [256, 256],
          batchSize: 64, bufferSize: 1000, learningStarts: 200, seed: 9,
        });
        new Trainer(agent, makeEnv('Pendulum-v1')).run(260);
        agents.push(agent);
      }
      expect(threaded.splitJobs).toBeGreaterThan(0);
      for (const name of Object.keys(agents[0].networks)) {
        expect(bitDiffs(agents[0].networks[name].getParams(), agents[1].networks[name].getParams()), name).toEqual([]);
      }
      for (const name of Object.keys(agents[0].optimizers)) {
        const [s0, s1] = [agents[0].optimizers[name].getState(), agents[1].optimizers[name].getState()];
        expect(bitDiffs(s0.m, s1.m), name).toEqual([]);
        expect(bitDiffs(s0.v, s1.v), name).toEqual([]);
      }
      await threaded.close();
    });
  }

  it('train --threads 2 writes the run of --threads 1 (DDPG, TD3), and a resume may change the thread count', async () => {
    const common = ['--env', 'Pendulum-v1', '--steps', '700', '--learning-starts', '300', '--batch-size', '64',
      '--actor-hidden', '256,256', '--critic-hidden', '256,256', '--checkpoint-every', '350', '--eval-episodes', '1', '--quiet'];
    for (const algo of ['ddpg', 'td3']) {
      const one = tempDir(`thr1-${algo}`), two = tempDir(`thr2-${algo}`), mixed = tempDir(`thrmix-${algo}`);
      const r1 = await cli(['train', '--algo', algo, ...common, '--threads', '1', '--out', one]);
      const r2 = await cli(['train', '--algo', algo, ...common, '--threads', '2', '--out', two]);
      expect([r1.code, r2.code], r1.stderr + r2.stderr).toEqual([0, 0]);
      expect(r2.stderr).toContain('2 threads');
      expect(checkpointArrays(two)).toEqual(checkpointArrays(one));
      expect(metricsWithoutWall(two)).toEqual(metricsWithoutWall(one));
      // Half the run on 2 threads, the rest resumed on 1: the same run again.
      const h = await cli(['train', '--algo', algo, ...common, '--steps', '350', '--threads', '2', '--out', mixed]);
      expect(h.code, h.stderr).toBe(0);
      const rest = await cli(['train', '--resume', mixed, '--steps', '700', '--threads', '1', '--quiet']);
      expect(rest.code, rest.stderr).toBe(0);
      expect(checkpointArrays(mixed)).toEqual(checkpointArrays(one));
    }
  });
});

describe('the threads\' lifecycle', () => {
  it('a worker that fails is an EngineThreadError naming it and its message, on this call and every later one — not a deadlock', async () => {
    // A static schedule (callerSteals 0) leaves part 1 — the rows beyond the end of memory — to the worker.
    const engine = await loadEngine({ threads: 2, threadTuning: { ...SPLIT_ALWAYS, callerSteals: 0 } });
    const rt = engine.runtime, m = 64, n = 64, k = 64;
    const a = rt.alloc(m * k), b = rt.alloc(k * n), c = rt.alloc(m * n);
    rt.wasm.gemm(m, n, k, a, k, 1, b, n, c, n, 0); // fine
    rt.reserve(1 << 20);
    const ldc = Math.floor((rt.memoryBytes - c) / 4 / (m / 2)); // rows 32… (part 1) lie beyond the end of memory
    const message = 'engine thread 1 of 2 failed: memory access out of bounds; the engine cannot be used any more';
    let first: unknown;
    try { rt.wasm.gemm(m, n, k, a, k, 1, b, n, c, ldc, 0); } catch (e) { first = e; }
    expect(first).toBeInstanceOf(EngineThreadError);
    expect((first as Error).message).toBe(message);
    expect(() => rt.wasm.gemm(m, n, k, a, k, 1, b, n, c, n, 0)).toThrow(first as Error); // every later call, the same error
    await engine.close();
  });

  it('a worker that stops without an error (terminated): the caller gives up after stallMs with an EngineThreadError; with the dynamic schedule it computes the parts itself', async () => {
    const m = 37, n = 70, k = 21, a0 = rand(m * k, 1, 31), b0 = rand(k * n, 1, 32);
    const product = (engine: Engine) => {
      const rt = engine.runtime, a = rt.alloc(m * k), b = rt.alloc(k * n), c = rt.alloc(m * n);
      rt.f32.set(a0, a >>> 2); rt.f32.set(b0, b >>> 2);
      return () => { rt.wasm.gemm(m, n, k, a, k, 1, b, n, c, n, 0); return rt.f32.slice(c >>> 2, (c >>> 2) + m * n); };
    };
    const expected = product(engines[0])();
    const stopWorker = async (engine: Engine) => {
      const worker = (engine as unknown as { pool: { workers: { terminate(): void; exited: Promise<void> }[] } }).pool.workers[0];
      worker.terminate(); // as a browser may end a Web Worker: no catch runs, nothing is recorded
      await worker.exited;
    };
    // Static schedule: parts 1… are the workers', so the caller waits — stallMs (300) with none finishing.
    const stuck = await loadEngine({ threads: 2, threadTuning: { ...SPLIT_ALWAYS, callerSteals: 0, stallMs: 300 } });
    const run = product(stuck);
    expect(bitDiffs(run(), expected)).toEqual([]);
    await stopWorker(stuck);
    const t0 = performance.now();
    let error: unknown;
    try { run(); } catch (e) { error = e; }
    const waited = performance.now() - t0;
    expect(error).toBeInstanceOf(EngineThreadError);
    expect((error as Error).message).toBe('engine threads stalled: no part of a split job finished for 300 ms (threadTuning.stallMs) — ' +
      'a worker thread stopped without an error (terminated or killed); the engine cannot be used any more');
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(30_000);
    expect(() => run()).toThrow(error as Error); // every later call
    await stuck.close();
    // A worker stopped in the middle of recording its own failure leaves Failed at −1: the caller gives up after
    // twice stallMs.
    const halfway = await loadEngine({ threads: 2, threadTuning: { ...SPLIT_ALWAYS, callerSteals: 0, stallMs: 200 } });
    const run2 = product(halfway);
    await stopWorker(halfway);
    const { ctl } = (halfway as unknown as { pool: { ctl: number } }).pool;
    halfway.runtime.i32[(ctl >>> 2) + ThreadWord.Failed] = -1;
    const t1 = performance.now();
    expect(() => run2()).toThrow(new EngineThreadError('engine threads stalled: no part of a split job finished for 400 ms (threadTuning.stallMs) — ' +
      'a worker thread failed and stopped before it could record why; the engine cannot be used any more'));
    expect(performance.now() - t1).toBeGreaterThanOrEqual(400);
    await halfway.close();
    // Dynamic schedule (the default): the caller takes every part nobody claims — same bits, no error.
    const alone = await loadEngine({ threads: 3, threadTuning: { ...SPLIT_ALWAYS, stallMs: 300 } });
    const again = product(alone);
    await stopWorker(alone);
    for (let i = 0; i < 20; i++) expect(bitDiffs(again(), expected)).toEqual([]);
    expect(alone.splitJobs).toBe(20);
    await alone.close();
  });

  it('a trap on the calling thread (dynamic schedule: it may take the bad part itself) is named as the calling thread', async () => {
    // 50 engines: the worker often traps too, and may be recording its message (Failed −1) as the caller's trap
    // is translated — which once read as "stalled" (62 of 300 engines), not as the thread that failed.
    for (let round = 0; round < 50; round++) {
      const engine = await loadEngine({ threads: 2, threadTuning: SPLIT_ALWAYS });
      const rt = engine.runtime, m = 64, n = 64, k = 64;
      const a = rt.alloc(m * k), b = rt.alloc(k * n), c = rt.alloc(m * n);
      rt.reserve(1 << 20);
      const ldc = Math.floor((rt.memoryBytes - c) / 4 / 2); // rows 2… of both parts lie beyond memory: whoever computes one traps
      expect(() => rt.wasm.gemm(m, n, k, a, k, 1, b, n, c, ldc, 0), `engine ${round}`)
        .toThrow(/^engine thread (0 \(the calling thread\)|1) of 2 failed: memory access out of bounds; the engine cannot be used any more$/);
      expect(() => rt.wasm.gemm(m, n, k, a, k, 1, b, n, c, n, 0)).toThrow(EngineThreadError);
      await engine.close();
    }
  });

  it('close() ends the workers; a closed engine refuses to compute', async () => {
    const engine = await loadEngine({ threads: 3 });
    await engine.close();
    await engine.close(); // idempotent
    expect(() => engine.mlp({ sizes: [3, 4, 1], maxBatch: 1 }).forward([1, 2, 3], 1)).toThrow(/closed/);
  });

  it('a process that never closes its threaded engine exits by itself; one without SharedArrayBuffer falls back with a notice', () => {
    const run = (prelude: string) => runNode(`
      const e = await loadEngine({ threads: 2, threadTuning: { minWork: 0 } });
      const rt = e.runtime, p = rt.alloc(64 * 64 * 3);
      rt.wasm.gemm(64, 64, 64, p, 64, 1, p + 16384, 64, p + 32768, 64, 0);
      console.log('threads', e.threads, 'split', e.splitJobs);`, 20_000, { prelude });
    const normal = run('');
    expect(normal.status, normal.stderr).toBe(0);
    expect(normal.stdout.trim()).toBe('threads 2 split 1');
    const without = run('delete globalThis.SharedArrayBuffer;');
    expect(without.status, without.stderr).toBe(0);
    expect(without.stdout.trim()).toBe('threads 1 split 0');
    expect(without.stderr.trim()).toBe('ddpg-wasm: 2 threads asked for, running on 1: this JavaScript host has no SharedArrayBuffer');
  });

  it('on one CPU, a job handed out right after loadEngine reaches every worker (static schedule: the caller waits for their parts)', () => {
    // taskset -c 0: the workers share the caller's CPU, so the first job is handed out before a worker has run
    // past its 'ready'. A worker that took the generation it found then as already seen missed that job, and
    // with callerSteals 0 the caller waited for its parts forever (this test then ran into the timeout at once).
    const r = runNode(`
      const m = 37, n = 70, k = 21, fill = (f, at, len, s) => { for (let i = 0; i < len; i++) f[at + i] = ((i * s) % 17) / 8 - 1; };
      const product = async (threads) => {
        const e = await loadEngine({ threads, threadTuning: { minWork: 0, callerSteals: 0 } });
        const rt = e.runtime, a = rt.alloc(m * k), b = rt.alloc(k * n), c = rt.alloc(m * n);
        fill(rt.f32, a >>> 2, m * k, 5); fill(rt.f32, b >>> 2, k * n, 3);
        rt.wasm.gemm(m, n, k, a, k, 1, b, n, c, n, 0);
        const out = [Array.from(rt.f32.subarray(c >>> 2, (c >>> 2) + m * n)).join(), e.splitJobs, e.workerParts];
        await e.close();
        return out;
      };
      const [one] = await product(1);
      for (let round = 0; round < 8; round++) for (const threads of [2, 3]) {
        const [bits, split, byWorkers] = await product(threads);
        if (bits !== one || split !== 1 || byWorkers < 1) throw new Error('round ' + round + ', ' + threads + ' threads: ' + (bits === one) + ' ' + split + ' ' + byWorkers);
      }
      console.log('16 engines, each first job split and shared');`, 60_000, { prefix: ['taskset', '-c', '0'] });
    expect(r.error === undefined ? 'ran' : String(r.error), 'taskset (util-linux) on CPU 0, 60 s at most: a deadlock runs into it').toBe('ran');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('16 engines, each first job split and shared');
  });

  it('an idle engine\'s workers sleep: 2 s after a job, a 3-thread engine has used under 2 % of a core', () => {
    // Workers spin for a moment after a job, then sleep in wait32 until the next. They used to spin again after
    // every 2 ms timeout of that sleep: 8.7 % of a core for two idle workers; now ≈ 0.2 %.
    const r = runNode(`
      const e = await loadEngine({ threads: 3, threadTuning: { minWork: 0 } });
      const rt = e.runtime, p = rt.alloc(64 * 64 * 3);
      rt.wasm.gemm(64, 64, 64, p, 64, 1, p + 16384, 64, p + 32768, 64, 0);
      const before = process.cpuUsage(), t0 = performance.now();
      await new Promise((r) => setTimeout(r, 2000));
      const used = process.cpuUsage(before), ms = (used.user + used.system) / 1000;
      console.log(JSON.stringify({ split: e.splitJobs, cpuMs: ms, wallMs: performance.now() - t0 }));
      await e.close();`, 30_000);
    expect(r.status, r.stderr).toBe(0);
    const { split, cpuMs, wallMs } = JSON.parse(r.stdout) as { split: number; cpuMs: number; wallMs: number };
    expect(split).toBe(1);
    expect(cpuMs / wallMs).toBeLessThan(0.02);
  });

  it('refuses bad thread counts and tuning with typed errors', async () => {
    for (const threads of [0, -1, 1.5, 65, NaN, '2', null]) {
      await expect(loadEngine({ threads: threads as number })).rejects.toThrow(DdpgInputError);
    }
    await expect(loadEngine({ threads: 2, threadTuning: { minWrok: 1 } as never })).rejects.toThrow(/unknown option 'minWrok'/);
    await expect(loadEngine({ threads: 2, threadTuning: { minWork: -1 } })).rejects.toThrow(/minWork must be an integer/);
    for (const key of Object.keys(DEFAULT_TUNING) as (keyof typeof DEFAULT_TUNING)[]) {
      const [low, high] = key === 'callerSteals' ? [-1, 2] : key === 'partsPerThread' ? [0, 65] : key === 'stallMs' ? [0, 2 ** 31] : [-1, 2 ** 31];
      for (const bad of [low, high, 1.5, NaN, '4', null, [4]]) {
        await expect(loadEngine({ threads: 2, threadTuning: { [key]: bad } as never }), `${key} = ${String(bad)}`)
          .rejects.toThrow(new RegExp(`${key} must be an integer from`));
      }
    }
    const r = await cli(['train', '--threads', '0', '--steps', '10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threads expects an integer/);
  });
});
