// 5. End to end. (a) Pendulum-v1 training steps per second, one update per step, hidden 64/64, batch 256:
// act (actor + Gaussian noise) → env.step → store → update. Ours is src/rl/trainer.ts's loop; tfjs runs
// the same loop around bench/lib/tfjs-ddpg.ts. (b) Wall time of `ddpg-wasm train` with the Pendulum preset
// (seed 1) and whether its final evaluation reaches a mean return ≥ −200.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GaussianNoise, makeEnv, Trainer } from '../../src/index.js';
import type { Group, Stat } from '../lib/harness.js';
import { backendOf, IMPLS, PEERS, type BenchContext, type Row, type Section } from '../lib/context.js';
import { makeAgent } from '../lib/agents.js';
import { TfDdpg } from '../lib/tfjs-ddpg.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function e2eSection(ctx: BenchContext): Promise<Section> {
  const notes: string[] = [];
  const { agent } = makeAgent(ctx.engine, [64, 64]);
  const trainer = new Trainer(agent, makeEnv('Pendulum-v1'), 1);
  const row: Row = { section: 'e2e', name: 'Pendulum steps, 1 update/step, 64/64 b256', unit: 'step', stats: {} };
  const groups: Group[] = [{ impl: 'ours', cases: [{ name: 'ours train step', fn: () => trainer.run(trainer.step + 1) }] }];
  const cleanup: (() => Promise<void>)[] = [];
  for (const impl of PEERS) {
    const tf = await ctx.tf(backendOf(impl));
    const { agent: a, twin } = makeAgent(ctx.engine, [64, 64], true);
    const t = new TfDdpg(tf, a, twin!);
    const env = makeEnv('Pendulum-v1');
    const obs = Float32Array.from(env.reset({ seed: 1 }).obs);
    const noise = new GaussianNoise({ actDim: 1, sigma: a.config.noiseSigma, seed: 5 });
    const nb = new Float32Array(1), act = new Float32Array(1);
    const step = () => {
      const u = t.act(obs)[0];
      noise.sample(nb);
      act[0] = Math.min(2, Math.max(-2, u + 2 * nb[0]));
      const r = env.step(act);
      twin!.add(obs, act, r.reward, r.obs, r.terminated);
      obs.set(r.terminated || r.truncated ? env.reset().obs : r.obs);
      t.update();
    };
    groups.push(ctx.tfGroup(impl, [{ name: `${impl} train step`, fn: step }], notes));
    cleanup.push(async () => { await ctx.tf(backendOf(impl)); t.dispose(); });
  }
  const res = await ctx.run(groups);
  for (const impl of IMPLS) row.stats[impl] = res[`${impl} train step`];
  for (const c of cleanup) await c();
  const rows: Row[] = [row];
  if (!ctx.quick) rows.push(cliTrainRow(notes));
  return {
    title: 'End to end (Pendulum-v1)',
    rows, notes,
  };
}

/** Runs the CLI once with the Pendulum preset: wall time, training time, evaluation. */
function cliTrainRow(notes: string[]): Row {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ddpg-bench-'));
  const dist = path.join(ROOT, 'dist', 'cli', 'main.js');
  const useDist = distFresh();
  const args = useDist ? [dist] : ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts')];
  args.push('train', '--seed', '1', '--quiet', '--out', path.join(out, 'run'));
  const t0 = performance.now();
  const p = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1e3;
  fs.rmSync(out, { recursive: true, force: true });
  const evalMatch = /mean (-?[\d.]+) ± ([\d.]+) over (\d+) episodes/.exec(p.stdout ?? '');
  const trainMatch = /trained (\d+) steps in ([\d.]+) s/.exec(p.stderr ?? '');
  if (p.status !== 0 || !evalMatch) notes.push(`cli train failed (exit ${p.status}): ${(p.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
  const evalMean = evalMatch ? Number(evalMatch[1]) : NaN;
  const stat: Stat = { median: wall, mean: wall, min: wall, rme: 0, samples: 1, ops: 1 / wall };
  notes.push(`cli: ${useDist ? 'node dist/cli/main.js' : 'node --import tsx src/cli/main.ts (dist/ is older than src/)'} train --seed 1 --quiet: ` +
    `wall ${wall.toFixed(1)} s, training ${trainMatch ? trainMatch[2] + ' s for ' + trainMatch[1] + ' steps' : '?'}, eval ${evalMatch ? `${evalMatch[1]} ± ${evalMatch[2]}` : '?'} ` +
    `(${evalMean >= -200 ? 'reaches' : 'does NOT reach'} ≥ −200)`);
  return {
    section: 'e2e', name: 'ddpg-wasm train (preset, seed 1) wall', unit: 'run', stats: { ours: stat },
    extra: { wallSec: wall, trainSec: trainMatch ? Number(trainMatch[2]) : null, steps: trainMatch ? Number(trainMatch[1]) : null, evalMean, reached: evalMean >= -200, via: useDist ? 'dist' : 'tsx' },
  };
}

/** dist/ holds a compiled file at least as new as every src/ file. */
function distFresh(): boolean {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  try {
    const srcTimes = walk(path.join(ROOT, 'src')).filter((f) => f.endsWith('.ts')).map((f) => fs.statSync(f).mtimeMs);
    const distTimes = walk(path.join(ROOT, 'dist')).filter((f) => f.endsWith('.js')).map((f) => fs.statSync(f).mtimeMs);
    return distTimes.length > 0 && Math.min(...distTimes) >= Math.max(...srcTimes);
  } catch {
    return false;
  }
}
