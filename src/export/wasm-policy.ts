// `export --format wasm`: a trained policy as one self-contained WebAssembly module that imports nothing and
// exports memory, obs_dim, act_dim, obs_ptr, action_ptr and act (docs/standalone-wasm.md). It is made without
// a compiler: the prebuilt policy runtime (build/policy-module.wasm, assembly/policy-module.ts) plus one active
// data segment at POLICY_DATA_BASE holding the header, the layer table, the parameters and the constants, and
// a memory large enough for them and the scratch buffers. Pure bytes in, bytes out (no Node imports but in
// readPolicyRuntime), so it runs in browsers too; the output depends only on the inputs.
import { CheckpointError, type CheckpointContent } from '../checkpoint/format.js';
import { ACTIVATION_CODES, type Activation } from '../engine/abi.js';
import { planLayers } from '../nn/layout.js';
import { POLICY_KIND, toPolicyContent, type PolicySpec } from '../policy.js';
import {
  addDataSegment, countImports, EXTERNAL, readDataSegments, readExports, readFunctionTypeIndices, readMemories, readSections,
  readTypes, VALTYPE, WASM_PAGE_BYTES, WasmFormatError,
} from './wasm-sections.js';

import {
  HEADER_WORDS, HeaderWord as H, POLICY_DATA_BASE, POLICY_DATA_MAGIC, POLICY_DATA_VERSION, RECORD_WORDS, RecordWord as R,
} from './policy-data-format.js';

export { POLICY_DATA_BASE, POLICY_DATA_VERSION };
const HEADER_BYTES = 4 * HEADER_WORDS;
const RECORD_BYTES = 4 * RECORD_WORDS;
/** Largest memory written: 2 GiB, so that every byte offset is a non-negative i32. */
const MAX_PAGES = 32768;

/** The exports of the runtime and of every module made from it: name → [params, results] (funcs) or memory. */
const ABI: Record<string, 'memory' | [number[], number[]]> = {
  memory: 'memory',
  obs_dim: [[], [VALTYPE.i32]],
  act_dim: [[], [VALTYPE.i32]],
  obs_ptr: [[], [VALTYPE.i32]],
  action_ptr: [[], [VALTYPE.i32]],
  act: [[], []],
};

export const DEFAULT_POLICY_RUNTIME_URL = new URL('../../build/policy-module.wasm', import.meta.url);

/** Node only: the runtime module's bytes (default: build/policy-module.wasm beside src/ and dist/). */
export async function readPolicyRuntime(path: string | URL = DEFAULT_POLICY_RUNTIME_URL): Promise<Uint8Array<ArrayBuffer>> {
  const fsModule = 'node:fs/promises'; // a variable, so browser bundlers leave it alone
  const fs = (await import(/* @vite-ignore */ fsModule)) as typeof import('node:fs/promises');
  return new Uint8Array(await fs.readFile(path));
}

/**
 * The standalone module of a policy: `policy` is checkpoint content of kind 'policy' (toPolicyContent() of a
 * policy or agent checkpoint), `runtime` the bytes of build/policy-module.wasm (readPolicyRuntime()).
 * Throws CheckpointError for content that is not a valid policy and WasmFormatError for a runtime that is not
 * the policy runtime (or is already a policy module).
 */
export function policyToWasm(policy: CheckpointContent, runtime: Uint8Array): Uint8Array<ArrayBuffer> {
  const source = '<policy content>';
  if (!policy || typeof policy !== 'object' || typeof policy.kind !== 'string' || !policy.meta || !policy.arrays) {
    throw new CheckpointError(source, 'is not checkpoint content ({ kind, meta, arrays })');
  }
  if (policy.kind !== POLICY_KIND) {
    throw new CheckpointError(source, `holds a '${policy.kind}', expected a 'policy'` +
      (policy.kind === 'agent' ? ' (take the actor of an agent checkpoint with toPolicyContent() first)' : ''));
  }
  const content = toPolicyContent(policy, source); // checks sizes, activations, box, normalization, parameters
  if (!(runtime instanceof Uint8Array)) throw new WasmFormatError(`policy runtime must be the bytes of build/policy-module.wasm (a Uint8Array), got ${typeof runtime}`);
  checkRuntime(runtime);
  const { data, totalBytes } = policyData(content.meta as unknown as PolicySpec, content.arrays.actor);
  const pages = Math.ceil((POLICY_DATA_BASE + totalBytes) / WASM_PAGE_BYTES);
  if (pages > MAX_PAGES) throw new CheckpointError(source, `needs ${pages} pages of memory, more than the ${MAX_PAGES} (2 GiB) a module gets here`);
  return addDataSegment(runtime, POLICY_DATA_BASE, data, pages, 'policy runtime');
}

/** Checks that `runtime` is the policy runtime: no imports, exactly the ABI's exports with their signatures,
 *  one memory, and no data at or above POLICY_DATA_BASE (a module that already holds a policy is refused). */
