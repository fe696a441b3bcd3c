// The test and benchmark build of the engine (build/kernels.wasm, assembly/kernels.ts): the library's ABI
// plus every single kernel, so each can be checked against its float64 reference — in both builds, with
// WebAssembly SIMD and without (build/kernels-scalar.wasm, chosen by ASC_FEATURE_SIMD in assembly/).
import { join } from 'node:path';
import type { KernelExports } from '../../src/engine/abi.js';
import { loadEngine, type Engine } from '../../src/nn/engine.js';

const BUILD = join(import.meta.dirname, '..', '..', 'build');
export const KERNELS_WASM = join(BUILD, 'kernels.wasm');

/** The two engine builds the core kernel and MLP tests run against (describe.each). */
export const ENGINE_BUILDS = [
  { name: 'SIMD', simd: true, kernels: KERNELS_WASM },
  { name: 'scalar', simd: false, kernels: join(BUILD, 'kernels-scalar.wasm') },
] as const;
export type EngineBuild = (typeof ENGINE_BUILDS)[number];

export async function loadKernels(build: EngineBuild = ENGINE_BUILDS[0]): Promise<{ engine: Engine; wasm: KernelExports }> {
  const engine = await loadEngine(build.kernels);
  return { engine, wasm: engine.runtime.wasm as KernelExports };
}
