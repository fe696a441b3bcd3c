// Benchmark inputs: seeded random values bounded away from zero (so no kernel gets a free ride on zeros
// or denormals), and replay buffers filled with real Pendulum-v1 transitions under uniform random actions.
import seedrandom from 'seedrandom';
import { makeEnv, type ReplayBuffer } from '../../src/index.js';

/** n values with |v| in [0.05·scale, scale], random signs, from seed. */
export function nonZero(n: number, seed: string, scale = 1): Float32Array {
  const rng = seedrandom(`bench:${seed}`);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rng() < 0.5 ? -1 : 1) * (0.05 + 0.95 * rng()) * scale;
  return a;
}

/** Adds `steps` Pendulum-v1 transitions (uniform random torque, episodes of 200) to each buffer, in the
 *  same order, so buffers created with the same seed then sample identical batches. */
export function fillPendulum(buffers: ReplayBuffer[], steps: number, seed: number): void {
  const env = makeEnv('Pendulum-v1');
  const rng = seedrandom(`bench:fill:${seed}`);
  const action = new Float32Array(1);
  let obs = Float32Array.from(env.reset({ seed }).obs);
  for (let t = 0; t < steps; t++) {
    action[0] = -2 + 4 * rng();
    const r = env.step(action);
    for (const buf of buffers) buf.add(obs, action, r.reward, r.obs, r.terminated);
    obs = Float32Array.from(r.truncated || r.terminated ? env.reset().obs : r.obs);
  }
}
