// Scalar reference of assembly/activations.ts (biasActivate, activationBackward).
//
//   forward   h = f(z),  z = y + b  (b [n] broadcast over the m rows)
//   backward  dz = dh ⊙ f′(z), with f′ written through the OUTPUT h so z need not be kept:
//             identity  f′ = 1
//             relu      f′ = [h > 0]          (h = max(z, 0); the kink at 0 gets derivative 0)
//             tanh      f′ = 1 − h²           (d tanh z / dz = 1 − tanh² z)

export type Activation = 'identity' | 'relu' | 'tanh';

export function activate(act: Activation, z: number): number {
  return act === 'relu' ? (z > 0 ? z : 0) : act === 'tanh' ? Math.tanh(z) : z;
}

/** f′(z) as a function of h = f(z). */
export function derivativeFromOutput(act: Activation, h: number): number {
  return act === 'relu' ? (h > 0 ? 1 : 0) : act === 'tanh' ? 1 - h * h : 1;
}

type Out = { [i: number]: number; readonly length: number };

/** y ← f(y + b) in place on an [m×n] block with row stride ld. */
export function biasActivate(y: Out, ld: number, m: number, n: number, bias: ArrayLike<number>, act: Activation): void {
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) y[i * ld + j] = activate(act, y[i * ld + j] + bias[j]);
}

/** dh ← dh ⊙ f′, with f′ read from the outputs h (row strides lddh, ldh). */
export function activationBackward(dh: Out, lddh: number, h: ArrayLike<number>, ldh: number, m: number, n: number, act: Activation): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) dh[i * lddh + j] = dh[i * lddh + j] * derivativeFromOutput(act, h[i * ldh + j]);
  }
}
