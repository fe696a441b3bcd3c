// Exact resume: a run of N steps and a run stopped at step k then resumed to N end bit-identical
// (weights, optimizer state, replay, metrics), for k before learningStarts, mid-episode, at an episode end,
// for DDPG and TD3; also after kill -9 (from the last periodic checkpoint) and after SIGINT.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainCommand } from '../src/cli/train.js';
import { decodeCheckpoint } from '../src/checkpoint/format.js';
import { checkpointArrays, metricsWithoutWall, startCli, tempDir, waitFor } from './helpers/cli.js';

const N = 1500;
const SMALL = ['--actor-hidden', '8,8', '--critic-hidden', '8,8', '--batch-size', '32', '--buffer-size', '4000',
  '--learning-starts', '300', '--noise', 'ou', '--noise-sigma', '0.3', '--seed', '3', '--quiet', '--eval-episodes', '0'];

async function train(args: string[]): Promise<void> {
  expect(await trainCommand([...SMALL, ...args])).toBe(0);
}

describe.each([['ddpg'], ['td3']])('exact resume of %s (in-process CLI)', (algo) => {
  const algoArgs = ['--algo', algo];
  it(`stop at k ∈ {150, 400, 777} and resume to ${N}: same bits and metrics as an uninterrupted run`, async () => {
    const full = tempDir('full');
    await train([...algoArgs, '--steps', String(N), '--out', full]);
    const want = checkpointArrays(full);
    expect(Object.keys(want)).toContain('replay.obs');
    expect(Object.keys(want)).toContain(algo === 'td3' ? 'networks.critic2Target' : 'networks.criticTarget');
    for (const k of [150, 400, 777]) { // before learningStarts mid-episode; at an episode end; mid-episode while learning
      const dir = tempDir(`k${k}`);
      await train([...algoArgs, '--steps', String(k), '--out', dir]);
      expect(metricsWithoutWall(dir).length).toBe(1 + Math.floor(k / 200));
      expect(await trainCommand(['--resume', dir, '--steps', String(N), '--quiet'])).toBe(0);
      expect(checkpointArrays(dir)).toEqual(want);
      expect(metricsWithoutWall(dir)).toEqual(metricsWithoutWall(full));
    }
  });
});

describe('exact resume with --log-grads', () => {
  it('stopped mid-episode while learning (the per-episode accumulators half full): same bits and same introspection columns', async () => {
    const args = ['--log-grads', '--steps', '1000'];
    const full = tempDir('lg-full'), dir = tempDir('lg-k');
    await train([...args, '--out', full]);
    await train(['--log-grads', '--steps', '777', '--out', dir]);
    expect(await trainCommand(['--resume', dir, '--steps', '1000', '--quiet'])).toBe(0);
    expect(checkpointArrays(dir)).toEqual(checkpointArrays(full));
    const rows = metricsWithoutWall(dir);
    expect(rows[0]).toContain('td_abs_mean');
    expect(rows).toHaveLength(1 + 5);
    expect(rows).toEqual(metricsWithoutWall(full)); // episode 4 (steps 601–800) spans the stop at 777
  });
});

describe('resuming from an older checkpoint', () => {
  it('drops the metric rows logged after that checkpoint and logs them again once', async () => {
    const full = tempDir('rows-full');
    await train(['--steps', '700', '--out', full]);
    const dir = tempDir('rows');
    await train(['--steps', '500', '--out', dir]); // checkpoint at step 500, rows for episodes ending at 200, 400
    const at500 = join(dir, 'checkpoint-500.ddpg');
    copyFileSync(join(dir, 'checkpoint.ddpg'), at500);
    expect(await trainCommand(['--resume', dir, '--steps', '700', '--quiet'])).toBe(0); // logs the episode ending at 600
    const rows = () => metricsWithoutWall(dir).slice(1).map((r) => Number(r.split(',')[0]));
    expect(rows()).toEqual([200, 400, 600]);
    // As after a kill past step 600 whose last periodic checkpoint was at 500: metrics.csv is ahead of it.
    copyFileSync(at500, join(dir, 'checkpoint.ddpg'));
    expect(await trainCommand(['--resume', dir, '--steps', '700', '--quiet'])).toBe(0);
    expect(rows()).toEqual([200, 400, 600]); // the row for 600 once, not twice
    expect(metricsWithoutWall(dir)).toEqual(metricsWithoutWall(full));
    expect(checkpointArrays(dir)).toEqual(checkpointArrays(full));
  });
});

