// Hostile command lines and what a first-time user meets: every numeric flag with every bad value (negative,
// zero, fractional, text, empty, huge, a flag where a value belongs), strict resumes (every flag that would
// change a run), and the messages — the flag's own name, the usage text first and the error last, exit code
// 2 for usage and 1 for failures, plain words for file-system failures, --version.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/checkpoint/file.js';
import { trainCommand } from '../../src/cli/train.js';
import { FIELDS } from '../../src/rl/config.js';
import { kebab } from '../../src/cli/flags.js';
import { cli, runCli, tempDir } from '../helpers/cli.js';

const SMALL = ['--actor-hidden', '6', '--critic-hidden', '6', '--batch-size', '8', '--buffer-size', '800', '--learning-starts', '100',
  '--seed', '3', '--quiet', '--eval-episodes', '1'];

describe('bad flag values', () => {
  const numeric = ['--steps', '--seed', '--checkpoint-every', '--eval-every', '--eval-episodes',
    ...(Object.keys(FIELDS) as (keyof typeof FIELDS)[]).filter((f) => FIELDS[f].flag === 'number').map((f) => `--${kebab(f)}`)];
  const BAD = ['-5', '0', '1.5', 'abc', '', '1e400', '--quiet', '0x10', 'NaN', '-Infinity', '2e30'];

  it('each numeric flag with each bad value: exit 2, the flag named in the last line, after the usage text', async () => {
    let tried = 0, refused = 0;
    const wrong: string[] = [];
    for (const flag of numeric) {
      for (const value of BAD) {
        const r = await cli(['train', ...SMALL, '--steps', '50', '--out', join(tempDir('badflag'), 'run'), flag, value]);
        tried++;
        if (r.code === 0) continue; // a legitimate value for this flag (e.g. --seed 0, --gamma 0)
        refused++;
        const last = r.stderr.trim().split('\n').at(-1)!;
        if (r.code !== 2) wrong.push(`${flag} ${value}: exit ${r.code}: ${last}`);
        else if (!r.stderr.startsWith('Usage: ddpg-wasm train')) wrong.push(`${flag} ${value}: the usage text does not come first`);
        else if (!last.includes(flag) && !last.includes(flag.replace(/^--/, ''))) wrong.push(`${flag} ${value}: the last line does not name the flag: ${last}`);
        else if (/config\./.test(last)) wrong.push(`${flag} ${value}: an internal field name: ${last}`);
      }
    }
    console.log(`hostile flag values tried: ${tried}, refused with exit 2: ${refused}`);
    expect(wrong).toEqual([]);
    expect(refused).toBeGreaterThan(tried * 0.7);
  });

  it('--steps -5 gets our message, not the argument parser\'s', async () => {
    const r = await cli(['train', '--steps', '-5']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toBe("ddpg-wasm train: --steps expects an integer ≥ 1, got '-5'");
  });

  it('a library error names the flag: --batch-size, not config.batchSize', async () => {
    const r = await cli(['train', '--batch-size', '0', '--out', join(tempDir('bs'), 'run')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--batch-size must be a positive integer, got 0/);
    expect(r.stderr).not.toMatch(/config\.batchSize/);
  });

  it('--version', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`ddpg-wasm ${JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')).version}`);
  });

  it('--steps not above --learning-starts warns that no update will run', async () => {
    const r = await cli(['train', ...SMALL, '--steps', '80', '--out', join(tempDir('warn'), 'run')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: --steps 80 is not above learningStarts 100: the agent only acts at random and no update will run/);
  });
});

describe('strict resume', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('strict');
    expect(await trainCommand([...SMALL, '--algo', 'td3', '--steps', '300', '--out', dir])).toBe(0);
  });

  it('every flag that would change the run is refused, naming the flag and the run\'s value; its own value is accepted', async () => {
    const changes: [string, string][] = [['--env', 'MountainCarContinuous-v0'], ['--algo', 'ddpg'], ['--seed', '4'], ['--out', '/tmp/elsewhere'],
      ['--preset', 'paper'], ['--gamma', '0.9'], ['--actor-hidden', '7'], ['--batch-size', '9'], ['--target-noise-clip', '0.3'], ['--noise', 'ou'],
      ['--obs-normalization', ''], ['--learning-starts', '50'], ['--tau', '0.01'], ['--policy-delay', '3']];
    for (const [flag, value] of changes) {
      const r = await cli(['train', '--resume', dir, '--steps', '400', flag, ...(value ? [value] : [])]);
      expect(r.code, `${flag} ${value}`).toBe(2);
      const last = r.stderr.trim().split('\n').at(-1)!;
      expect(last, flag).toMatch(new RegExp(`${flag} cannot change when resuming`));
    }
    const same = await cli(['train', '--resume', dir, '--steps', '400', '--gamma', '0.98', '--algo', 'td3', '--seed', '3', '--quiet']);
    expect(same.code).toBe(0); // the run's own values
  });

  it('--steps at or below the current step is refused; after a resume config.json, wall_s and the summary tell the truth', async () => {
    for (const steps of ['400', '100']) {
      const r = await cli(['train', '--resume', dir, '--steps', steps]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`--steps ${steps} is not above the run's current step 400`));
    }
    const rowsBefore = readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n');
    const wallBefore = Number(rowsBefore.at(-1)!.split(',').at(-1));
    const r = await cli(['train', '--resume', dir, '--steps', '700', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/trained 300 steps in [\d.]+ s; 700 in total \([\d.]+ s\)/);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).steps).toBe(700);
    const rows = readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n').slice(1);
    const walls = rows.map((row) => Number(row.split(',').at(-1)));
    expect(walls.at(-1)!).toBeGreaterThan(wallBefore);
    for (let i = 1; i < walls.length; i++) expect(walls[i]).toBeGreaterThanOrEqual(walls[i - 1]); // continues, never restarts
  });
});

