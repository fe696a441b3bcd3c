// Prints the README's MuJoCo results table from the run folders scripts/results-queue.sh wrote
// (runs/results/<env>-<algo>-seed<S>/: config.json, eval.json, metrics.csv).
// Run: npx tsx scripts/results-table.ts [runs/results]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Row { env: string; algo: string; seed: number; steps: number; mean: number; std: number; wall: number; done: boolean }

const root = process.argv[2] ?? 'runs/results';
const rows: Row[] = [];
for (const name of readdirSync(root).sort()) {
  const dir = join(root, name);
  if (!existsSync(join(dir, 'config.json'))) continue;
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  const done = existsSync(join(dir, 'eval.json'));
  const lines = readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n');
  const last = lines.at(-1)!.split(','), header = lines[0].split(',');
  const evaluation = done ? JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8')) : undefined;
  rows.push({
    env: config.env, algo: config.algo, seed: config.seed, steps: evaluation?.steps ?? Number(last[0]),
    mean: evaluation?.mean ?? NaN, std: evaluation?.std ?? NaN, wall: Number(last[header.indexOf('wall_s')]), done,
  });
}

const groups = new Map<string, Row[]>();
for (const r of rows) groups.set(`${r.env} ${r.algo}`, [...(groups.get(`${r.env} ${r.algo}`) ?? []), r]);
console.log('| task | algo | steps | seed: eval return (mean ± std over 10 episodes) | wall per run | env steps/s |');
console.log('|---|---|--:|---|--:|--:|');
for (const [, g] of groups) {
  const finished = g.filter((r) => r.done);
  const cells = g.map((r) => r.done ? `${r.seed}: ${fmt(r.mean)} ± ${fmt(r.std)}` : `${r.seed}: running (${r.steps} steps)`);
  const walls = finished.map((r) => r.wall);
  const wall = walls.length ? `${fmtTime(Math.min(...walls))}${walls.length > 1 ? `–${fmtTime(Math.max(...walls))}` : ''}` : '–';
  const rate = walls.length ? Math.round(finished[0].steps / (walls.reduce((a, b) => a + b, 0) / walls.length)) : NaN;
  console.log(`| ${g[0].env} | ${g[0].algo.toUpperCase()} | ${finished[0]?.steps ?? g[0].steps} | ${cells.join('; ')} | ${wall} | ${Number.isNaN(rate) ? '–' : rate} |`);
}

function fmt(v: number): string { return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1); }
function fmtTime(s: number): string { return s >= 600 ? `${(s / 60).toFixed(0)} min` : `${s.toFixed(0)} s`; }
