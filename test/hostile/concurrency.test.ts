// Two processes on one run folder, and kills at random moments: a second writer is refused naming the first;
// a lock left by a kill -9 does not stay stuck; temp files of killed writes are cleaned up by the next run;
// and a run killed at random instants — often in the middle of writing a checkpoint — always leaves a
// checkpoint that loads, and resumes to the same bits as a run never killed.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/checkpoint/file.js';
import { trainCommand } from '../../src/cli/train.js';
import { LOCK_FILE } from '../../src/cli/run-lock.js';
import { checkpointArrays, metricsWithoutWall, runCli, startCli, tempDir, waitFor } from '../helpers/cli.js';
import { scaled } from './fuzz-scale.js';

const SMALL = ['--actor-hidden', '6', '--critic-hidden', '6', '--batch-size', '16', '--buffer-size', '4000', '--learning-starts', '200',
  '--seed', '6', '--quiet', '--eval-episodes', '0'];

describe('one run folder, one writer', () => {
  it('a second process is refused while the first writes; after the first is killed -9, the folder can be taken over', async () => {
    const dir = tempDir('two-writers');
    const first = startCli(['train', ...SMALL, '--steps', '200000', '--checkpoint-every', '500', '--out', dir]);
    await waitFor(join(dir, 'checkpoint.ddpg'));
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    for (const args of [['train', '--resume', dir, '--quiet'], ['train', ...SMALL, '--steps', '100', '--out', dir]]) {
      const second = runCli(args);
      expect(second.code, args.join(' ')).toBe(2);
      expect(second.stderr.trim().split('\n').at(-1)).toMatch(new RegExp(`${dir.replace(/[/.]/g, '\\$&')} is in use by process ${first.child.pid} on .* one run folder takes one writer`));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true); // left behind by the kill…
    const resumed = runCli(['train', '--resume', dir, '--steps', String(Number(/"step":(\d+)/.exec(JSON.stringify(loadCheckpoint(join(dir, 'checkpoint.ddpg')).meta.run))![1]) + 300), '--quiet']);
    expect(resumed.code, resumed.stderr).toBe(0); // …and taken over: its process is gone
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false); // released at the end
  });

  it('processes taking over the same stale lock at the same instant: exactly one gets it', async () => {
    const lockModule = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'run-lock.js');
    for (let round = 0; round < scaled(3); round++) {
      const dir = tempDir('stale-race');
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 4321, host: hostname(), started: 'a kill -9 ago' }));
      const at = Date.now() + 1500; // every process waits for this instant, then takes the lock and holds it 400 ms
      const script = `const { acquireRunLock } = await import(${JSON.stringify(pathToFileURL(lockModule).href)});
        while (Date.now() < ${at});
        try { acquireRunLock(${JSON.stringify(dir)}); console.log('got'); await new Promise((r) => setTimeout(r, 400)); }
        catch (e) { console.log('refused: ' + e.message); }`;
      const outputs = await Promise.all(Array.from({ length: 6 }, () => new Promise<string>((resolve) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d) => { out += String(d); });
        child.on('exit', () => resolve(out.trim()));
      })));
      expect(outputs.filter((o) => o === 'got'), outputs.join('\n')).toHaveLength(1);
      expect(outputs.filter((o) => o.startsWith('refused: ')).length).toBe(5);
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false); // released by the winner's exit
      expect(existsSync(join(dir, '.lock.break'))).toBe(false);
    }
  });

  it('temp files of killed writes are removed by the next run; a live process\'s are kept', async () => {
    const dir = tempDir('tmpfiles');
    expect(await trainCommand([...SMALL, '--steps', '250', '--out', dir])).toBe(0);
    const dead = `.checkpoint.ddpg.${2 ** 22 + 12345}.tmp`, live = `.metrics.csv.${process.ppid}.tmp`; // ppid: alive, and not this process (whose own writes use its pid)
    writeFileSync(join(dir, dead), 'half a checkpoint');
    writeFileSync(join(dir, live), 'being written');
    expect(await trainCommand(['--resume', dir, '--steps', '300', '--quiet'])).toBe(0);
    const files = readdirSync(dir);
    expect(files).not.toContain(dead);
    expect(files).toContain(live);
  });
});

describe('kill -9 at random instants', () => {
  it('always leaves a checkpoint that loads; resumed, the run ends as if never killed', async () => {
    const args = [...SMALL, '--steps', String(scaled(6000)), '--checkpoint-every', '40']; // a checkpoint every few ms: kills land inside writes
    const full = tempDir('kills-full');
    expect(await trainCommand([...args, '--out', full])).toBe(0);
    const rng = seedrandom('kills');
    const dir = tempDir('kills');
    let kills = 0;
    const start = startCli(['train', ...args, '--out', dir]);
    await waitFor(join(dir, 'checkpoint.ddpg'));
    await new Promise((r) => setTimeout(r, 20 + 200 * rng()));
    start.child.kill('SIGKILL');
    await start.exited;
    kills++;
    for (let i = 0; i < scaled(8); i++) {
      const content = loadCheckpoint(join(dir, 'checkpoint.ddpg')); // never torn
      expect(content.meta.run).toBeDefined();
      const run = startCli(['train', '--resume', dir, '--quiet']);
      await new Promise((r) => setTimeout(r, 150 + 250 * rng()));
      run.child.kill('SIGKILL');
      const code = await run.exited;
      if (code === 0) break; // it finished before the kill
      kills++;
    }
    loadCheckpoint(join(dir, 'checkpoint.ddpg'));
    const done = runCli(['train', '--resume', dir, '--quiet']);
    if (done.code === 2) expect(done.stderr, 'a refusal other than "already run"').toMatch(/has already run its \d+ steps/); // it had finished
    else expect(done.code, done.stderr).toBe(0);
    console.log(`kill -9 at random instants: ${kills} kills, every checkpoint left behind loaded`);
    expect(checkpointArrays(dir)).toEqual(checkpointArrays(full));
    expect(metricsWithoutWall(dir)).toEqual(metricsWithoutWall(full));
  });
});
