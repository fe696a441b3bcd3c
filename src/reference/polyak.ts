// Scalar reference of assembly/optim.ts (polyak): the soft target update of DDPG,
//   θ′ ← τ·θ + (1 − τ)·θ′        (τ = 1 is a hard copy)
// θ′ is an exponential moving average of θ with time constant ≈ 1/τ updates.

type Out = { [i: number]: number; readonly length: number };

export function polyak(target: Out, source: ArrayLike<number>, tau: number): void {
  if (target.length !== source.length) throw new Error(`polyak: target has ${target.length} values, source ${source.length}`);
  for (let i = 0; i < target.length; i++) target[i] = tau * source[i] + (1 - tau) * target[i];
}
