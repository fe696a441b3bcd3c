// 6. The MuJoCo tasks: one env step (bench/cases/env-step.ts) next to the update it is paired with in
// training — a TD3 update (mean over a policyDelay cycle) with the task's preset networks and batch
// (src/rl/presets.ts), its replay filled with the task's own transitions under random actions — and the
// env's share of one training step (env step + update).
import { createEnv, TD3, TD3_PRESETS, type Engine, type MujocoEnvId } from '../../src/index.js';
import { Rng } from '../../src/rng.js';
import { envStepSection, type EnvStepResult } from './env-step.js';

export interface MujocoRow extends EnvStepResult {
  /** The preset's hidden sizes and batch. */
  nets: string;
  /** Median µs of one TD3 update with them. */
  updateUs: number;
}

async function updateMicros(engine: Engine, id: MujocoEnvId, quick: boolean): Promise<{ nets: string; us: number }> {
  const env = await createEnv(id, { seed: 3 });
  const preset = TD3_PRESETS[id].config;
  const agent = new TD3(engine, {
    obsDim: env.observationSpace.shape[0], actDim: env.actionSpace.shape[0], actionLow: Array.from(env.actionSpace.low),
    actionHigh: Array.from(env.actionSpace.high), ...preset, bufferSize: 5_000, learningStarts: 0, seed: 1,
  });
  const rng = new Rng(9);
  let obs = Float32Array.from(env.reset({ seed: 3 }).obs);
  for (let t = 0; t < 3_000; t++) {
    const a = Float32Array.from(env.actionSpace.low, (lo, i) => rng.uniform(lo, env.actionSpace.high[i]));
    const r = env.step(a);
    agent.observe(obs, a, r.reward, r.obs, r.terminated);
    obs = Float32Array.from(r.terminated || r.truncated ? env.reset().obs : r.obs);
  }
  env.close();
  const cycles = quick ? 10 : 40, times: number[] = [];
  for (let i = 0; i < 4; i++) agent.update();
  for (let i = 0; i < cycles; i++) {
    const t0 = performance.now();
    agent.update(); agent.update();
    times.push((performance.now() - t0) / 2);
  }
  times.sort((a, b) => a - b);
  const c = agent.config;
  return { nets: `${c.actorHidden.join('/')} b${c.batchSize}`, us: 1000 * times[Math.floor(times.length / 2)] };
}

export async function mujocoSection(engine: Engine, quick: boolean): Promise<MujocoRow[]> {
  const steps = await envStepSection({ quick });
  const rows: MujocoRow[] = [];
  for (const s of steps) {
    const u = await updateMicros(engine, s.id, quick);
    rows.push({ ...s, nets: u.nets, updateUs: u.us });
  }
  return rows;
}

export function mujocoTable(rows: MujocoRow[]): string {
  const f = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(1)} µs`);
  return ['| task | frame skip (dt) | env step, median (p10–p90) | heap B/step | TD3 update (preset nets) | env share of step + update |',
    '|:--|--:|--:|--:|--:|--:|',
    ...rows.map((r) => `| ${r.id} | ${r.frameSkip} (${+r.dt.toFixed(4)} s) | ${f(r.medianUs)} (${f(r.p10Us)}–${f(r.p90Us)}) | ` +
      `${r.allocatedBytesPerStep === undefined ? '–' : r.allocatedBytesPerStep.toFixed(1)} | ${f(r.updateUs)} (${r.nets}) | ` +
      `${((100 * r.medianUs) / (r.medianUs + r.updateUs)).toFixed(1)} % |`)].join('\n');
}
