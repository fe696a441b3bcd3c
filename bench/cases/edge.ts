// Deployment formats: the file size of each `export --format` and the latency of one observation → action in
// the runtime that runs it — loadPolicy on the SIMD engine and on the engine without SIMD, the standalone .wasm
// instantiated in Node, onnxruntime-web (wasm backend, one session.run per observation), and the standalone
// .wasm turned into C by wasm2c and compiled with the system C compiler (-O2). Two actors: Pendulum-sized
// 3→64→64→1 and HalfCheetah-sized 17→256→256→6 with observation normalization. The JavaScript runtimes are
// benny cases in interleaved rounds; onnxruntime's run is asynchronous, so it is timed as a loop of awaited
// calls per round, and the native program times its own loop (policy-harness --time).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import seedrandom from 'seedrandom';
import { decodeCheckpoint, encodeCheckpoint, encodePolicy, loadPolicy, TD3 } from '../../src/index.js';
import { policyToOnnx, policyToWasm, readPolicyRuntime } from '../../src/export/index.js';
import { version } from '../../src/cli/version.js';
import { buildNativePolicy, findToolchain } from '../../test/helpers/wasm2c.js';
import { runGroups, statOf, type Case } from '../lib/harness.js';
import type { BenchContext } from '../lib/context.js';

export interface EdgeRow {
  actor: string;
  bytes: { policy: number; onnx: number; wasm: number };
  /** Median seconds per observation, by runtime (undefined: could not run here, see notes). */
  latency: Record<Runtime, number | undefined>;
}
export const RUNTIMES = ['loadPolicy (SIMD engine)', 'loadPolicy (engine without SIMD)', 'standalone .wasm in Node',
  'onnxruntime-web 1.30 (wasm)', 'standalone .wasm → wasm2c → cc -O2'] as const;
type Runtime = (typeof RUNTIMES)[number];

const ACTORS = [
  { name: '3→64→64→1 (Pendulum)', obsDim: 3, actDim: 1, hidden: [64, 64], normalize: false },
  { name: '17→256→256→6 (HalfCheetah), normalized obs', obsDim: 17, actDim: 6, hidden: [256, 256], normalize: true },
];

export async function edgeSection(ctx: BenchContext, notes: string[]): Promise<EdgeRow[]> {
  ort.env.wasm.numThreads = 1;
  const toolchain = findToolchain();
  if (typeof toolchain === 'string') notes.push(`native build skipped: ${toolchain}`);
  const runtime = await readPolicyRuntime();
  const work = mkdtempSync(join(tmpdir(), 'ddpg-bench-edge-'));
  const rows: EdgeRow[] = [];
  for (const [k, a] of ACTORS.entries()) {
    const agent = new TD3(ctx.engine, { obsDim: a.obsDim, actDim: a.actDim, actionLow: Array(a.actDim).fill(-1), actionHigh: Array(a.actDim).fill(1),
      actorHidden: a.hidden, criticHidden: [8], seed: 3 + k, obsNormalization: a.normalize });
    const rng = seedrandom(`edge-${k}`);
    const params = agent.actor.paramsView();
    for (let i = 0; i < params.length; i++) params[i] += 0.05 * (2 * rng() - 1); // away from the init
    if (a.normalize) agent.obsNormalizer!.setState({ mean: Array.from({ length: a.obsDim }, () => rng() - 0.5), var: Array(a.obsDim).fill(2), count: 9 });
    const content = decodeCheckpoint(encodePolicy(agent));
    const files = { policy: encodeCheckpoint(content), onnx: policyToOnnx(content, { producerVersion: version() }), wasm: policyToWasm(content, runtime) };
    const observations = Array.from({ length: 64 }, () => Float32Array.from({ length: a.obsDim }, () => 4 * rng() - 2));

    const simd = await loadPolicy(files.policy, { simd: true }), scalar = await loadPolicy(files.policy, { simd: false });
    const wasm = new WebAssembly.Instance(new WebAssembly.Module(files.wasm), {}).exports as unknown as {
      memory: WebAssembly.Memory; obs_ptr(): number; act(): void };
    const wasmObs = new Float32Array(wasm.memory.buffer, wasm.obs_ptr(), a.obsDim);
    let i = 0;
    const next = () => observations[i++ & 63];
    const cases: Case[] = [
      { name: `${RUNTIMES[0]} ${a.name}`, fn: () => simd.act(next()) },
      { name: `${RUNTIMES[1]} ${a.name}`, fn: () => scalar.act(next()) },
      { name: `${RUNTIMES[2]} ${a.name}`, fn: () => { wasmObs.set(next()); wasm.act(); } },
    ];
    const stats = await runGroups(cases.map((c) => ({ impl: c.name, cases: [c] })), ctx.timing, () => ctx.timing);
    const latency = Object.fromEntries(RUNTIMES.map((r) => [r, stats[`${r} ${a.name}`]?.median])) as EdgeRow['latency'];

    const session = await ort.InferenceSession.create(files.onnx, { executionProviders: ['wasm'] });
    const ortAct = async () => (await session.run({ obs: new ort.Tensor('float32', next(), [1, a.obsDim]) })).action;
    for (let w = 0; w < 200; w++) await ortAct();
    const perCall: number[] = [];
    for (let round = 0; round < 5 * ctx.timing.rounds; round++) {
      const t = performance.now();
      for (let c = 0; c < 500; c++) await ortAct();
      perCall.push((performance.now() - t) / 500 / 1e3);
    }
    latency[RUNTIMES[3]] = statOf(perCall).median;
    await session.release();

    if (typeof toolchain !== 'string') {
      const harness = buildNativePolicy(files.wasm, join(work, `native-${k}`), toolchain);
      const obsFile = join(work, `native-${k}`, 'obs.bin');
      writeFileSync(obsFile, new Uint8Array(Float32Array.from(observations.flatMap((o) => [...o])).buffer));
      const calls = k === 0 ? 2_000_000 : 100_000;
      const ns = Array.from({ length: 3 }, () => Number(execFileSync(harness, ['--time', String(calls), obsFile], { encoding: 'utf8' })));
      latency[RUNTIMES[4]] = statOf(ns).median / 1e9;
    }
    rows.push({ actor: a.name, bytes: { policy: files.policy.length, onnx: files.onnx.length, wasm: files.wasm.length }, latency });
  }
  return rows;
}

export function edgeTable(rows: EdgeRow[]): string {
  const us = (s: number | undefined) => (s === undefined ? '–' : s < 1e-6 ? `${(s * 1e9).toFixed(0)} ns` : `${(s * 1e6).toFixed(2)} µs`);
  return [`| runtime | ${rows.map((r) => r.actor).join(' | ')} |`, `|:--|${rows.map(() => '--:').join('|')}|`,
    ...RUNTIMES.map((rt) => `| ${rt} | ${rows.map((r) => us(r.latency[rt])).join(' | ')} |`),
    `| file size: policy / onnx / wasm (bytes) | ${rows.map((r) => `${r.bytes.policy} / ${r.bytes.onnx} / ${r.bytes.wasm}`).join(' | ')} |`].join('\n');
}
