// The tfjs side of the comparison, written the way a tfjs user writes a small MLP by hand: one variable per
// weight matrix and bias, y = act(x·W + b) with tf.matMul / tf.add / tf.relu / tf.tanh, a second input
// concatenated at its layer. Variables start from a ddpg-wasm Mlp's parameters, so both sides compute the
// same numbers.
import type { Rank, Tensor, Variable } from '@tensorflow/tfjs-core';
import type { Mlp } from '../../src/index.js';
import type { TfSetup } from '../tfjs-util.js';

export type Tf = TfSetup['tf'];

export interface TfNet {
  Ws: Variable<Rank.R2>[];
  bs: Variable<Rank.R1>[];
  vars: Variable[];
  /** y = net(x [, joinInput]) — call inside tf.tidy or a gradient function. */
  apply(x: Tensor, joinInput?: Tensor): Tensor;
}

/** Variables W_l [in × out], b_l [out] holding `net`'s current parameters (trainable unless told). */
export function tfNetFrom(tf: Tf, net: Mlp, trainable = true): TfNet {
  const p = net.getParams();
  const Ws: Variable<Rank.R2>[] = [], bs: Variable<Rank.R1>[] = [];
  for (const l of net.layers) {
    Ws.push(tf.variable(tf.tensor2d(p.slice(l.wOffset, l.wOffset + l.in * l.out), [l.in, l.out]), trainable));
    bs.push(tf.variable(tf.tensor1d(p.slice(l.bOffset, l.bOffset + l.out)), trainable));
  }
  const acts = net.layers.map((l) => l.act);
  const join = net.join;
  return {
    Ws, bs, vars: [...Ws, ...bs],
    apply(x: Tensor, joinInput?: Tensor): Tensor {
      let h = x;
      for (let l = 0; l < Ws.length; l++) {
        if (join && join.layer === l) h = tf.concat([h, joinInput!], 1);
        const z = tf.add(tf.matMul(h, Ws[l]), bs[l]);
        h = acts[l] === 'relu' ? tf.relu(z) : acts[l] === 'tanh' ? tf.tanh(z) : z;
      }
      return h;
    },
  };
}

export function disposeNet(tf: Tf, net: TfNet): void {
  tf.dispose(net.vars);
}
