// `export --format wasm` (src/export/wasm-policy.ts): one self-contained WebAssembly module per policy that
// imports nothing, exports exactly the ABI of docs/standalone-wasm.md and acts bit-identically to
// loadPolicy — instantiated in Node, and natively after wasm2c + the system C compiler (no JavaScript engine).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { CheckpointError, DDPG, decodeCheckpoint, encodeCheckpoint, encodePolicy, loadEngine, loadPolicy, TD3,
  type ActorSource, type Engine, type Policy } from '../src/index.js';
import type { CheckpointContent } from '../src/checkpoint/format.js';
import { makeEnv } from '../src/envs/index.js';
import { Trainer } from '../src/rl/trainer.js';
import { POLICY_DATA_BASE, policyToWasm, readPolicyRuntime } from '../src/export/wasm-policy.js';
import { buildNativePolicy, findToolchain, which } from './helpers/wasm2c.js';
import { addDataSegment, readSections, s32Leb, SECTION, u32Leb, Reader, WasmFormatError } from '../src/export/wasm-sections.js';

const ABI_EXPORTS = [['act', 'function'], ['act_dim', 'function'], ['action_ptr', 'function'], ['memory', 'memory'],
  ['obs_dim', 'function'], ['obs_ptr', 'function']];

let engine: Engine;
let scalarEngine: Engine;
let runtime: Uint8Array<ArrayBuffer>;
const cases: Case[] = [];
const work = mkdtempSync(join(tmpdir(), 'ddpg-export-wasm-'));

interface Case {
  name: string;
  content: CheckpointContent;
  wasm: Uint8Array<ArrayBuffer>;
  obs: Float32Array[];
  /** loadPolicy's actions, concatenated (the default engine: SIMD in Node). */
  expected: Float32Array;
  /** The same with the engine built without SIMD. */
  expectedScalar: Float32Array;
}

beforeAll(async () => {
  engine = await loadEngine();
  scalarEngine = await loadEngine({ simd: false });
  runtime = await readPolicyRuntime().catch((e: unknown) => {
    throw new Error(`build/policy-module.wasm is missing: run npm run build:wasm (${String(e)})`);
  });
  const add = async (name: string, source: ActorSource, obs: Float32Array[]) => {
    const content = decodeCheckpoint(encodePolicy(source));
    const bytes = encodeCheckpoint(content);
    const [simd, scalar] = [await loadPolicy(bytes, engine), await loadPolicy(bytes, scalarEngine)];
    cases.push({ name, content, wasm: policyToWasm(content, runtime), obs, expected: actionsOf(simd, obs), expectedScalar: actionsOf(scalar, obs) });
  };
  const pendulumBox = { obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2] };
  const training = { actorHidden: [64, 64], criticHidden: [64, 64], batchSize: 32, bufferSize: 2000, learningStarts: 100, actorLr: 3e-3, criticLr: 3e-3 };
  // 1. DDPG on Pendulum-v1 for a few hundred updates (weights far from their init), 3→64→64→1, box [−2, 2].
  const ddpg = new DDPG(engine, { ...pendulumBox, ...training, seed: 3 });
  new Trainer(ddpg, makeEnv('Pendulum-v1')).run(400);
  await add('DDPG 3→64→64→1 trained on Pendulum', ddpg, randomObs(1000, 3, 8, 'pendulum'));
  // 2. The same with observation normalization: real running statistics, and observations far enough out
  //    (±40, against stds of order 1) that many normalized values hit the clip (obsClip 3) — asserted below.
  const ddpgNorm = new DDPG(engine, { ...pendulumBox, ...training, seed: 4, obsNormalization: true, obsClip: 3 });
  new Trainer(ddpgNorm, makeEnv('Pendulum-v1')).run(400);
  await add('DDPG 3→64→64→1 with obs normalization', ddpgNorm, randomObs(1000, 3, 40, 'pendulum-norm'));
  // 3. TD3, 17→64→64→6 (HalfCheetah-shaped), asymmetric box, perturbed weights, set normalizer statistics.
  const box6 = { obsDim: 17, actDim: 6, actionLow: [-1, -0.5, 0, -3, -0.125, 2], actionHigh: [1, 1.5, 10, -1, 0.1, 2.5] };
  const td3 = new TD3(engine, { ...box6, actorHidden: [64, 64], criticHidden: [16], seed: 7, obsNormalization: true, obsClip: 5 });
  perturb(td3.actor.paramsView(), 'td3-weights');
  const rng = seedrandom('td3-stats');
  td3.obsNormalizer!.setState({ mean: Array.from({ length: 17 }, () => 4 * rng() - 2), var: Array.from({ length: 17 }, () => 0.01 + 3 * rng()), count: 50 });
  await add('TD3 17→64→64→6 with obs normalization', td3, randomObs(1000, 17, 12, 'td3-obs'));
  // 4. A tanh-hidden actor (as encodePolicy reads the activations from the actor), 17→64→64→6, same box.
  const tanhActor = engine.mlp({ sizes: [17, 64, 64, 6], hidden: 'tanh', output: 'tanh', seed: 5 });
  perturb(tanhActor.paramsView(), 'tanh-weights');
  await add('tanh hidden 17→64→64→6', { actor: tanhActor, config: td3.config }, randomObs(1000, 17, 3, 'tanh-obs'));
  // 5. Widths that are not multiples of 4 or 8 (every remainder loop of the kernels) and an identity output.
  const odd = engine.mlp({ sizes: [5, 37, 29, 1], hidden: 'relu', output: 'identity', seed: 6 });
  perturb(odd.paramsView(), 'odd-weights');
  await add('5→37→29→1, identity output', { actor: odd, config: { actionLow: [-0.5], actionHigh: [3] } }, randomObs(1000, 5, 4, 'odd-obs'));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function randomObs(n: number, dim: number, range: number, seed: string): Float32Array[] {
  const rng = seedrandom(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, () => (2 * rng() - 1) * range));
}

