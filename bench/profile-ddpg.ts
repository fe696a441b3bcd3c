// Where a DDPG update's time goes: every engine export is wrapped with a timer, the replay sampling is timed
// on its own, and the rest is JS (validation, copies, the loops in src/rl/ddpg.ts). Timer overhead (~0.1 µs
// a call) is included in the WASM figures.
//
//   npx tsx bench/profile-ddpg.ts [hidden ...]        e.g. 64 256 400,300 (default 64 256)
import { loadEngine } from '../src/index.js';
import type { EngineExports } from '../src/engine/abi.js';
import { makeAgent } from './lib/agents.js';

const sizes = (process.argv.slice(2).length ? process.argv.slice(2) : ['64', '256']).map((s) => {
  const p = s.split(',').map(Number);
  return p.length === 1 ? [p[0], p[0]] : p;
});
const engine = await loadEngine();
const real = engine.runtime.wasm;
const totals = new Map<string, { ms: number; calls: number }>();
const wrapped = Object.fromEntries(Object.entries(real).map(([k, v]) => {
  if (typeof v !== 'function') return [k, v];
  const f = v as (...a: number[]) => number;
  return [k, (...a: number[]) => {
    const t = performance.now();
    const r = f(...a);
    const e = totals.get(k) ?? { ms: 0, calls: 0 };
    e.ms += performance.now() - t;
    e.calls++;
    totals.set(k, e);
    return r;
  }];
})) as unknown as EngineExports;

for (const hidden of sizes) {
  const { agent } = makeAgent(engine, hidden);
  const N = hidden[0] <= 64 ? 2000 : 200;
  for (let i = 0; i < N / 4; i++) agent.update(); // warm-up, unwrapped
  let t = performance.now();
  for (let i = 0; i < N; i++) agent.update();
  const plain = (performance.now() - t) / N;
  t = performance.now();
  for (let i = 0; i < N; i++) agent.replay.sample(agent.config.batchSize);
  const sampling = (performance.now() - t) / N;
  (engine.runtime as { wasm: EngineExports }).wasm = wrapped;
  totals.clear();
  t = performance.now();
  for (let i = 0; i < N; i++) agent.update();
  const wrappedMs = (performance.now() - t) / N;
  (engine.runtime as { wasm: EngineExports }).wasm = real;
  let wasmMs = 0;
  console.log(`\nDDPG update ${hidden.join('/')}, batch ${agent.config.batchSize}: ${(plain * 1e3).toFixed(0)} µs (unwrapped), ${(wrappedMs * 1e3).toFixed(0)} µs wrapped`);
  for (const [k, e] of [...totals].sort((a, b) => b[1].ms - a[1].ms)) {
    wasmMs += e.ms / N;
    console.log(`  ${k.padEnd(20)} ${((e.ms / N) * 1e3).toFixed(1).padStart(8)} µs/update  ${(e.calls / N).toFixed(0)} calls`);
  }
  console.log(`  ${'replay.sample'.padEnd(20)} ${(sampling * 1e3).toFixed(1).padStart(8)} µs/update (timed apart)`);
  console.log(`  ${'other JS'.padEnd(20)} ${((wrappedMs - wasmMs - sampling) * 1e3).toFixed(1).padStart(8)} µs/update`);
}