export function checkRuntime(runtime: Uint8Array): void {
  const what = 'policy runtime';
  const sections = readSections(runtime, what);
  const bad = (problem: string): never => { throw new WasmFormatError(`${what}: ${problem}; expected build/policy-module.wasm (npm run build:wasm)`); };
  const imports = countImports(runtime, sections, what);
  if (imports !== 0) bad(`has ${imports} imports`);
  const types = readTypes(runtime, sections, what);
  const funcs = readFunctionTypeIndices(runtime, sections, what);
  const exports = readExports(runtime, sections, what);
  const names = exports.map((e) => e.name).sort();
  const expected = Object.keys(ABI).sort();
  if (names.join() !== expected.join()) bad(`exports ${names.join(', ') || 'nothing'}, not ${expected.join(', ')}`);
  for (const e of exports) {
    const want = ABI[e.name];
    if (want === 'memory') {
      if (e.kind !== EXTERNAL.memory || e.index !== 0) bad(`'${e.name}' is not memory 0`);
      continue;
    }
    const type = e.kind === EXTERNAL.func ? types[funcs[e.index] ?? -1] : undefined;
    if (!type || type.params.join() !== want[0].join() || type.results.join() !== want[1].join()) {
      bad(`export '${e.name}' is not a function of type () → ${want[1].length ? 'i32' : '()'}`);
    }
  }
  const memories = readMemories(runtime, sections, what);
  if (memories.length !== 1) bad(`declares ${memories.length} memories`);
  for (const s of readDataSegments(runtime, sections, what).segments) {
    if (s.active && (s.memory !== 0 || s.offset! + s.size > POLICY_DATA_BASE)) {
      bad(`has a data segment at bytes [${s.offset}, ${s.offset! + s.size}) — already a policy module, or not the runtime`);
    }
  }
}

/** The data segment (header, layer table, normalization, scale and bias, parameters) and the bytes it and the
 *  scratch buffers after it take from POLICY_DATA_BASE on. */
export function policyData(spec: PolicySpec, actor: Float32Array): { data: Uint8Array; totalBytes: number } {
  const { layers } = planLayers(spec.sizes, spec.hidden as Activation, spec.output as Activation);
  const L = layers.length, obsDim = spec.sizes[0], actDim = spec.sizes[L];
  let at = 0; // bytes from POLICY_DATA_BASE
  const take = (bytes: number): number => { const p = at; at = align16(at + bytes); return p; };
  take(HEADER_BYTES + RECORD_BYTES * L);
  const norm = spec.obsNormalization ? take(8 + 16 * obsDim) : -1;
  const scale = take(4 * actDim), bias = take(4 * actDim);
  const params = take(4 * actor.length);
  const dataBytes = at;
  // Scratch (zero-initialized memory, not in the segment): obs, layer 0's input when obs is normalized
  // (else layer 0 reads obs itself), the hidden outputs; the last layer writes the action buffer, which
  // act() then turns into the action in place.
  const obs = take(4 * obsDim);
  const xs = [norm >= 0 ? take(4 * obsDim) : obs];
  for (let l = 1; l < L; l++) xs.push(take(4 * layers[l].in));
  const action = take(4 * actDim);
  const totalBytes = at;

  const data = new Uint8Array(dataBytes);
  const view = new DataView(data.buffer);
  const addr = (p: number) => POLICY_DATA_BASE + p;
  const u32 = (p: number, v: number) => view.setUint32(p, v, true);
  const header: [H, number][] = [[H.Magic, POLICY_DATA_MAGIC], [H.Version, POLICY_DATA_VERSION], [H.Layers, L], [H.ObsDim, obsDim],
    [H.ActDim, actDim], [H.Obs, addr(obs)], [H.Action, addr(action)], [H.Norm, norm >= 0 ? addr(norm) : 0], [H.Scale, addr(scale)],
    [H.Bias, addr(bias)], [H.End, addr(totalBytes)]];
  for (const [word, value] of header) u32(4 * word, value);
  layers.forEach((layer, l) => {
    const record: [R, number][] = [[R.In, layer.in], [R.Out, layer.out], [R.Act, ACTIVATION_CODES[layer.act]],
      [R.W, addr(params + 4 * layer.wOffset)], [R.B, addr(params + 4 * layer.bOffset)], [R.X, addr(xs[l])],
      [R.Y, addr(l === L - 1 ? action : xs[l + 1])]];
    for (const [word, value] of record) u32(HEADER_BYTES + RECORD_BYTES * l + 4 * word, value);
  });
  if (spec.obsNormalization) {
    const { mean, std, clip } = spec.obsNormalization;
    view.setFloat64(norm, clip, true);
    for (let i = 0; i < obsDim; i++) {
      view.setFloat64(norm + 8 + 8 * i, mean[i], true);
      view.setFloat64(norm + 8 + 8 * (obsDim + i), std[i], true);
    }
  }
  // As LoadedPolicy (src/policy.ts): float32 scale = (high − low)/2 and bias = (high + low)/2.
  for (let i = 0; i < actDim; i++) {
    view.setFloat32(scale + 4 * i, (spec.actionHigh[i] - spec.actionLow[i]) / 2, true);
    view.setFloat32(bias + 4 * i, (spec.actionHigh[i] + spec.actionLow[i]) / 2, true);
  }
  for (let i = 0; i < actor.length; i++) view.setFloat32(params + 4 * i, actor[i], true);
  return { data, totalBytes };
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