/** Weights moved off their init: + U(−0.3, 0.3) each, so the output layer is not near zero. */
function perturb(params: Float32Array, seed: string): void {
  const rng = seedrandom(seed);
  for (let i = 0; i < params.length; i++) params[i] += 0.6 * rng() - 0.3;
}

function actionsOf(policy: Policy, obs: Float32Array[]): Float32Array {
  const out = new Float32Array(obs.length * policy.actDim);
  obs.forEach((o, k) => out.set(policy.act(o), k * policy.actDim));
  return out;
}

interface PolicyExports {
  memory: WebAssembly.Memory;
  obs_dim(): number; act_dim(): number; obs_ptr(): number; action_ptr(): number; act(): void;
}

function wasmActions(wasm: Uint8Array<ArrayBuffer>, obs: Float32Array[]): Float32Array {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), {});
  const x = instance.exports as unknown as PolicyExports;
  const f32 = new Float32Array(x.memory.buffer);
  const actDim = x.act_dim(), o = x.obs_ptr() >>> 2, a = x.action_ptr() >>> 2;
  const out = new Float32Array(obs.length * actDim);
  obs.forEach((ob, k) => {
    f32.set(ob, o);
    x.act();
    out.set(f32.subarray(a, a + actDim), k * actDim);
  });
  return out;
}

/** Positions where the float32 bits differ (−0 vs +0 and NaN payloads count). */
function bitMismatches(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let n = 0;
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) n++;
  return n;
}

