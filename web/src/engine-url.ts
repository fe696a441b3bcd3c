// Where the workers load the engine from: the SIMD build, or the build without SIMD (same results bit for
// bit) on a browser whose WebAssembly lacks SIMD — or, on a cross-origin isolated page (the demo server sends
// COOP/COEP), the threaded build on two threads (same results again). All are copied beside the bundles by
// scripts/build-web.mjs.
import { hostHasSimd, loadEngine, threadsUnavailable, type Engine } from '../../src/index.js';

export const ENGINE_URL = new URL(hostHasSimd() ? './engine.wasm' : './engine-scalar.wasm', import.meta.url);
const THREADS_URL = new URL('./engine-threads.wasm', import.meta.url);

const THREADS = Math.min(2, typeof navigator === 'object' ? navigator.hardwareConcurrency || 1 : 1);

/** Why the demo runs on one thread, or undefined when it runs on THREADS. */
function oneThreadBecause(): string | undefined {
  if (THREADS < 2) return 'this device reports one core';
  if (!hostHasSimd()) return 'the threaded engine needs WebAssembly SIMD';
  return threadsUnavailable();
}

let agentEngine: Engine | undefined;

/** A fresh engine for a new agent (its arena starts empty): on two threads where the page allows it. A page
 *  has one agent at a time, so the previous agent's engine is closed (its worker threads end). */
export async function freshAgentEngine(): Promise<Engine> {
  void agentEngine?.close();
  agentEngine = oneThreadBecause() === undefined ? await loadEngine({ threads: THREADS, threadedWasm: THREADS_URL }) : await loadEngine(ENGINE_URL);
  return agentEngine;
}

/** One line for the page: what the engine computes on, and why when it is one thread. */
export function engineLabel(): string {
  const why = oneThreadBecause();
  return why === undefined ? `engine: WebAssembly SIMD on ${THREADS} threads (cross-origin isolated page)` : `engine: 1 thread (${why})`;
}
