// Running the threaded engine (build/engine-threads.wasm) on N threads: the calling thread and N − 1 workers
// (Node worker_threads, or Web Workers), each with its own instance of the same module on one shared
// memory. The wasm side (assembly/thread-sync.ts) hands out and waits for jobs; this side allocates the
// control block, starts the workers once, stops them on close(), and turns a failure into an
// EngineThreadError instead of a deadlock: a worker that throws records its message in the control block
// and counts its part done, so the caller's wait ends and traps, and every later call throws the same error.
import { EngineThreadError } from '../errors.js';
import type { EngineExports } from './abi.js';
import type { Runtime } from './runtime.js';
import {
  MAX_PARTS_PER_THREAD, THREAD_CONTROL_BYTES, THREAD_MESSAGE_BYTES, THREAD_MESSAGE_OFFSET, THREAD_SCRATCH_BYTES, THREADS_STALLED,
  THREADS_STALLED_REPORTING, ThreadWord,
} from './thread-control.js';

/** What a threaded engine splits and how long its threads spin before they sleep. */
export interface ThreadTuning {
  /** A GEMM is split when m·n·k ≥ minWork (README, Threads: at 2¹⁸ the 64/64 update was split too, faster on
   *  average but up to 1.38× slower in a busy spell of the host; 2²¹ keeps it on one thread). */
  minWork: number;
  /** Adam and Polyak are split over vectors of at least minElements floats. */
  minElements: number;
  /** Spin iterations before sleeping: the caller waiting for workers, a worker waiting for a job. */
  callerSpins: number;
  workerSpins: number;
  /** 1 (default): the calling thread also takes the parts no worker has claimed yet, so a worker the OS keeps off
   *  a core delays nothing; 0: a static schedule, the caller computes part 0 and waits for the workers'. */
  callerSteals: number;
  /** A split job has work ÷ minWork (or length ÷ minElements) parts, at least one per thread and at most this
   *  many per thread (1 to MAX_PARTS_PER_THREAD): a thread whose core is slower claims fewer of them. */
  partsPerThread: number;
  /** The calling thread waits at most about this long (ms) for a split job's parts with none finishing, then
   *  throws EngineThreadError: a worker that stopped without an error (a Web Worker the browser terminated) is
   *  then an error, not a hang. A part takes well under a millisecond to tens of them. */
  stallMs: number;
}

export const DEFAULT_TUNING: ThreadTuning = {
  minWork: 1 << 21, minElements: 1 << 15, callerSpins: 1 << 20, workerSpins: 1 << 17, callerSteals: 1, partsPerThread: 4,
  stallMs: 60_000,
};

/** The largest value a control-block word (i32) holds. */
export const I32_MAX = 2 ** 31 - 1;
/** The integers each tuning field may take, [min, max] (loadEngine refuses the rest). */
export const TUNING_RANGES: Record<keyof ThreadTuning, [number, number]> = {
  minWork: [0, I32_MAX], minElements: [0, I32_MAX], callerSpins: [0, I32_MAX], workerSpins: [0, I32_MAX],
  callerSteals: [0, 1], partsPerThread: [1, MAX_PARTS_PER_THREAD], stallMs: [1, I32_MAX],
};

export interface ThreadedExports extends EngineExports {
  threadsInit(ctl: number, threads: number): void;
  threadLoop(ctl: number, index: number, scratch: number): void;
}

/** The words a worker needs to report a failure (the worker source below has no access to our modules). */
interface WorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctl: number;
  index: number;
  scratch: number;
  failedWord: number;
  doneWord: number;
  messageAt: number;
  messageBytes: number;
  /** The GEMM kernel variant ids of the calling thread's instance (setKernels), for this one too. */
  kernels: [number, number, number];
}

// The worker's whole program, as source so that it needs no file of its own (Node runs it with eval: true,
// a browser from a Blob URL): instantiate the module on the shared memory, give it the caller's kernel
// variants, say ready, run threadLoop until
// the engine closes. On a throw it claims Failed (−1 while it writes its message, then 1 + its index),
// counts itself done and wakes the caller.
const WORKER_SOURCE = `'use strict';
function run(d, post) {
  let instance;
  try {
    instance = new WebAssembly.Instance(d.module, { env: { memory: d.memory } });
    if (instance.exports.setKernels(d.kernels[0], d.kernels[1], d.kernels[2]) !== 1) throw new Error('setKernels refused ' + d.kernels);
  } catch (e) { post({ type: 'error', message: String(e) }); return; }
  post({ type: 'ready' });
  try { instance.exports.threadLoop(d.ctl, d.index, d.scratch); }
  catch (e) {
    const i32 = new Int32Array(d.memory.buffer);
    if (Atomics.compareExchange(i32, d.failedWord, 0, -1) === 0) {
      const text = new TextEncoder().encode(String(e && e.message || e)).subarray(0, d.messageBytes - 1);
      const bytes = new Uint8Array(d.memory.buffer, d.messageAt, d.messageBytes);
      bytes.fill(0); bytes.set(text);
      Atomics.store(i32, d.failedWord, d.index + 1);
    }
    Atomics.add(i32, d.doneWord, 1);
    Atomics.notify(i32, d.doneWord);
  }
  post({ type: 'exit' });
}
if (typeof process === 'object' && process.versions && process.versions.node) {
  const { parentPort, workerData } = require('node:worker_threads');
  run(workerData, (m) => parentPort.postMessage(m));
} else {
  self.onmessage = (e) => run(e.data, (m) => self.postMessage(m));
}
`;

