// ddpg-wasm benchmark suite: ours vs tfjs-wasm (XNNPACK SIMD) and tfjs-cpu, like for like. See bench/README.md.
//
//   npm run bench                    full run (a few minutes), writes bench/results/latest.json
//   npm run bench -- --quick         smoke run (BENCH_QUICK=1 works too): short sampling, no CLI training run
//   npm run bench -- --only=gemm,ddpg   sections: peak (always), kernels, gemm, mlp, ddpg, td3, infer, e2e, heap, mujoco, scalar, edge, threads
//   npm run bench -- --readme        also rewrite the table in bench/README.md
//   BENCH_MAX_TIME=1 BENCH_ROUNDS=3  seconds of sampling per case and round, interleaved rounds (default 0.4 s × 3;
//                                    quick 0.2 s × 1)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../src/index.js';
import { BenchContext, type Section } from './lib/context.js';
import { statOf } from './lib/harness.js';
import { checkKernelTargets, checkTargets, machineInfo, machineLine, sectionTable, targetsTable } from './lib/report.js';
import { peakSection } from './cases/peak.js';
import { gemmSection } from './cases/gemm.js';
import { mlpSection } from './cases/mlp.js';
import { ddpgSection, td3Section } from './cases/ddpg.js';
import { inferenceSection } from './cases/inference.js';
import { e2eSection } from './cases/e2e.js';
import { heapCheck, type HeapResult } from './cases/heap.js';
import { mujocoSection, mujocoTable, type MujocoRow } from './cases/mujoco.js';
import { scalarBuildSection, scalarBuildTable, type ScalarRow } from './cases/scalar-build.js';
import { edgeSection, edgeTable, type EdgeRow } from './cases/edge.js';
import { ceilingLine, threadsSection, threadsTable, type ThreadsResult } from './cases/threads.js';
import { calibrationLine, kernelsSection, kernelsTable, type KernelResult } from './cases/kernels.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const want = (s: string) => !only || only.includes(s);
const maxTime = Number(process.env.BENCH_MAX_TIME ?? (quick ? 0.2 : 0.4));
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3));

const t0 = performance.now();
const machine = machineInfo();
const engine = await loadEngine();
const kernels = await loadEngine(new URL('../build/kernels.wasm', import.meta.url));
{ // the GEMM and peak sections' build runs the library engine's kernel choice
  const { ids } = engine.kernelInfo();
  kernels.runtime.wasm.setKernels(ids.forward, ids.dx, ids.dw);
}
const ctx = new BenchContext(engine, kernels, { maxTime, minSamples: quick ? 3 : 5, warmup: quick ? 2 : 5, rounds }, quick);
console.error(`ddpg-wasm bench${quick ? ' (quick)' : ''}: ${rounds} interleaved round(s) of ${maxTime} s per case; progress on stderr, table on stdout`);

const sections: Section[] = [await peakSection(ctx)];
// The heap check runs first, in a process that has only trained one agent: after the other sections
// (many agents, tfjs, benny) V8 has deoptimised parts of the RL code and they allocate far more than a
// training process does (NOTES.md), which is not what this check is about.
let heap: HeapResult | undefined;
if (want('heap')) {
  console.error('— heap');
  heap = await heapCheck(ctx, quick ? 1_000 : 10_000);
}
let kernelVariants: KernelResult | undefined;
if (want('kernels')) {
  console.error('— kernels');
  kernelVariants = await kernelsSection(ctx);
}
const runners: [string, (c: BenchContext) => Promise<Section>][] = [
  ['gemm', gemmSection], ['mlp', mlpSection], ['ddpg', ddpgSection], ['td3', td3Section], ['infer', inferenceSection], ['e2e', e2eSection],
];
for (const [name, run] of runners) {
  if (!want(name)) continue;
  console.error(`— ${name}`);
  sections.push(await run(ctx));
}
let mujoco: MujocoRow[] | undefined;
if (want('mujoco')) {
  console.error('— mujoco');
  mujoco = await mujocoSection(engine, quick);
}
let scalar: ScalarRow[] | undefined;
if (want('scalar')) {
  console.error('— scalar');
  scalar = await scalarBuildSection(ctx);
}
let edge: EdgeRow[] | undefined;
const edgeNotes: string[] = [];
if (want('edge')) {
  console.error('— edge');
  edge = await edgeSection(ctx, edgeNotes);
}
let threads: ThreadsResult | undefined;
if (want('threads')) {
  console.error('— threads');
  threads = await threadsSection(ctx);
}
ctx.samplePeak();
{ // the peak row: per-call times from the GFLOP/s samples
  const flops = sections[0].rows[0].flops!;
  sections[0].rows[0].stats.ours = statOf(ctx.peakSamples.map((g) => flops / (g * 1e9)));
}

