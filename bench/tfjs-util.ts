// TensorFlow.js set-up for the benchmarks, offline in Node: the pure-JS 'cpu' backend or the 'wasm'
// backend loaded from the installed @tensorflow/tfjs-backend-wasm package's dist/ folder (no CDN).
//
// Threads (what was found with tfjs 4.22 on Node 20): tfjs-backend-wasm hard-codes
// WASM_HAS_MULTITHREAD_SUPPORT = false when IS_NODE (tensorflow/tfjs#3830), so Node always gets the
// single-threaded SIMD build (tfjs-backend-wasm-simd.wasm) and setThreadsCount() has no effect.
// Forcing the flag to true makes the threaded build try to start its pthread workers from a
// `blob:` URL, which Node's worker_threads rejects (ERR_WORKER_PATH); the emscripten module's
// uncaughtException handler then kills the process. So this helper never forces it, and reports the
// thread count the backend actually uses.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfWasm from '@tensorflow/tfjs-backend-wasm';
// Registers every gradient function with tfjs-core (core alone registers none in Node).
import '@tensorflow/tfjs-layers';

export type TfBackendName = 'wasm' | 'cpu';

export interface TfSetup {
  tf: typeof tf;
  /** Backend actually active after set-up. */
  backend: string;
  /** Threads the backend computes with (cpu: 1; wasm: tfjs's own count, 1 in Node). */
  threads: number;
  /** Threads that were asked for, if any. */
  requestedThreads?: number;
  simd: boolean;
  version: string;
  /** Where the .wasm files come from (wasm only). */
  wasmPath?: string;
  /** Short human-readable line, e.g. "tfjs 4.22.0 wasm (SIMD, 1 thread)". */
  description: string;
  notes: string[];
}

/** The installed tfjs-backend-wasm dist/ folder, with a trailing separator (what setWasmPaths wants). */
export function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  // package.json "main" is dist/tf-backend-wasm.node.js, next to the .wasm files.
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

let wasmPathsSet = false;

/**
 * Makes `backend` the active tfjs backend and returns tf with a description of it.
 * Safe to call more than once (e.g. wasm first, then cpu); tensors made before a switch stay on
 * their old backend, so create variables after calling this.
 */
export async function setupTf(backend: TfBackendName, threads?: number): Promise<TfSetup> {
  // Prod mode only silences tfjs warnings (e.g. the "install tfjs-node" banner of the cpu backend).
  tf.enableProdMode();
  const notes: string[] = [];
  let wasmPath: string | undefined;
  if (backend === 'wasm') {
    wasmPath = wasmDistDir();
    if (!wasmPathsSet) {
      tfWasm.setWasmPaths(wasmPath);
      wasmPathsSet = true;
    }
    if (threads !== undefined) {
      if (!(Number.isInteger(threads) && threads >= 1)) throw new Error(`threads must be a positive integer, got ${threads}`);
      tfWasm.setThreadsCount(threads);
    }
  } else if (threads !== undefined && threads !== 1) {
    notes.push(`the cpu backend is single-threaded: ignoring threads=${threads}`);
  }
  const ok = await tf.setBackend(backend);
  if (!ok || tf.getBackend() !== backend) throw new Error(`tfjs backend '${backend}' failed to initialise (active: ${tf.getBackend()})`);
  await tf.ready();

  let actualThreads = 1;
  let simd = false;
  if (backend === 'wasm') {
    simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const mt = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    actualThreads = tfWasm.getThreadsCount();
    if (!mt) notes.push('tfjs-backend-wasm disables multithreading in Node (WASM_HAS_MULTITHREAD_SUPPORT=false), single-threaded build used');
    if (threads !== undefined && threads !== actualThreads) notes.push(`asked for ${threads} threads, backend uses ${actualThreads}`);
  }
  const version = tf.version_core;
  const detail = backend === 'wasm'
    ? `${simd ? 'SIMD' : 'no SIMD'}, ${actualThreads} thread${actualThreads === 1 ? '' : 's'}`
    : 'pure JS, 1 thread';
  return {
    tf,
    backend: tf.getBackend(),
    threads: actualThreads,
    requestedThreads: threads,
    simd,
    version,
    wasmPath,
    description: `tfjs ${version} ${backend} (${detail})`,
    notes,
  };
}
