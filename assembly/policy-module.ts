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
// The header, layer records and data are laid out as src/export/policy-data-format.ts defines (shared with
// the writer, src/export/wasm-policy.ts).
import { gemmBiasRelu } from './gemm';
import { ACT_RELU, ACT_TANH, tanhRows } from './activations';
import {
  HEADER_WORDS, HeaderWord as H, POLICY_DATA_BASE, POLICY_DATA_MAGIC, POLICY_DATA_VERSION, RECORD_WORDS, RecordWord as R,
} from '../src/export/policy-data-format';

const BASE: usize = <usize>POLICY_DATA_BASE;
const RECORD_BYTES: usize = <usize>RECORD_WORDS << 2;

@inline function header(w: H): i32 {
  return load<i32>(BASE + (<usize>w << 2));
}

@inline function field(rec: usize, w: R): i32 {
  return load<i32>(rec + (<usize>w << 2));
}

export function obs_dim(): i32 { return header(H.ObsDim); }
export function act_dim(): i32 { return header(H.ActDim); }
export function obs_ptr(): i32 { return header(H.Obs); }
export function action_ptr(): i32 { return header(H.Action); }

export function act(): void {
  // A module without the exporter's data (or with data of another version) traps instead of reading garbage.
  if (<u32>header(H.Magic) != <u32>POLICY_DATA_MAGIC || header(H.Version) != POLICY_DATA_VERSION) unreachable();
  // The module's own static data (the kernels' row buffer) must end below the policy data: a constant
  // comparison the optimizer removes, kept so that a kernel with more static data cannot silently overlap it.
  if (__heap_base > BASE) unreachable();
  const layers = header(H.Layers), obsDim = header(H.ObsDim), actDim = header(H.ActDim);
  const obs = <usize>header(H.Obs), action = <usize>header(H.Action), norm = <usize>header(H.Norm);
  const scale = <usize>header(H.Scale), bias = <usize>header(H.Bias);
  const first = BASE + (<usize>HEADER_WORDS << 2);
  const last = first + <usize>(layers - 1) * RECORD_BYTES;

  // Layer 0's input: the observation itself, or (with normalization) its normalized copy.
  if (norm != 0) {
    const x0 = <usize>field(first, R.X);
    const clip = load<f64>(norm), mean = norm + 8, std = mean + (<usize>obsDim << 3);
    for (let i = 0; i < obsDim; i++) {
      const z = (<f64>load<f32>(obs + (<usize>i << 2)) - load<f64>(mean + (<usize>i << 3))) / load<f64>(std + (<usize>i << 3));
      store<f32>(x0 + (<usize>i << 2), <f32>min(clip, max(-clip, z)));
    }
  }
  for (let rec = first; rec <= last; rec += RECORD_BYTES) {
    const nIn = field(rec, R.In), nOut = field(rec, R.Out), fn = field(rec, R.Act);
    const W = <usize>field(rec, R.W), b = <usize>field(rec, R.B), X = <usize>field(rec, R.X), Y = <usize>field(rec, R.Y);
    gemmBiasRelu(1, nOut, nIn, X, nIn, 1, W, nOut, Y, nOut, b, fn == ACT_RELU);
    if (fn == ACT_TANH) tanhRows(Y, nOut, 1, nOut);
  }
  const u = <usize>field(last, R.Y);
  for (let i = 0; i < actDim; i++) {
    const at = <usize>i << 2;
    store<f32>(action + at, <f32>(<f64>load<f32>(scale + at) * <f64>load<f32>(u + at) + <f64>load<f32>(bias + at)));
  }
}
