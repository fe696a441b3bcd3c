// Reverse-mode autodiff for a multi-layer perceptron, one call per pass.
//
// The network is described by a table in linear memory written by the TypeScript side
// (src/nn/mlp.ts, writeDescriptor) in the format of src/engine/layer-record.ts: a header word nLayers,
// then one record per layer l with the fields in, out, act, W, b, dW, db, X, Y, ldY, dX, dY, Wt.
// X [batch × in] is the layer's input; Y (row stride ldY) is where its output h = f(X·W + b) goes,
// which is the left part of the next layer's X — so a second input written into the right part
// of some X (columns [out_{l−1}, in_l)) joins the network at that layer. dX / dY hold the gradients
// of X / Y with the same shapes; dY of layer l is dX of layer l+1. Wt is scratch for Wᵀ [out × in].
//
// forward : for l = 0 … L−1:  Y_l = f_l(X_l · W_l + b_l)      (bias and relu in the GEMM's epilogue)
// backward: for l = L−1 … stop:
//   dZ_l = dY_l ⊙ f_l′(Y_l)          (in place in dY_l; for l < L−1 in the epilogue of layer l+1's dX GEMM)
//   dW_l = X_lᵀ · dZ_l,  db_l = Σ_rows dZ_l      (when paramGrads; += when accumulate)
//   dX_l = dZ_l · W_lᵀ                            (for l > stop, or at l = stop when wantDx; gemmDerivative,
//                                                 so that every dX runs the engine's dx kernel variant)
import { gemm, gemmBiasRelu, gemmDerivative } from './gemm';
import { colsum } from './colsum';
import { transpose } from './transpose';
import { ACT_IDENTITY, ACT_RELU, ACT_TANH, tanhRows, activationBackward } from './activations';
import { LayerField as F, LAYER_RECORD_WORDS, LAYER_TABLE_HEADER_WORDS } from '../src/engine/layer-record';

const HEADER_BYTES: usize = <usize>LAYER_TABLE_HEADER_WORDS << 2;
const RECORD_BYTES: usize = <usize>LAYER_RECORD_WORDS << 2;

@inline function field(rec: usize, f: F): i32 {
  return load<i32>(rec + (<usize>f << 2));
}

export function mlpForward(desc: usize, batch: i32): void {
  const layers = load<i32>(desc);
  for (let l = 0; l < layers; l++) {
    const rec = desc + HEADER_BYTES + <usize>l * RECORD_BYTES;
    const nIn = field(rec, F.In), nOut = field(rec, F.Out), act = field(rec, F.Act);
    const W = <usize>field(rec, F.W), b = <usize>field(rec, F.B);
    const X = <usize>field(rec, F.X), Y = <usize>field(rec, F.Y), ldY = field(rec, F.LdY);
    gemmBiasRelu(batch, nOut, nIn, X, nIn, 1, W, nOut, Y, ldY, b, act == ACT_RELU);
    if (act == ACT_TANH) tanhRows(Y, ldY, batch, nOut);
  }
}

export function mlpBackward(desc: usize, batch: i32, paramGrads: bool, accumulate: bool,
                            stop: i32, wantDx: bool): void {
  const layers = load<i32>(desc);
  for (let l = layers - 1; l >= stop; l--) {
    const rec = desc + HEADER_BYTES + <usize>l * RECORD_BYTES;
    const nIn = field(rec, F.In), nOut = field(rec, F.Out), act = field(rec, F.Act);
    const W = <usize>field(rec, F.W), dW = <usize>field(rec, F.DW), db = <usize>field(rec, F.DB);
    const X = <usize>field(rec, F.X), Y = <usize>field(rec, F.Y), ldY = field(rec, F.LdY);
    const dX = <usize>field(rec, F.DX), dY = <usize>field(rec, F.DY), Wt = <usize>field(rec, F.Wt);
    // dZ = dY ⊙ f′(Y): for the top layer here; below it, the dX GEMM of the layer above already did it.
    if (l == layers - 1) activationBackward(dY, ldY, Y, ldY, batch, nOut, act);
    if (paramGrads) {
      gemm(nIn, nOut, batch, X, 1, nIn, dY, ldY, dW, nOut, accumulate);
      colsum(dY, ldY, batch, nOut, db, accumulate);
    }
    if (l > stop) {
      // dX_l = dZ_l·W_lᵀ is dY of layer l − 1, whose output is X_l's first out_{l−1} columns: fold its
      // activation derivative into the GEMM's epilogue (join columns beyond them are left as they are).
      const below = rec - RECORD_BYTES;
      const belowAct = field(below, F.Act);
      transpose(W, nIn, nOut, Wt);
      const hCols = belowAct == ACT_IDENTITY ? 0 : field(below, F.Out); // 0: no derivative to fold in
      gemmDerivative(batch, nIn, nOut, dY, ldY, 1, Wt, nIn, dX, nIn, X, hCols, belowAct);
    } else if (wantDx) {
      transpose(W, nIn, nOut, Wt);
      gemmDerivative(batch, nIn, nOut, dY, ldY, 1, Wt, nIn, dX, nIn, 0, 0, 0); // hCols 0: the plain dX GEMM
    }
  }
}