describe('messages for what a user meets', () => {
  it('eval of a checkpoint on another task says so', async () => {
    const dir = tempDir('evalother');
    expect(await trainCommand([...SMALL, '--steps', '200', '--out', dir])).toBe(0);
    const r = await cli(['eval', '--checkpoint', dir, '--env', 'MountainCarContinuous-v0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/was trained on Pendulum-v1 \(3 observations, 1 actions in \[-2\] … \[2\]\); MountainCarContinuous-v0 has 2 observations and 1 actions .* its policy cannot act there/);
    const ok = await cli(['eval', '--checkpoint', dir, '--episodes', '1']);
    expect(ok.code).toBe(0);
  });

  it('a full disk, a missing folder: what happened to which path, in plain words', () => {
    const dir = tempDir('full');
    symlinkSync('/dev/full', join(dir, `.checkpoint.ddpg.${process.pid}.tmp`)); // the temp file writes to /dev/full
    expect(() => writeFileAtomic(join(dir, 'checkpoint.ddpg'), new Uint8Array(64))).toThrow(`cannot write ${join(dir, 'checkpoint.ddpg')}: the disk is full (ENOSPC)`);
    expect(existsSync(join(dir, 'checkpoint.ddpg'))).toBe(false);
    expect(() => writeFileAtomic('/nonexistent-dir/x/checkpoint.ddpg', new Uint8Array(4))).toThrow('cannot write /nonexistent-dir/x/checkpoint.ddpg: the folder does not exist (ENOENT)');
  });

  it('the CLI reports a write failure with exit 1 and the path', () => {
    const file = join(tempDir('notdir'), 'plainfile');
    writeFileSync(file, 'x');
    const r = runCli(['train', ...SMALL, '--steps', '50', '--out', join(file, 'run')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`cannot create the run folder ${join(file, 'run').replace(/[/.]/g, '\\$&')}: a part of the path is not a folder \\(ENOTDIR\\)`));
  });

  it('a folder that is not a run', () => {
    const dir = tempDir('notrun');
    mkdirSync(join(dir, 'sub'));
    const r = runCli(['train', '--resume', join(dir, 'sub')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/checkpoint .*checkpoint\.ddpg: cannot be read \(ENOENT\)/);
  });
});
