// Running the CLI in tests: in-process (src, fast) or as a child process of the built dist/ (signals, exit codes).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCheckpoint } from '../../src/checkpoint/format.js';
import { main } from '../../src/cli/main.js';

export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `ddpg-${tag}-`));
}

export function runCli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI in this process (src, not dist), capturing stderr/stdout. */
export async function cli(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const err: string[] = [], out: string[] = [];
  const [e, o] = [console.error, console.log];
  console.error = (...a: unknown[]) => { err.push(a.join(' ')); };
  console.log = (...a: unknown[]) => { out.push(a.join(' ')); };
  try {
    return { code: await main(args), stderr: err.join('\n'), stdout: out.join('\n') };
  } finally {
    console.error = e; console.log = o;
  }
}

export function startCli(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += String(d); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

/** The weight and optimizer arrays of a run's checkpoint (everything but wall-clock data). */
export function checkpointArrays(dir: string): Record<string, number[]> {
  const c = decodeCheckpoint(readFileSync(join(dir, 'checkpoint.ddpg')), dir);
  return Object.fromEntries(Object.entries(c.arrays).map(([k, v]) => [k, Array.from(v)]));
}

/** metrics.csv without the wall-time column. */
export function metricsWithoutWall(dir: string): string[] {
  const lines = readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n');
  const wall = lines[0].split(',').indexOf('wall_s');
  if (wall < 0) throw new Error(`no wall_s column in ${dir}/metrics.csv`);
  return lines.map((l) => l.split(',').filter((_, i) => i !== wall).join(','));
}

/** Resolves once `path` exists (a run's first checkpoint, say); rejects after `ms`. */
export async function waitFor(path: string, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!existsSync(path)) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${path}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
