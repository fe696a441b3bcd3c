// The MLP layer table's format, the one definition shared by both sides of the ABI: src/nn/mlp.ts writes
// the table, assembly/mlp.ts reads it (AssemblyScript compiles this file too, so keep it to plain enums
// and integer constants). The table is LAYER_TABLE_HEADER_WORDS i32 words (word 0 = the layer count), then
// one record of LAYER_RECORD_WORDS i32 words per layer, word LayerField.X of it holding field X.
export const LAYER_TABLE_HEADER_WORDS = 4;
export const LAYER_RECORD_WORDS = 16;

export enum LayerField {
  /** Input width of the layer (joined columns included). */
  In = 0,
  /** Output width. */
  Out = 1,
  /** Activation code (src/engine/abi.ts ACTIVATION_CODES). */
  Act = 2,
  /** Byte offsets of W [in × out], b [out] and their gradients. */
  W = 3,
  B = 4,
  DW = 5,
  DB = 6,
  /** Byte offset of the layer's input X [batch × in]. */
  X = 7,
  /** Byte offset where the output h = f(X·W + b) goes (the next layer's X, or the net's output) and its row stride. */
  Y = 8,
  LdY = 9,
  /** Gradients of X and of Y (dY of layer l is dX of layer l + 1). */
  DX = 10,
  DY = 11,
  /** Scratch for Wᵀ [out × in]. */
  Wt = 12,
}
