// Fit a tiny MLP to y = sin(x) on [−π, π] with the engine's forward, backward and Adam.
//
// Each step, on a minibatch of B points:
//   forward    ŷ = f(x)                                  [B × 1]
//   loss       L = (1/B) Σ (ŷ − y)²,   ∂L/∂ŷ = (2/B)(ŷ − y)  (engine.mseLoss, assembly/loss.ts)
//   backward   ∂L/∂θ for every W, b by the chain rule   (net.backward, assembly/mlp.ts; docs/gradients.md)
//   Adam       θ ← θ − lr · m̂ / (√v̂ + eps)               (opt.step, assembly/optim.ts)
// Before training, gradcheck confirms the backward pass on this very net.
//
// Run: npx tsx examples/fit-sine.ts      (or npm run example:fit)
import { loadEngine, gradcheck } from '../src/index.js';

const engine = await loadEngine();
const B = 64;
// 1 input → 32 → 32 → 1 output, tanh hidden units; a larger final-layer init than DDPG's 3e−3 is fine here.
const net = engine.mlp({ sizes: [1, 32, 32, 1], hidden: 'tanh', output: 'identity', seed: 1, finalInitScale: 0.1, maxBatch: B });
const opt = engine.adam(net, { lr: 3e-3 });

const check = gradcheck(net, [-1, 0.2, 2.5], { batch: 3 });
console.log(`gradcheck: max relative error ${check.maxRelError.toExponential(1)} → ${check.ok ? 'backward is right' : 'MISMATCH'}`);

const x = new Float32Array(B), y = new Float32Array(B), dy = new Float32Array(B);
let seed = 12345;
const uniform = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31); // tiny LCG: reproducible
for (let step = 0; step <= 3000; step++) {
  for (let i = 0; i < B; i++) { x[i] = Math.PI * (2 * uniform() - 1); y[i] = Math.sin(x[i]); }
  const yHat = net.forward(x, B); // [B × 1]
  const loss = engine.mseLoss(yHat, y, dy); // dy ← ∂L/∂ŷ
  net.backward(dy, { inputGrad: false }); // grads ← ∂L/∂θ
  opt.step();
  if (step % 500 === 0) console.log(`step ${String(step).padStart(4)}  mse ${loss.toExponential(3)}`);
}

for (const v of [-2, -1, 0, 1, 2]) console.log(`f(${v}) = ${net.forward([v], 1)[0].toFixed(4)}   sin(${v}) = ${Math.sin(v).toFixed(4)}`);
