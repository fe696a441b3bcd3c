// The speed-up of `ddpg-wasm sweep`: a 4-seed Pendulum-v1 sweep (its preset: 20k steps, ~4 s a run) on 2 workers
// against the same 4 runs one after another with `ddpg-wasm train`, in one session, and whether both give the same
// results (eval.json returns and every checkpoint array, bit for bit).
//
//   npm run build:ts && npx tsx scripts/sweep-bench.ts
//
// Both sides run the built CLI (dist/cli/main.js), one process per run. The target is a ratio ≤ 0.6 on 2 idle
// cores (2 workers cannot beat 0.5; what is left is process start-up and the uneven last pair). On a machine whose
// cores are busy with other work the ratio means nothing: the script prints the load average before it starts.
// Environment: SWEEP_BENCH_STEPS=N (default: the preset's 20000; e.g. 2000 for a quick check that it works),
// SWEEP_BENCH_SEEDS (default 1-4), SWEEP_BENCH_WORKERS (default 2), SWEEP_BENCH_KEEP=1 keeps the run folders.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCheckpoint } from '../src/checkpoint/format.js';
import { parseSeeds } from '../src/sweep/grid.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
if (!existsSync(CLI) || !existsSync(join(import.meta.dirname, '..', 'dist', 'cli', 'sweep.js'))) {
  console.error('dist/ has no sweep command: run `npm run build:ts` first');
  process.exit(2);
}
const steps = process.env.SWEEP_BENCH_STEPS;
const seeds = parseSeeds(process.env.SWEEP_BENCH_SEEDS ?? '1-4');
const workers = Number(process.env.SWEEP_BENCH_WORKERS ?? 2);
const common = ['--env', 'Pendulum-v1', '--algo', 'ddpg', ...(steps ? ['--steps', steps] : [])];
const root = mkdtempSync(join(tmpdir(), 'ddpg-sweep-bench-'));

function cli(args: string[]): void {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ddpg-wasm ${args.join(' ')} exited with ${r.status}:\n${r.stderr}`);
}

function timed(f: () => void): number {
  const t = performance.now();
  f();
  return (performance.now() - t) / 1000;
}

console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${availableParallelism()} cores (the ratio is meaningful on idle cores only)`);
console.log(`${seeds.length} runs of DDPG on Pendulum-v1, ${steps ?? 'the preset\'s'} steps; folders in ${root}`);
const seq = timed(() => {
  for (const s of seeds) cli(['train', ...common, '--seed', String(s), '--quiet', '--out', join(root, 'train', `seed${s}`)]);
});
console.log(`train, one after another: ${seq.toFixed(1)} s`);
const par = timed(() => cli(['sweep', ...common, '--seeds', process.env.SWEEP_BENCH_SEEDS ?? '1-4', '--workers', String(workers), '--out', join(root, 'sweep')]));
console.log(`sweep --workers ${workers}:       ${par.toFixed(1)} s`);
const ratio = par / seq;
console.log(`ratio sweep/train: ${ratio.toFixed(2)} (target ≤ 0.6 on 2 idle cores: ${ratio <= 0.6 ? 'met' : 'not met'})`);

const differing: string[] = [];
for (const s of seeds) {
  const a = join(root, 'train', `seed${s}`), b = join(root, 'sweep', 'Pendulum-v1-ddpg', `seed${s}`);
  const returns = (d: string) => JSON.stringify((JSON.parse(readFileSync(join(d, 'eval.json'), 'utf8')) as { returns: number[] }).returns);
  const arrays = (d: string) => decodeCheckpoint(readFileSync(join(d, 'checkpoint.ddpg')), d).arrays;
  if (returns(a) !== returns(b)) differing.push(`seed ${s}: eval.json returns`);
  const [x, y] = [arrays(a), arrays(b)];
  const names = Object.keys(x);
  if (names.join() !== Object.keys(y).join()) differing.push(`seed ${s}: checkpoint array names`);
  for (const n of names) {
    if (!y[n] || Buffer.compare(Buffer.from(x[n].buffer, x[n].byteOffset, x[n].byteLength), Buffer.from(y[n].buffer, y[n].byteOffset, y[n].byteLength)) !== 0) {
      differing.push(`seed ${s}: checkpoint array ${n}`);
    }
  }
}
console.log(differing.length ? `results differ: ${differing.join('; ')}` : `results identical: eval.json returns and every checkpoint array of all ${seeds.length} runs`);
if (process.env.SWEEP_BENCH_KEEP !== '1') rmSync(root, { recursive: true, force: true });
process.exitCode = differing.length ? 1 : 0;
