// Finding and instantiating the engine's .wasm: from a URL (fetch + instantiateStreaming), from bytes,
// or — in Node only — from a file path. The default is shipped in build/ beside src/ and dist/: engine.wasm,
// or engine-scalar.wasm (the same engine compiled without SIMD, same results bit for bit) on a host whose
// WebAssembly lacks SIMD — or when asked for.
import type { EngineExports } from './abi.js';

export type WasmSource = string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

const SIMD_WASM_URL = new URL('../../build/engine.wasm', import.meta.url);
const SCALAR_WASM_URL = new URL('../../build/engine-scalar.wasm', import.meta.url);
/** The threaded build (SIMD, imported shared memory): src/engine/threads.ts runs it. */
export const THREADS_WASM_URL = new URL('../../build/engine-threads.wasm', import.meta.url);
/** Its memory's initial pages, as asconfig.json's release-threads target declares them. */
const THREADS_INITIAL_PAGES = 4;

// (module (func (result v128) i32.const 0 i32x4.splat)): valid exactly where WebAssembly has SIMD.
const SIMD_PROBE = Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 17, 11);

/** Whether this host's WebAssembly has 128-bit SIMD (fixed-width SIMD, part of WebAssembly 2.0). */
export function hostHasSimd(): boolean {
  return WebAssembly.validate(SIMD_PROBE);
}

/** The engine build shipped with the package: with SIMD unless `simd` is false or the host lacks it. */
export function defaultEngineUrl(simd: boolean = hostHasSimd()): URL {
  return simd ? SIMD_WASM_URL : SCALAR_WASM_URL;
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

async function readNodeFile(path: string | URL): Promise<Uint8Array> {
  const fsModule = 'node:fs/promises'; // a variable, so browser bundlers leave it alone
  const fs = (await import(/* @vite-ignore */ fsModule)) as typeof import('node:fs/promises');
  return fs.readFile(path);
}

/** Compiles the module at `source` (a URL, path, bytes or a compiled Module). */
export async function compileEngine(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    const bytes = source instanceof ArrayBuffer ? source : (source as ArrayBufferView);
    return WebAssembly.compile(bytes as BufferSource);
  }
  const url = typeof source === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(source) ? source : new URL(String(source));
  if (typeof url === 'string' || url.protocol === 'file:') {
    if (!isNode()) throw new Error(`cannot read ${String(url)}: file paths need Node; pass a URL or the bytes`);
    return WebAssembly.compile((await readNodeFile(url)) as BufferSource);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching the engine from ${url.href} failed: HTTP ${response.status}`);
  if (typeof WebAssembly.compileStreaming === 'function' &&
      response.headers.get('content-type')?.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

export async function instantiateEngine(source: WasmSource = defaultEngineUrl()): Promise<EngineExports> {
  const instance = await WebAssembly.instantiate(await compileEngine(source), {});
  return instance.exports as unknown as EngineExports;
}

/** The threaded build on a new shared memory (growable to 4 GiB): its module, to be instantiated again in
 *  each worker, the memory, and the calling thread's instance. */
export async function instantiateThreadedEngine(source: WasmSource = THREADS_WASM_URL):
    Promise<{ module: WebAssembly.Module; memory: WebAssembly.Memory; exports: EngineExports }> {
  const module = await compileEngine(source);
  const memory = new WebAssembly.Memory({ initial: THREADS_INITIAL_PAGES, maximum: 65536, shared: true });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return { module, memory, exports: instance.exports as unknown as EngineExports };
}