describe('the exported module', () => {
  it('imports nothing and exports exactly memory, obs_dim, act_dim, obs_ptr, action_ptr and act', () => {
    for (const c of cases) {
      const mod = new WebAssembly.Module(c.wasm);
      expect(WebAssembly.Module.imports(mod)).toEqual([]);
      expect(WebAssembly.Module.exports(mod).map((e) => [e.name, e.kind]).sort()).toEqual(ABI_EXPORTS);
      const x = new WebAssembly.Instance(mod, {}).exports as unknown as PolicyExports;
      for (const f of ['obs_dim', 'act_dim', 'obs_ptr', 'action_ptr', 'act'] as const) expect(x[f].length).toBe(0); // no parameters
      const sizes = c.content.meta.sizes as number[];
      expect([x.obs_dim(), x.act_dim()]).toEqual([sizes[0], sizes[sizes.length - 1]]);
      // The header of docs/standalone-wasm.md: magic 'DDPW', version 1, layer count, dims and pointers.
      const view = new DataView(x.memory.buffer, POLICY_DATA_BASE);
      expect(new TextDecoder().decode(new Uint8Array(x.memory.buffer, POLICY_DATA_BASE, 4))).toBe('DDPW');
      expect([1, 2, 3, 4, 5, 6].map((w) => view.getUint32(4 * w, true))).toEqual([1, sizes.length - 1, sizes[0], sizes[sizes.length - 1], x.obs_ptr(), x.action_ptr()]);
      expect(x.act()).toBeUndefined();
    }
    // The runtime alone has the same imports and exports.
    const mod = new WebAssembly.Module(runtime);
    expect(WebAssembly.Module.imports(mod)).toEqual([]);
    expect(WebAssembly.Module.exports(mod).map((e) => [e.name, e.kind]).sort()).toEqual(ABI_EXPORTS);
  });

  it('has the ABI signatures and validates as WebAssembly 1.0 without SIMD or bulk memory (wabt, when installed)', (ctx) => {
    const validate = which('wasm-validate'), objdump = which('wasm-objdump');
    if (!validate || !objdump) { console.warn('skipped: wabt (wasm-validate, wasm-objdump) is not installed'); ctx.skip(); }
    for (const c of cases) {
      const file = join(work, 'validate.wasm');
      writeFileSync(file, c.wasm);
      // Fails on any SIMD, bulk-memory, sign-extension or saturating-conversion instruction: the module is MVP.
      execFileSync(validate!, ['--disable-simd', '--disable-bulk-memory', '--disable-sign-extension', '--disable-saturating-float-to-int', file]);
      const dump = execFileSync(objdump!, ['-x', file], { encoding: 'utf8' });
      const types = new Map([...dump.matchAll(/type\[(\d+)\] (\(.*?\) -> \S+)/g)].map((m) => [m[1], m[2]]));
      const funcs = new Map([...dump.matchAll(/func\[(\d+)\] sig=(\d+)/g)].map((m) => [m[1], m[2]]));
      const signature = (name: string) => {
        const m = dump.match(new RegExp(`func\\[(\\d+)\\] <[^>]*> -> "${name}"`));
        return m ? types.get(funcs.get(m[1])!) : undefined;
      };
      for (const f of ['obs_dim', 'act_dim', 'obs_ptr', 'action_ptr']) expect(signature(f), f).toBe('() -> i32');
      expect(signature('act')).toBe('() -> nil');
      expect(dump).toMatch(/memory\[0\] -> "memory"/);
    }
  });

  it('acts bit-identically to loadPolicy (SIMD and scalar engine) in Node on 1000 observations per policy (DDPG, TD3, 1-D and 6-D boxes, normalization, tanh, odd widths)', () => {
    expect([engine.simd, scalarEngine.simd]).toEqual([true, false]);
    for (const c of cases) {
      const actions = wasmActions(c.wasm, c.obs);
      expect(bitMismatches(actions, c.expected), c.name).toBe(0);
      expect(bitMismatches(actions, c.expectedScalar), `${c.name} (engine without SIMD)`).toBe(0);
      expect(new Set(actions).size, `${c.name}: actions vary`).toBeGreaterThan(actions.length / 4);
    }
    // The normalization cases do hit the clip, both sides.
    const norm = cases.filter((c) => c.content.meta.obsNormalization);
    expect(norm.length).toBe(2);
    for (const c of norm) {
      const { mean, std, clip } = c.content.meta.obsNormalization as { mean: number[]; std: number[]; clip: number };
      const z = c.obs.flatMap((o) => Array.from(o, (v, i) => (v - mean[i]) / std[i]));
      expect(z.filter((v) => v > clip).length, c.name).toBeGreaterThan(100);
      expect(z.filter((v) => v < -clip).length, c.name).toBeGreaterThan(100);
      expect(z.filter((v) => Math.abs(v) < clip).length, c.name).toBeGreaterThan(100);
    }
  });

  it('acts bit-identically to loadPolicy natively: wasm2c + the C compiler, outside any JavaScript engine', (ctx) => {
    const toolchain = findToolchain();
    if (typeof toolchain === 'string') { console.warn(`skipped: ${toolchain}`); ctx.skip(); return; }
    for (const [k, c] of cases.entries()) {
      const dir = join(work, `native-${k}`);
      const harness = buildNativePolicy(c.wasm, dir, toolchain);
      const obsFile = join(dir, 'obs.bin');
      const all = new Float32Array(c.obs.length * c.obs[0].length);
      c.obs.forEach((o, i) => all.set(o, i * o.length));
      writeFileSync(obsFile, new Uint8Array(all.buffer));
      const [head, ...lines] = execFileSync(harness, [obsFile], { encoding: 'utf8', maxBuffer: 64 << 20 }).trim().split('\n');
      const sizes = c.content.meta.sizes as number[];
      expect(head).toBe(`${sizes[0]} ${sizes[sizes.length - 1]}`);
      expect(lines.length).toBe(c.obs.length);
      const native = new Float32Array(new Uint32Array(lines.flatMap((l) => l.split(' ').map((h) => parseInt(h, 16)))).buffer);
      expect(bitMismatches(native, c.expected), c.name).toBe(0);
    }
  });
});