describe('interrupted processes', () => {
  const big = ['--steps', '30000', '--checkpoint-every', '500', ...SMALL];

  for (const algo of ['ddpg', 'td3']) {
    it(`${algo}: kill -9 mid-run, resume from the last periodic checkpoint: bit-identical to an uninterrupted run`, async () => {
      const dir = tempDir(`kill9-${algo}`);
      const args = [...big, '--algo', algo];
      const run = startCli(['train', ...args, '--out', dir]);
      await waitFor(join(dir, 'checkpoint.ddpg'));
      await new Promise((r) => setTimeout(r, 150));
      run.child.kill('SIGKILL');
      expect(await run.exited).toBe(null); // killed, not finished
      const resumedAt = Number(/"step":(\d+)/.exec(JSON.stringify(decodeCheckpoint(readFileSync(join(dir, 'checkpoint.ddpg'))).meta.run))![1]);
      expect(resumedAt).toBeGreaterThan(0);
      expect(resumedAt).toBeLessThan(30_000); // it was killed mid-run
      expect(await trainCommand(['--resume', dir, '--quiet'])).toBe(0);
      const full = tempDir(`kill9-full-${algo}`);
      expect(await trainCommand([...args, '--out', full])).toBe(0);
      expect(checkpointArrays(dir)).toEqual(checkpointArrays(full));
      expect(metricsWithoutWall(dir)).toEqual(metricsWithoutWall(full));
    });
  }

  it('Hopper-v5 (contacts: the solver\'s warm start is part of the state): kill -9, resume, bit-identical', async () => {
    const hopper = ['--env', 'Hopper-v5', '--algo', 'td3', '--steps', '6000', '--checkpoint-every', '500', '--actor-hidden', '16,16',
      '--critic-hidden', '16,16', '--batch-size', '32', '--buffer-size', '6000', '--learning-starts', '300', '--seed', '5',
      '--quiet', '--eval-episodes', '0'];
    const dir = tempDir('kill9-hopper');
    const run = startCli(['train', ...hopper, '--out', dir]);
    await waitFor(join(dir, 'checkpoint.ddpg'));
    await new Promise((r) => setTimeout(r, 100));
    run.child.kill('SIGKILL');
    expect(await run.exited).toBe(null);
    const resumedAt = Number(/"step":(\d+)/.exec(JSON.stringify(decodeCheckpoint(readFileSync(join(dir, 'checkpoint.ddpg'))).meta.run))![1]);
    expect(resumedAt).toBeLessThan(6000);
    expect(await trainCommand(['--resume', dir, '--quiet'])).toBe(0);
    const full = tempDir('kill9-hopper-full');
    expect(await trainCommand([...hopper, '--out', full])).toBe(0);
    expect(checkpointArrays(dir)).toEqual(checkpointArrays(full));
    expect(metricsWithoutWall(dir)).toEqual(metricsWithoutWall(full));
    expect(metricsWithoutWall(full).length).toBeGreaterThan(20); // Hopper's episodes end by falling: many of them
  });

  it('SIGINT finishes the step, writes a checkpoint, says how to resume, exits 130', async () => {
    const dir = tempDir('sigint');
    const run = startCli(['train', ...big, '--out', dir]);
    await waitFor(join(dir, 'checkpoint.ddpg'));
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.stderr()).toMatch(new RegExp(`stopped by SIGINT at step \\d+; checkpoint written. Resume with: ddpg-wasm train --resume ${dir}`));
    // Resume to a little past where it stopped (a loaded machine may run well past its first checkpoint before
    // the signal lands: 2240 steps once, so a fixed --steps 2000 was refused as "not above the current step").
    const stoppedAt = Number(/stopped by SIGINT at step (\d+)/.exec(run.stderr())![1]);
    expect(await trainCommand(['--resume', dir, '--steps', String(stoppedAt + 200), '--quiet'])).toBe(0);
  });
});
