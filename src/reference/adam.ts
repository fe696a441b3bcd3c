// Scalar reference of assembly/optim.ts (adamStep) and src/nn/adam.ts: Adam (Kingma & Ba, 2015) with
// PyTorch's semantics (torch.optim.Adam, amsgrad off), including its coupled L2 weight decay.
// For step t = 1, 2, … and every parameter p with gradient g:
//   g  ← g + wd·p                                  (L2 penalty (wd/2)·‖p‖² folded into the gradient)
//   m  ← β1·m + (1 − β1)·g                         (first moment: running mean of g)
//   v  ← β2·v + (1 − β2)·g²                        (second moment: running mean of g²)
//   m̂ = m / (1 − β1ᵗ),  v̂ = v / (1 − β2ᵗ)           (bias correction: m, v start at 0)
//   p  ← p − lr · m̂ / (√v̂ + eps)
// The kernel computes the last line as p − (lr/bc1)·m / (√v/√bc2 + eps), which is the same number.

export interface AdamHyper {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/** One Adam step in place on float64 arrays; `t` is this step's number (1 for the first step). */
export function adamStep(p: Float64Array, g: ArrayLike<number>, m: Float64Array, v: Float64Array, t: number, h: AdamHyper): void {
  const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0 } = h;
  const bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
  for (let i = 0; i < p.length; i++) {
    const gi = g[i] + weightDecay * p[i];
    m[i] = beta1 * m[i] + (1 - beta1) * gi;
    v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
    const mHat = m[i] / bc1, vHat = v[i] / bc2;
    p[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
  }
}
