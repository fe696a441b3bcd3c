#!/usr/bin/env node
// Measures the policy runtime for the README: the engine .wasm size, the shipped policy file size, and
// loadPolicy(...).act(obs) latency for one observation in Node (after warm-up; median of 20 rounds of
// 20,000 calls). Run after npm run build: node scripts/policy-latency.mjs [policy.bin]
import { readFileSync, statSync } from 'node:fs';
import { loadPolicy } from '../dist/index.js';

const file = process.argv[2] ?? new URL('../web/assets/pendulum-policy.bin', import.meta.url);
const wasm = new URL('../build/engine.wasm', import.meta.url);
const policy = await loadPolicy(readFileSync(file), undefined, String(file));
const obs = new Float32Array(policy.obsDim);
const ROUNDS = 20, CALLS = 20_000;
let sink = 0;
const run = () => {
  for (let i = 0; i < CALLS; i++) {
    obs[0] = Math.cos(i * 1e-3); obs[1] = Math.sin(i * 1e-3); obs[2] = (i % 16) - 8;
    sink += policy.act(obs)[0];
  }
};
for (let r = 0; r < 5; r++) run(); // warm-up: JIT and caches
const perCall = [];
for (let r = 0; r < ROUNDS; r++) {
  const t0 = performance.now();
  run();
  perCall.push(((performance.now() - t0) * 1000) / CALLS);
}
perCall.sort((a, b) => a - b);
const us = (v) => `${v.toFixed(2)} µs`;
console.log(`engine.wasm            ${statSync(wasm).size} bytes`);
console.log(`policy file            ${statSync(file).size} bytes (actor ${policy.spec.sizes.join('→')}, ${policy.spec.hidden}/${policy.spec.output})`);
console.log(`act(), one observation median ${us(perCall[ROUNDS >> 1])}, min ${us(perCall[0])}, max ${us(perCall[ROUNDS - 1])} over ${ROUNDS}×${CALLS} calls (node ${process.version})`);
if (!Number.isFinite(sink)) throw new Error('non-finite actions');
