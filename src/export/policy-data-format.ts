// The data format of a standalone policy module, the one definition shared by both sides: src/export/wasm-policy.ts
// writes it as a data segment, assembly/policy-module.ts reads it (AssemblyScript compiles this file too, so keep
// it to plain enums and integer constants). At byte POLICY_DATA_BASE of memory 0: a header of HEADER_WORDS
// little-endian 32-bit words (HeaderWord.X holds X; pointers are absolute byte offsets in memory), then one
// record of RECORD_WORDS words per layer (RecordWord.X), then the data the pointers point at.
/** Where the data starts: the runtime's own static data (the kernels' row buffer) ends below it. */
export const POLICY_DATA_BASE = 65536;
/** The bytes 'D' 'D' 'P' 'W' as a little-endian word. */
export const POLICY_DATA_MAGIC = 0x57504444;
export const POLICY_DATA_VERSION = 1;
export const HEADER_WORDS = 12;
export const RECORD_WORDS = 8;

export enum HeaderWord {
  Magic = 0,
  Version = 1,
  Layers = 2,
  ObsDim = 3,
  ActDim = 4,
  /** obs_dim float32: the observation act() reads. */
  Obs = 5,
  /** act_dim float32: the action act() writes. */
  Action = 6,
  /** 0 = no normalization; else f64 clip, f64 mean[obs_dim], f64 std[obs_dim]. */
  Norm = 7,
  /** act_dim float32 each: action = scale ⊙ u + bias. */
  Scale = 8,
  Bias = 9,
  /** First byte after the data and the scratch buffers. */
  End = 10,
}

export enum RecordWord {
  In = 0,
  Out = 1,
  /** Activation code (src/engine/abi.ts ACTIVATION_CODES: 0 identity, 1 relu, 2 tanh). */
  Act = 2,
  /** W [in × out] and b [out], float32. */
  W = 3,
  B = 4,
  /** The layer's input [in] and output [out], float32 (a layer's Y is the next layer's X). */
  X = 5,
  Y = 6,
}
