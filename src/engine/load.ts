// Finding and instantiating the engine's .wasm: from a URL (fetch + instantiateStreaming), from bytes,
// or — in Node only — from a file path. The default is engine.wasm shipped in build/ beside src/ and dist/.
import type { EngineExports } from './abi.js';

export type WasmSource = string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

const DEFAULT_WASM_URL = new URL('../../build/engine.wasm', import.meta.url);

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

async function readNodeFile(path: string | URL): Promise<Uint8Array> {
  const fsModule = 'node:fs/promises'; // a variable, so browser bundlers leave it alone
  const fs = (await import(/* @vite-ignore */ fsModule)) as typeof import('node:fs/promises');
  return fs.readFile(path);
}

async function instantiate(source: WasmSource): Promise<WebAssembly.Instance> {
  if (source instanceof WebAssembly.Module) return WebAssembly.instantiate(source, {});
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    const bytes = source instanceof ArrayBuffer ? source : (source as ArrayBufferView);
    return (await WebAssembly.instantiate(bytes as BufferSource, {})).instance;
  }
  const url = typeof source === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(source) ? source : new URL(String(source));
  if (typeof url === 'string' || url.protocol === 'file:') {
    if (!isNode()) throw new Error(`cannot read ${String(url)}: file paths need Node; pass a URL or the bytes`);
    return (await WebAssembly.instantiate((await readNodeFile(url)) as BufferSource, {})).instance;
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching the engine from ${url.href} failed: HTTP ${response.status}`);
  if (typeof WebAssembly.instantiateStreaming === 'function' &&
      response.headers.get('content-type')?.startsWith('application/wasm')) {
    return (await WebAssembly.instantiateStreaming(response, {})).instance;
  }
  return (await WebAssembly.instantiate(await response.arrayBuffer(), {})).instance;
}

export async function instantiateEngine(source: WasmSource = DEFAULT_WASM_URL): Promise<EngineExports> {
  const instance = await instantiate(source);
  return instance.exports as unknown as EngineExports;
}
