// Exact resume: a run of N steps and a run stopped at step k then resumed to N end bit-identical
// (weights, optimizer state, replay, metrics), for k before learningStarts, mid-episode, at an episode end;
// also after kill -9 (from the last periodic checkpoint) and after SIGINT.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainCommand } from '../src/cli/train.js';
import { checkpointArrays, metricsWithoutWall, startCli, tempDir } from './helpers/cli.js';

const N = 1500;
const SMALL = ['--actor-hidden', '8,8', '--critic-hidden', '8,8', '--batch-size', '32', '--buffer-size', '4000',
  '--learning-starts', '300', '--noise', 'ou', '--noise-sigma', '0.3', '--seed', '3', '--quiet', '--eval-episodes', '0'];

async function train(args: string[]): Promise<void> {
  expect(await trainCommand([...SMALL, ...args])).toBe(0);
}

describe('exact resume (in-process CLI)', () => {
  it(`stop at k ∈ {150, 400, 777} and resume to ${N}: same bits and metrics as an uninterrupted run`, async () => {
    const full = tempDir('full');
    await train(['--steps', String(N), '--out', full]);
    const want = checkpointArrays(full);
    expect(Object.keys(want)).toContain('replay.obs');
    for (const k of [150, 400, 777]) { // before learningStarts mid-episode; at an episode end; mid-episode while learning
      const dir = tempDir(`k${k}`);
      await train(['--steps', String(k), '--out', dir]);
      expect(metricsWithoutWall(dir).length).toBe(1 + Math.floor(k / 200));
      expect(await trainCommand(['--resume', dir, '--steps', String(N), '--quiet'])).toBe(0);
      expect(checkpointArrays(dir)).toEqual(want);
      expect(metricsWithoutWall(dir)).toEqual(metricsWithoutWall(full));
    }
  });

  it('resuming from a periodic checkpoint drops the metric rows logged after it', async () => {
    const dir = tempDir('periodic');
    await train(['--steps', '700', '--out', dir, '--checkpoint-every', '250']);
    const full = tempDir('periodic-full');
    await train(['--steps', '700', '--out', full]);
    expect(checkpointArrays(dir)).toEqual(checkpointArrays(full));
  });
});

describe('interrupted processes', () => {
  const big = ['--steps', '30000', '--checkpoint-every', '500', ...SMALL];

  async function waitFor(path: string, ms = 30_000): Promise<void> {
    const t0 = Date.now();
    while (!existsSync(path)) {
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${path}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('kill -9 mid-run, resume from the last periodic checkpoint: bit-identical to an uninterrupted run', async () => {
    const dir = tempDir('kill9');
    const run = startCli(['train', ...big, '--out', dir]);
    await waitFor(join(dir, 'checkpoint.ddpg'));
    await new Promise((r) => setTimeout(r, 150));
    run.child.kill('SIGKILL');
    expect(await run.exited).toBe(null); // killed, not finished
    expect(await trainCommand(['--resume', dir, '--quiet'])).toBe(0);
    const full = tempDir('kill9-full');
    expect(await trainCommand([...big, '--out', full])).toBe(0);
    expect(checkpointArrays(dir)).toEqual(checkpointArrays(full));
    expect(metricsWithoutWall(dir)).toEqual(metricsWithoutWall(full));
  });

  it('SIGINT finishes the step, writes a checkpoint, says how to resume, exits 130', async () => {
    const dir = tempDir('sigint');
    const run = startCli(['train', ...big, '--out', dir]);
    await waitFor(join(dir, 'checkpoint.ddpg'));
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.stderr()).toMatch(new RegExp(`stopped by SIGINT at step \\d+; checkpoint written. Resume with: ddpg-wasm train --resume ${dir}`));
    expect(await trainCommand(['--resume', dir, '--steps', '2000', '--quiet'])).toBe(0);
  });
});