describe('policyToWasm', () => {
  it('is deterministic and changes only the memory, data and data count sections of the runtime', async () => {
    const c = cases[2];
    const again = policyToWasm(decodeCheckpoint(encodeCheckpoint(c.content)), await readPolicyRuntime());
    expect(Buffer.from(again).equals(Buffer.from(c.wasm))).toBe(true);
    const before = readSections(runtime), after = readSections(c.wasm);
    const kept = (bytes: Uint8Array, list: typeof before) => list.filter((s) => s.id !== SECTION.memory && s.id !== SECTION.data && s.id !== SECTION.dataCount)
      .map((s) => Buffer.from(bytes.subarray(s.start, s.end)).toString('hex'));
    expect(kept(c.wasm, after)).toEqual(kept(runtime, before));
    // Memory: enough pages for the data (in the file) and the scratch (not in the file).
    const mem = new WebAssembly.Instance(new WebAssembly.Module(c.wasm), {}).exports.memory as WebAssembly.Memory;
    const params = (c.content.arrays.actor as Float32Array).length;
    expect(mem.buffer.byteLength).toBeGreaterThanOrEqual(POLICY_DATA_BASE + 4 * params);
    expect(c.wasm.length).toBeLessThan(runtime.length + 4 * params + 2048);
  });

  it('refuses content that is not a valid policy with a CheckpointError', () => {
    const c = cases[0].content;
    const refuses = (content: unknown, message: RegExp) => {
      const err = (() => { try { policyToWasm(content as CheckpointContent, runtime); } catch (e) { return e; } })();
      expect(err).toBeInstanceOf(CheckpointError);
      expect((err as Error).message).toMatch(message);
    };
    refuses({ kind: 'agent', meta: {}, arrays: {} }, /holds a 'agent', expected a 'policy' \(take the actor .* toPolicyContent\(\) first\)/);
    refuses({ kind: 'replay', meta: {}, arrays: {} }, /holds a 'replay', expected a 'policy'/);
    refuses(null, /is not checkpoint content/);
    refuses({ ...c, arrays: {} }, /array 'actor' is missing/);
    refuses({ ...c, arrays: { actor: new Float32Array(5) } }, /array 'actor' has 5 values/);
    refuses({ ...c, meta: { ...c.meta, hidden: 'gelu' } }, /hidden activation/);
    refuses({ ...c, meta: { ...c.meta, actionHigh: [-3] } }, /low -2 ≥ high -3/);
  });

  it('refuses a runtime that is not build/policy-module.wasm with a WasmFormatError', () => {
    const c = cases[0].content;
    const refuses = (bytes: unknown, message: RegExp) => {
      const err = (() => { try { policyToWasm(c, bytes as Uint8Array); } catch (e) { return e; } })();
      expect(err).toBeInstanceOf(WasmFormatError);
      expect((err as Error).message).toMatch(message);
    };
    refuses(new TextEncoder().encode('not wasm at all'), /not a WebAssembly 1\.0 binary/);
    refuses(runtime.subarray(0, runtime.length - 3), /announced|unexpected end/);
    refuses(readFileSync(join(import.meta.dirname, '..', 'build', 'engine.wasm')), /exports .* not act, act_dim, action_ptr, memory, obs_dim, obs_ptr/);
    refuses(cases[1].wasm, /already a policy module/); // an exported module is not a runtime
    refuses(Array.from(runtime), /must be the bytes/);
    // A module with the ABI's exports but an import: (import "env" "f" (func)), then the runtime's sections.
    const sections = readSections(runtime);
    const typeEnd = sections.find((s) => s.id === SECTION.type)!.end;
    const importSection = [SECTION.import, 9, 1, 3, ...new TextEncoder().encode('env'), 1, 0x66, 0x00, 0x00];
    const withImport = Uint8Array.from([...runtime.subarray(0, typeEnd), ...importSection, ...runtime.subarray(typeEnd)]);
    refuses(withImport, /has 1 imports/);
  });
});

