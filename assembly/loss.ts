// Mean squared error over n predictions and its gradient:
//   L = (1/n) Σ (q − y)²          ∂L/∂q = (2/n)·(q − y)      (written to grad; returns L)
// The sum is kept in float64 so the loss of a large batch is not rounded away.
export function mseLoss(q: usize, y: usize, n: i32, grad: usize): f64 {
  let sum: f64 = 0;
  const scale: f32 = <f32>(2.0 / <f64>n);
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 2;
    const d = load<f32>(q + off) - load<f32>(y + off);
    sum += <f64>d * <f64>d;
    if (grad != 0) store<f32>(grad + off, scale * d);
  }
  return sum / <f64>n;
}
