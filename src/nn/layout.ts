// The flat parameter layout of an MLP, fixed and documented:
//   for each layer l in order: W_l as [in_l × out_l] row-major (y = x·W + b, the tfjs Dense kernel layout),
//   then b_l [out_l].
// in_l = sizes[l], plus join.size when a second input joins at layer l: those extra rows of W_l come
// after the rows for the previous layer's output (the input is the concatenation [h_{l−1}, extra]).
import { ACTIVATION_CODES, type Activation } from '../engine/abi.js';
import { checkPositiveInt, fail } from '../errors.js';

export interface JoinSpec {
  /** Index of the weight layer whose input gets the extra columns (0 = beside the network input). */
  layer: number;
  /** Width of the second input. */
  size: number;
}

export interface LayerLayout {
  in: number;
  out: number;
  act: Activation;
  wOffset: number;
  bOffset: number;
}

export function planLayers(sizes: readonly number[], hidden: Activation, output: Activation, join?: JoinSpec): {
  layers: LayerLayout[]; paramCount: number;
} {
  if (!Array.isArray(sizes) || sizes.length < 2) {
    fail(`sizes must list at least an input and an output size, e.g. [3, 64, 1]; got ${JSON.stringify(sizes)}`);
  }
  sizes.forEach((s, i) => checkPositiveInt(s, `sizes[${i}]`));
  for (const [name, act] of [['hidden', hidden], ['output', output]] as const) {
    if (!(act in ACTIVATION_CODES)) fail(`unknown ${name} activation '${act}', expected one of ${Object.keys(ACTIVATION_CODES).join(', ')}`);
  }
  const count = sizes.length - 1;
  if (join !== undefined) {
    if (!Number.isInteger(join.layer) || join.layer < 0 || join.layer >= count) {
      fail(`join.layer must be an integer in [0, ${count - 1}] (a weight layer of this net), got ${join.layer}`);
    }
    checkPositiveInt(join.size, 'join.size');
  }
  const layers: LayerLayout[] = [];
  let offset = 0;
  for (let l = 0; l < count; l++) {
    const nIn = sizes[l] + (join && join.layer === l ? join.size : 0);
    const nOut = sizes[l + 1];
    layers.push({ in: nIn, out: nOut, act: l === count - 1 ? output : hidden, wOffset: offset, bOffset: offset + nIn * nOut });
    offset += nIn * nOut + nOut;
  }
  return { layers, paramCount: offset };
}
