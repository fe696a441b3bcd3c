// Soak run (npm run soak; not part of npm test): 200k+ Pendulum steps with small nets, printing the JS heap
// and WASM memory every 10k steps. Both must stay flat after warm-up: the hot loop allocates nothing that lives.
import { loadEngine, DDPG, makeEnv, Trainer } from '../src/index.js';

const steps = Number(process.argv[2] ?? 200_000);
const gc = (globalThis as { gc?: () => void }).gc;
const engine = await loadEngine();
const env = makeEnv('Pendulum-v1');
const agent = new DDPG(engine, {
  obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2], actorHidden: [32, 32], criticHidden: [32, 32],
  batchSize: 128, bufferSize: 50_000, learningStarts: 1000, seed: 1, gamma: 0.98, actorLr: 1e-3, criticLr: 1e-3,
});
const trainer = new Trainer(agent, env);
const mib = (b: number) => (b / 2 ** 20).toFixed(2);
console.log(`soak: ${steps} steps, gc ${gc ? 'forced before each reading' : 'not exposed (run with --expose-gc)'}`);
console.log('step\theap_used_MiB\twasm_memory_MiB\tsteps_per_s\tlast_return');
let last = NaN;
let t = performance.now();
for (let s = 10_000; s <= steps; s += 10_000) {
  trainer.run(s, (e) => { last = e.return; });
  gc?.();
  const now = performance.now();
  console.log(`${s}\t${mib(process.memoryUsage().heapUsed)}\t${mib(engine.runtime.memoryBytes)}\t${(10_000 / ((now - t) / 1000)).toFixed(0)}\t${last.toFixed(1)}`);
  t = now;
}