/** One started worker, Node or browser. */
interface WorkerHandle {
  /** Resolves with 'ready', rejects with the worker's error. */
  ready: Promise<void>;
  /** Resolves when the worker has ended. */
  exited: Promise<void>;
  terminate(): void;
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

async function startWorker(data: WorkerData): Promise<WorkerHandle> {
  let onReady!: () => void, onFail!: (e: Error) => void, onExit!: () => void;
  const ready = new Promise<void>((res, rej) => { onReady = res; onFail = rej; });
  const exited = new Promise<void>((res) => { onExit = res; });
  const message = (m: { type: string; message?: string }): void => {
    if (m.type === 'ready') onReady();
    else if (m.type === 'error') onFail(new EngineThreadError(`engine thread ${data.index} could not start: ${m.message}`));
  };
  if (isNode()) {
    const workerModule = 'node:worker_threads'; // a variable, so browser bundlers leave it alone
    const { Worker } = (await import(/* @vite-ignore */ workerModule)) as typeof import('node:worker_threads');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: data, execArgv: [] }); // plain script: no loaders, no --input-type
    worker.on('message', message);
    worker.on('error', (e) => onFail(new EngineThreadError(`engine thread ${data.index} failed: ${e.message}`)));
    worker.on('exit', () => { onFail(new EngineThreadError(`engine thread ${data.index} exited before it was ready`)); onExit(); });
    void ready.then(() => worker.unref(), () => undefined); // once running, an engine nobody closed does not keep the process alive
    return { ready, exited, terminate: () => void worker.terminate() };
  }
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  worker.onmessage = (e: MessageEvent) => message(e.data as { type: string; message?: string });
  worker.onerror = (e: ErrorEvent) => onFail(new EngineThreadError(`engine thread ${data.index} failed: ${e.message}`));
  worker.postMessage(data);
  return { ready, exited, terminate: () => { worker.terminate(); onExit(); } };
}

/** Why this host cannot run threads, or undefined when it can. */
export function threadsUnavailable(): string | undefined {
  if (typeof SharedArrayBuffer === 'undefined') {
    return isNode() ? 'this JavaScript host has no SharedArrayBuffer'
      : 'SharedArrayBuffer needs a cross-origin isolated page (COOP: same-origin, COEP: require-corp)';
  }
  const g = globalThis as { crossOriginIsolated?: boolean; document?: unknown };
  if (!isNode() && g.crossOriginIsolated === false) return 'the page is not cross-origin isolated (COOP/COEP headers)';
  if (!isNode() && g.document !== undefined) return 'a page\'s main thread cannot block; load the engine in a Web Worker';
  return undefined;
}

export class EngineThreads {
  readonly count: number;
  private readonly workers: WorkerHandle[];
  private readonly memory: WebAssembly.Memory;
  private readonly ctl: number;
  private failure: EngineThreadError | undefined;
  private closing: Promise<void> | undefined;

  private constructor(count: number, workers: WorkerHandle[], memory: WebAssembly.Memory, ctl: number) {
    this.count = count;
    this.workers = workers;
    this.memory = memory;
    this.ctl = ctl;
  }

