// The test and benchmark build of the engine (build/kernels.wasm, assembly/kernels.ts): the library's ABI
// plus every single kernel, so each can be checked against its float64 reference.
import { join } from 'node:path';
import type { KernelExports } from '../../src/engine/abi.js';
import { loadEngine, type Engine } from '../../src/nn/engine.js';

export const KERNELS_WASM = join(import.meta.dirname, '..', '..', 'build', 'kernels.wasm');

export async function loadKernels(): Promise<{ engine: Engine; wasm: KernelExports }> {
  const engine = await loadEngine(KERNELS_WASM);
  return { engine, wasm: engine.runtime.wasm as KernelExports };
}
