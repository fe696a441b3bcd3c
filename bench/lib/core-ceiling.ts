// What two threads can get out of this machine right now: the peak loop (assembly/peak.ts, no memory traffic)
// on the calling thread alone, then on it and a worker thread at once; the ceiling is their summed rate ÷ the
// rate alone. 2.0 on two idle cores; less when the host runs other work on them (a shared VM's vCPUs), which
// caps every two-thread speedup measured at the same time — the threads section prints it beside its ratios.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const ITERS = 200_000; // ≈ 0.16 ms a call
const FLOPS = ITERS * 48;

// Runs peakMulAdd for `ms` and returns GFLOP/s; the same code on both threads (the worker gets it as source).
const PEAK_LOOP = `function peakRate(ex, ms) {
  const f32 = new Float32Array(ex.memory.buffer), p = 65536, q = p >> 2;
  f32.fill(1, q, q + 4); for (let i = 4; i < 28; i++) f32[q + i] = 1 + i / 64; f32.fill(1e-3, q + 28, q + 32);
  for (let i = 0; i < 5; i++) ex.peakMulAdd(${ITERS}, p);
  let calls = 0; const t0 = performance.now();
  while (performance.now() - t0 < ms) { ex.peakMulAdd(${ITERS}, p); calls++; }
  return calls * ${FLOPS} / ((performance.now() - t0) * 1e6);
}`;

const WORKER = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const ex = new WebAssembly.Instance(new WebAssembly.Module(workerData), {}).exports;
${PEAK_LOOP}
parentPort.on('message', (ms) => parentPort.postMessage(peakRate(ex, ms)));`;

// eslint-disable-next-line @typescript-eslint/no-implied-eval
const peakRate = new Function(`${PEAK_LOOP}; return peakRate;`)() as (ex: unknown, ms: number) => number;

/** A worker thread kept for repeated measurements of the two-thread ceiling. */
export class CeilingProbe {
  private constructor(private readonly ex: unknown, private readonly worker: Worker) {}

  static start(): CeilingProbe {
    const bytes = readFileSync(new URL('../../build/kernels.wasm', import.meta.url));
    const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
    return new CeilingProbe(ex, new Worker(WORKER, { eval: true, workerData: bytes, execArgv: [] }));
  }

  /** Median over `pairs` of (both threads' peak rate together) ÷ (the calling thread's alone), `ms` per run. */
  async measure(pairs = 3, ms = 150): Promise<number> {
    const ratios: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const alone = peakRate(this.ex, ms);
      const other = new Promise<number>((res, rej) => {
        const fail = (e: Error) => rej(e);
        this.worker.once('error', fail);
        this.worker.once('message', (rate: number) => { this.worker.off('error', fail); res(rate); });
      });
      this.worker.postMessage(ms);
      const mine = peakRate(this.ex, ms);
      ratios.push((mine + (await other)) / alone);
    }
    return ratios.sort((a, b) => a - b)[ratios.length >> 1];
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
