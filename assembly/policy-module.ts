// The standalone policy runtime (build/policy-module.wasm): the forward pass of a trained actor, with no
// weights of its own. `export --format wasm` (src/export/wasm-policy.ts) adds one active data segment at
// byte DATA_BASE of memory 0 — a header, the layer table, the parameters, the normalization and action
// constants, and the scratch buffers — and sizes the memory; the result is one self-contained module that
// imports nothing (docs/standalone-wasm.md):
//
//   memory                 the linear memory
//   obs_dim() → i32        observation width          act_dim() → i32     action width
//   obs_ptr() → i32        byte offset of obs_dim little-endian f32 (write the observation here)
//   action_ptr() → i32     byte offset of act_dim little-endian f32 (act() writes the action here)
//   act()                  action = scale ⊙ μ(normalize(obs)) + bias, in env units
//
// The arithmetic is the library's (src/policy.ts LoadedPolicy.act) operation for operation, so actions are
// bit-identical to loadPolicy's: the layers are the engine's own kernels (gemmBiasRelu with batch 1, then
// tanhRows, as assembly/mlp.ts mlpForward does); normalization is min(clip, max(−clip, (obs − mean) / std))
// in float64 with float64 constants, rounded to float32; the action is f32(f64(scale)·f64(u) + f64(bias))
// with float32 scale and bias. Built without SIMD (the kernels' scalar branches keep the SIMD order of
// operations) and with abort removed, for wasm2c and small runtimes.
//
// Header at DATA_BASE (little-endian u32 words; pointers are absolute byte offsets in memory):
//    0 magic 'DDPW'   4 version (1)   8 layer count L   12 obs_dim   16 act_dim
//   20 obs            24 action       28 normalization (0 = none: f64 clip, f64 mean[obs_dim], f64 std[obs_dim])
//   32 scale f32[act_dim]   36 bias f32[act_dim]   40 end (first byte after the data)   44 reserved (0)
// then L layer records of 8 words at DATA_BASE + 48 + 32·l:
//   in, out, activation (0 identity, 1 relu, 2 tanh), W [in × out] f32, b [out] f32, X [in] f32, Y [out] f32, 0
// These numbers are mirrored by src/export/wasm-policy.ts (the writer); the tests check the two agree.
import { gemmBiasRelu } from './gemm';
import { ACT_RELU, ACT_TANH, tanhRows } from './activations';

const DATA_BASE: usize = 65536;
const MAGIC: u32 = 0x57504444; // the bytes 'D' 'D' 'P' 'W'
const VERSION: u32 = 1;
const HEADER_BYTES: usize = 48;
const RECORD_BYTES: usize = 32;

@inline function word(offset: usize): i32 {
  return load<i32>(DATA_BASE + offset);
}

export function obs_dim(): i32 { return word(12); }
export function act_dim(): i32 { return word(16); }
export function obs_ptr(): i32 { return word(20); }
export function action_ptr(): i32 { return word(24); }

export function act(): void {
  // A module without the exporter's data (or with data of another version) traps instead of reading garbage.
  if (load<u32>(DATA_BASE) != MAGIC || load<u32>(DATA_BASE, 4) != VERSION) unreachable();
  // The module's own static data (the kernels' row buffer) must end below DATA_BASE: a constant comparison
  // the optimizer removes, kept so that a kernel with more static data cannot silently overlap the weights.
  if (__heap_base > DATA_BASE) unreachable();
  const layers = word(8), obsDim = word(12), actDim = word(16);
  const obs = <usize>word(20), action = <usize>word(24), norm = <usize>word(28);
  const scale = <usize>word(32), bias = <usize>word(36);
  const first = DATA_BASE + HEADER_BYTES;
  const last = first + <usize>(layers - 1) * RECORD_BYTES;

  // Layer 0's input: the observation itself, or (with normalization) its normalized copy.
  if (norm != 0) {
    const x0 = <usize>load<i32>(first, 20);
    const clip = load<f64>(norm), mean = norm + 8, std = mean + (<usize>obsDim << 3);
    for (let i = 0; i < obsDim; i++) {
      const z = (<f64>load<f32>(obs + (<usize>i << 2)) - load<f64>(mean + (<usize>i << 3))) / load<f64>(std + (<usize>i << 3));
      store<f32>(x0 + (<usize>i << 2), <f32>min(clip, max(-clip, z)));
    }
  }
  for (let rec = first; rec <= last; rec += RECORD_BYTES) {
    const nIn = load<i32>(rec), nOut = load<i32>(rec, 4), fn = load<i32>(rec, 8);
    const W = <usize>load<i32>(rec, 12), b = <usize>load<i32>(rec, 16);
    const X = <usize>load<i32>(rec, 20), Y = <usize>load<i32>(rec, 24);
    gemmBiasRelu(1, nOut, nIn, X, nIn, 1, W, nOut, Y, nOut, b, fn == ACT_RELU);
    if (fn == ACT_TANH) tanhRows(Y, nOut, 1, nOut);
  }
  const u = <usize>load<i32>(last, 24);
  for (let i = 0; i < actDim; i++) {
    const at = <usize>i << 2;
    store<f32>(action + at, <f32>(<f64>load<f32>(scale + at) * <f64>load<f32>(u + at) + <f64>load<f32>(bias + at)));
  }
}
