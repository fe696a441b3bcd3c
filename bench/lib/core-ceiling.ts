// What two threads can get out of this machine right now: a loop on the calling thread alone, then on it and a
// worker thread at once, each on its own instance and memory (nothing shared); the ceiling is their summed rate
// ÷ the rate alone. 2.0 on two idle cores; less when the host runs other work on them (a shared VM's vCPUs),
// which caps every two-thread speedup measured at the same time — the threads section prints it beside its
// ratios. Two loops: the peak loop (assembly/peak.ts, registers only) and a GEMM whose operands sit in L2.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const ITERS = 200_000; // ≈ 0.16 ms a call
const FLOPS = ITERS * 48;

// Runs `kind` for `ms` and returns GFLOP/s; the same code on both threads (the worker gets it as source).
// 'peak': peakMulAdd, registers only. 'gemm': a 256×256×256 X·W on the thread's own instance and memory (the
// 2x16p variant, operands in L2), which also sees what the host takes of the core's caches and load ports.
const LOOPS = `function rate(ex, kind, ms) {
  const f32 = new Float32Array(ex.memory.buffer), p = 65536, q = p >> 2;
  let call;
  if (kind === 'peak') {
    f32.fill(1, q, q + 4); for (let i = 4; i < 28; i++) f32[q + i] = 1 + i / 64; f32.fill(1e-3, q + 28, q + 32);
    call = () => { ex.peakMulAdd(${ITERS}, p); return ${FLOPS}; };
  } else {
    if (ex.memory.buffer.byteLength < (1 << 22)) ex.memory.grow(64);
    const base = ex.heapBase(), n = 256, a = base, b = a + n * n * 4, c = b + n * n * 4;
    const v = new Float32Array(ex.memory.buffer);
    for (let i = 0; i < 2 * n * n; i++) v[(a >> 2) + i] = ((i * 7919) % 1000) / 1000 - 0.5;
    ex.setKernels(2, 2, 2);
    call = () => { ex.gemm(n, n, n, a, n, 1, b, n, c, n, 0); return 2 * n * n * n; };
  }
  for (let i = 0; i < 5; i++) call();
  let flops = 0; const t0 = performance.now();
  while (performance.now() - t0 < ms) flops += call();
  return flops / ((performance.now() - t0) * 1e6);
}`;

const WORKER = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const ex = new WebAssembly.Instance(new WebAssembly.Module(workerData), {}).exports;
${LOOPS}
parentPort.on('message', ([kind, ms]) => parentPort.postMessage(rate(ex, kind, ms)));`;

// eslint-disable-next-line @typescript-eslint/no-implied-eval
const rate = new Function(`${LOOPS}; return rate;`)() as (ex: unknown, kind: CeilingKind, ms: number) => number;

export type CeilingKind = 'peak' | 'gemm';

/** A worker thread kept for repeated measurements of the two-thread ceiling. */
export class CeilingProbe {
  private constructor(private readonly ex: unknown, private readonly worker: Worker) {}

  static start(): CeilingProbe {
    const bytes = readFileSync(new URL('../../build/kernels.wasm', import.meta.url));
    const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
    return new CeilingProbe(ex, new Worker(WORKER, { eval: true, workerData: bytes, execArgv: [] }));
  }

  /** Median over `pairs` of (both threads' rate together) ÷ (the calling thread's alone), `ms` per run. */
  async measure(kind: CeilingKind = 'peak', pairs = 3, ms = 150): Promise<number> {
    const ratios: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const alone = rate(this.ex, kind, ms);
      const other = new Promise<number>((res, rej) => {
        const fail = (e: Error) => rej(e);
        this.worker.once('error', fail);
        this.worker.once('message', (rate: number) => { this.worker.off('error', fail); res(rate); });
      });
      this.worker.postMessage([kind, ms]);
      const mine = rate(this.ex, kind, ms);
      ratios.push((mine + (await other)) / alone);
    }
    return ratios.sort((a, b) => a - b)[ratios.length >> 1];
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