// ------------------------------------------------------------------ output
const out: string[] = [];
out.push(`# ddpg-wasm benchmark${quick ? ' (quick run)' : ''}, ${new Date().toISOString()}`);
out.push('', machineLine(machine));
for (const [k, v] of Object.entries(ctx.tfDescriptions)) out.push(`tfjs ${k}: ${v}`);
for (const n of ctx.tfNotes) out.push(`note: ${n}`);
out.push(`WASM SIMD peak: ${ctx.peakGflops.toFixed(1)} GFLOP/s (best call of ${ctx.peakSamples.length}); ×: peer median / ours median (how many times faster ours is)`);
out.push(`GEMM kernels: ${calibrationLine(engine.kernelInfo(), 'the library engine (engine.wasm) runs')}; every variant gives the same bits`);
for (const [i, s] of sections.entries()) {
  out.push('', `## ${s.title}`);
  if (s.flopFormula) out.push('', s.flopFormula);
  out.push('', sectionTable(s, ctx.peakGflops));
  for (const n of s.notes) out.push('', `note: ${n}`);
  if (i === 0 && kernelVariants) { // right after the peak
    const k = kernelVariants;
    out.push('', '## GEMM kernel variants (assembly/gemm.ts; the forms of the GEMM section below, each variant on its own)', '',
      `GFLOP/s per call in slices of ~${k.sliceMs} ms taken in turn, at the median slice and the best (the peak is the best call); % of this run's peak; ` +
      '◀ the variant the library engine chose at load. ' +
      `Every variant's output checked bit for bit against ${k.variants[0]}.`, '',
      kernelsTable(k, ctx.peakGflops), '',
      calibrationLine(k.chosen, 'calibration of the library engine (engine.wasm)') + '; ' + calibrationLine(k.kernelsBuild, 'of the test build (kernels.wasm), set to the former for the sections below'));
  }
}
if (heap) {
  const kib = (b: number) => (b / 1024).toFixed(1);
  const gcs = Object.entries(heap.gcs).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
  out.push('', `## JS heap over ${heap.updates} DDPG updates (64/64, batch 256, 10 chunks, full GC after each)`, '',
    `retained after each chunk (KiB, relative to the start): ${heap.retained.slice(1).map((r) => kib(r - heap!.retained[0])).join(', ')}; ` +
    `fitted growth ${heap.leakBytesPerUpdate.toFixed(1)} B/update (flat: under 26 B/update; this measure wanders by a few hundred KiB) → ${heap.ok ? 'flat' : 'GROWS'}`, '',
    `allocated: ${Number.isFinite(heap.allocatedBytesPerUpdate) ? heap.allocatedBytesPerUpdate.toFixed(0) : '?'} B/update ` +
    `(short-lived; in chunks without a GC); GCs V8 started during the updates: ${gcs}`);
} else if (want('heap')) {
  out.push('', 'heap check skipped: run with node --expose-gc (npm run bench does)');
}
if (mujoco) {
  out.push('', '## MuJoCo tasks: one env step next to the TD3 update it is paired with (the task\'s preset nets and batch)', '',
    'env step: the registered env (wrappers, ctrl, mj_step × frame skip, mj_rnePostConstraint, obs/reward/info), random actions, each step timed alone; ' +
    'update: median of one TD3 update (mean over a policyDelay cycle) on the task\'s own transitions', '', mujocoTable(mujoco));
}
if (scalar) {
  out.push('', '## The engine without SIMD (build/engine-scalar.wasm, the fallback where WebAssembly lacks SIMD) next to the SIMD build', '',
    'same run, interleaved rounds; both builds compute the same bits (test/engine-builds.test.ts)', '', scalarBuildTable(scalar));
}
if (edge) {
  out.push('', '## Deployment formats: one observation → action in each runtime (median per observation)', '', edgeTable(edge));
  for (const n of edgeNotes) out.push('', `note: ${n}`);
}
if (threads) {
  out.push('', '## Two threads for one run (build/engine-threads.wasm, loadEngine({ threads: 2 })) next to one thread', '',
    'same run, interleaved rounds; both compute the same bits (test/threads.test.ts); DDPG updates on Pendulum shapes, ' +
    'HalfCheetah-v5: one TD3 training step with the preset (act, env step, store, update)', '', threadsTable(threads.rows, 2), '',
    ceilingLine(threads.ceiling));
}
const targets = checkTargets(sections, ctx.peakGflops, heap?.ok);
out.push('', '## Targets (issue 4)', '', targetsTable(targets));
const kernelTargets = checkKernelTargets(kernelVariants, sections, ctx.peakGflops);
if (kernelTargets.length) out.push('', `## Targets (issue 16; ${machine.cpu})`, '', targetsTable(kernelTargets));
const wall = (performance.now() - t0) / 1e3;
out.push('', `total bench time ${wall.toFixed(0)} s`);
const text = out.join('\n');
console.log(text);

fs.mkdirSync(path.join(HERE, 'results'), { recursive: true });
const jsonPath = path.join(HERE, 'results', quick || only ? 'partial.json.tmp' : 'latest.json'); // *.tmp is git-ignored
fs.writeFileSync(jsonPath, JSON.stringify({
  date: new Date().toISOString(), quick, only: only ?? null, timing: ctx.timing, machine, tfjs: ctx.tfDescriptions, tfNotes: [...ctx.tfNotes],
  peakGflops: ctx.peakGflops, kernels: engine.kernelInfo(), kernelVariants: kernelVariants ?? null, kernelTargets, sections, heap: heap ?? null, mujoco: mujoco ?? null, scalar: scalar ?? null, edge: edge ?? null, threads: threads ?? null, targets, wallSec: wall,
}, null, 2) + '\n');
console.error(`wrote ${path.relative(process.cwd(), jsonPath)}`);

if (args.includes('--readme')) {
  const readme = path.join(HERE, 'README.md');
  const md = fs.readFileSync(readme, 'utf8');
  const start = '<!-- bench:start -->', end = '<!-- bench:end -->';
  const i = md.indexOf(start), j = md.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${readme} has no ${start} … ${end} markers`);
  fs.writeFileSync(readme, md.slice(0, i + start.length) + '\n' + text + '\n' + md.slice(j));
  console.error(`updated ${path.relative(process.cwd(), readme)}`);
}