  /** Allocates the control block and per-worker scratch in `runtime`, starts `threads − 1` workers and waits
   *  until each is running its loop. */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, runtime: Runtime, threads: number,
                     tuning: ThreadTuning, kernels: [number, number, number]): Promise<EngineThreads> {
    const wasm = runtime.wasm as ThreadedExports;
    const ctl = runtime.alloc(THREAD_CONTROL_BYTES / 4);
    const i32 = runtime.i32;
    const w = (word: ThreadWord, value: number): void => { i32[(ctl >>> 2) + word] = value; };
    w(ThreadWord.Generation, 0); // no job yet: each worker waits for a generation other than 0 (thread-loop.ts)
    w(ThreadWord.Threads, threads);
    w(ThreadWord.MinWork, Math.min(tuning.minWork, I32_MAX));
    w(ThreadWord.MinElements, tuning.minElements);
    w(ThreadWord.CallerSpins, tuning.callerSpins);
    w(ThreadWord.WorkerSpins, tuning.workerSpins);
    w(ThreadWord.CallerSteals, tuning.callerSteals);
    w(ThreadWord.PartsPerThread, tuning.partsPerThread);
    w(ThreadWord.StallMs, tuning.stallMs);
    const workers: WorkerHandle[] = [];
    for (let index = 1; index < threads; index++) {
      const scratch = runtime.alloc(THREAD_SCRATCH_BYTES / 4);
      workers.push(await startWorker({
        module, memory, ctl, index, scratch,
        failedWord: (ctl >>> 2) + ThreadWord.Failed, doneWord: (ctl >>> 2) + ThreadWord.Done,
        messageAt: ctl + THREAD_MESSAGE_OFFSET, messageBytes: THREAD_MESSAGE_BYTES, kernels,
      }));
    }
    const pool = new EngineThreads(threads, workers, memory, ctl);
    try {
      await Promise.all(workers.map((x) => x.ready));
    } catch (e) {
      await pool.close();
      throw e;
    }
    wasm.threadsInit(ctl, threads);
    return pool;
  }

  /** Jobs run split across the threads so far. */
  get splitJobs(): number {
    return this.word(ThreadWord.SplitJobs);
  }

  /** Parts those jobs were cut into. */
  get splitParts(): number {
    return this.word(ThreadWord.SplitParts);
  }

  /** Parts of those jobs the workers computed (the caller computes the rest). */
  get workerParts(): number {
    return this.word(ThreadWord.WorkerParts);
  }

  /** A word of the control block, read atomically (a view made now: the memory may have grown). */
  private word(w: ThreadWord): number {
    return Atomics.load(new Int32Array(this.memory.buffer), (this.ctl >>> 2) + w);
  }

  /** Throws the recorded failure, if a worker failed. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** After a call into the engine trapped: the EngineThreadError naming the thread that failed — a worker, or
   *  the calling thread itself (it computes parts too) — which every later call throws as well: a job the trap
   *  interrupted may still be running on a worker, so the engine is not used again. */
  translate(error: unknown): unknown {
    if (!(error instanceof WebAssembly.RuntimeError)) return error;
    if (!this.failure) {
      const failed = this.word(ThreadWord.Failed);
      let who = `0 (the calling thread) of ${this.count}`, text = error.message;
      if (failed === THREADS_STALLED || failed === THREADS_STALLED_REPORTING) {
        const midway = failed === THREADS_STALLED_REPORTING, ms = this.word(ThreadWord.StallMs) * (midway ? 2 : 1);
        const why = midway ? 'a worker thread failed and stopped before it could record why'
          : 'a worker thread stopped without an error (terminated or killed)';
        this.failure = new EngineThreadError(`engine threads stalled: no part of a split job finished for ${ms} ms (threadTuning.stallMs) — ` +
          `${why}; the engine cannot be used any more`);
        return this.failure;
      }
      if (failed > 0) {
        const bytes = new Uint8Array(this.memory.buffer, this.ctl + THREAD_MESSAGE_OFFSET, THREAD_MESSAGE_BYTES);
        const end = bytes.indexOf(0);
        who = `${failed - 1} of ${this.count}`;
        text = new TextDecoder().decode(bytes.slice(0, end < 0 ? bytes.length : end));
      }
      this.failure = new EngineThreadError(`engine thread ${who} failed: ${text}; the engine cannot be used any more`);
    }
    return this.failure;
  }

  /** Ends the workers (idempotent). */
  close(): Promise<void> {
    this.failure ??= new EngineThreadError('this engine was closed (engine.close()): load a new one to compute');
    this.closing ??= (async () => {
      const i32 = new Int32Array(this.memory.buffer);
      const base = this.ctl >>> 2;
      Atomics.store(i32, base + ThreadWord.Quit, 1);
      Atomics.add(i32, base + ThreadWord.Generation, 1);
      Atomics.notify(i32, base + ThreadWord.Generation);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((res) => { timer = setTimeout(res, 2000); }); // keeps the process alive until they end
      await Promise.race([Promise.all(this.workers.map((x) => x.exited)), timeout]);
      clearTimeout(timer);
      for (const x of this.workers) x.terminate();
    })();
    return this.closing;
  }
}

/** The engine's exports with every function wrapped so that a worker's failure surfaces as its
 *  EngineThreadError (one try/catch per call into the engine; the hot loops are inside the call). */
export function guardedExports(wasm: ThreadedExports, threads: EngineThreads): ThreadedExports {
  const guarded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(wasm)) {
    if (typeof value !== 'function') { guarded[name] = value; continue; }
    const f = value as (...args: number[]) => unknown;
    guarded[name] = (...args: number[]) => {
      threads.check();
      try {
        return f(...args);
      } catch (e) {
        throw threads.translate(e);
      }
    };
  }
  return guarded as unknown as ThreadedExports;
}
