// Scalar reference of assembly/loss.ts (mseLoss).
//
//   L = (1/n) Σᵢ (qᵢ − yᵢ)²          ∂L/∂qᵢ = (2/n)·(qᵢ − yᵢ)
// (y is a constant here: in DDPG it is the TD target, computed without gradient.)

export function mseLoss(q: ArrayLike<number>, y: ArrayLike<number>): { loss: number; grad: Float64Array } {
  const n = q.length;
  if (y.length !== n) throw new Error(`mseLoss: q has ${n} values, y has ${y.length}`);
  const grad = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = q[i] - y[i];
    sum += d * d;
    grad[i] = (2 / n) * d;
  }
  return { loss: sum / n, grad };
}