describe('wasm-sections', () => {
  it('LEB128 round trips at the edges', () => {
    for (const v of [0, 1, 63, 64, 127, 128, 16383, 16384, 65536, 2 ** 31 - 1, 2 ** 32 - 1]) {
      const b = Uint8Array.from(u32Leb(v));
      expect(new Reader(b, 0, b.length, 't').u32()).toBe(v);
    }
    for (const v of [0, 1, -1, 63, 64, -64, -65, 65536, 2 ** 31 - 1, -(2 ** 31)]) {
      const b = Uint8Array.from(s32Leb(v));
      expect(new Reader(b, 0, b.length, 't').s32()).toBe(v);
    }
    expect(u32Leb(624485)).toEqual([0xe5, 0x8e, 0x26]); // the spec's example
    expect(s32Leb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(() => new Reader(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x7f]), 0, 5, 't').u32()).toThrow(WasmFormatError);
  });

  it('adds a segment beside existing ones, counts it in the data count section and raises min and max', () => {
    // (memory (export "m") 1 2), a data count of 1 and one active segment "ab" at 16: written by hand.
    const module = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
      SECTION.memory, 4, 1, 1, 1, 2,
      SECTION.export, 5, 1, 1, 0x6d, 2, 0,
      SECTION.dataCount, 1, 1,
      SECTION.data, 8, 1, 0, 0x41, 16, 0x0b, 2, 0x61, 0x62]);
    expect(WebAssembly.validate(module)).toBe(true);
    const patched = addDataSegment(module, 70000, Uint8Array.from([1, 2, 3]), 3);
    const mem = new WebAssembly.Instance(new WebAssembly.Module(patched), {}).exports.m as WebAssembly.Memory;
    const bytes = new Uint8Array(mem.buffer);
    expect(mem.buffer.byteLength).toBe(3 * 65536);
    expect([...bytes.subarray(16, 18)]).toEqual([0x61, 0x62]);
    expect([...bytes.subarray(70000, 70003)]).toEqual([1, 2, 3]);
    mem.grow(0); // max 3 now: one more page fails
    expect(() => mem.grow(1)).toThrow(RangeError);
    expect(readSections(patched).map((s) => s.id)).toEqual([SECTION.memory, SECTION.export, SECTION.dataCount, SECTION.data]);
  });
});
