// The command line works for every registered algorithm: train --algo, the help shows the values that will
// be used for the chosen env/algo/preset, flags of another algorithm are refused, and eval, export and
// loadPolicy work on a TD3 run as they do on a DDPG run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../src/checkpoint/file.js';
import { trainCommand, trainHelp } from '../src/cli/train.js';
import { loadEngine, loadPolicy, type Engine } from '../src/index.js';
import { agentFromCheckpoint } from '../src/rl/agent-state.js';
import { TD3 } from '../src/rl/td3.js';
import { DDPG_PRESETS, TD3_PAPER, TD3_PRESETS } from '../src/rl/presets.js';
import { runCli, tempDir } from './helpers/cli.js';

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

const SMALL = ['--actor-hidden', '8,8', '--critic-hidden', '8,8', '--batch-size', '16', '--buffer-size', '2000',
  '--learning-starts', '200', '--quiet', '--eval-episodes', '2'];

/** The value column of a flag's line in the help. */
const helpValue = (help: string, flag: string) => new RegExp(`^  ${flag}\\s+(\\S+)`, 'm').exec(help.slice(help.indexOf('Hyper-parameters of')))?.[1];

describe('train --help', () => {
  it('shows the values that will be used for the chosen env, algorithm and preset, flags included', async () => {
    const td3 = await trainHelp(['--algo', 'td3', '--env', 'Pendulum-v1']);
    expect(td3).toMatch(/Hyper-parameters of TD3 on Pendulum-v1/);
    expect(helpValue(td3, '--steps')).toBe(String(TD3_PRESETS['Pendulum-v1'].steps));
    expect(helpValue(td3, '--batch-size')).toBe(String(TD3_PRESETS['Pendulum-v1'].config.batchSize));
    expect(helpValue(td3, '--policy-delay')).toBe('2');
    expect(helpValue(td3, '--target-noise-clip')).toBe('0.5');
    const ddpg = await trainHelp(['--env', 'MountainCarContinuous-v0']);
    expect(ddpg).toMatch(/Hyper-parameters of DDPG on MountainCarContinuous-v0/);
    expect(helpValue(ddpg, '--noise')).toBe(DDPG_PRESETS['MountainCarContinuous-v0'].config.noise);
    expect(helpValue(ddpg, '--policy-delay')).toBe('1');
    expect(helpValue(ddpg, '--target-policy-noise')).toBeUndefined(); // not a DDPG setting
    const paper = await trainHelp(['--algo', 'td3', '--preset', 'paper', '--tau', '0.01']);
    expect(helpValue(paper, '--batch-size')).toBe(String(TD3_PAPER.config.batchSize));
    expect(helpValue(paper, '--actor-hidden')).toBe('400,300');
    expect(helpValue(paper, '--tau')).toBe('0.01'); // a flag beats the presets
  });

  it('the CLI prints it with exit code 0', () => {
    const r = runCli(['train', '--help', '--algo', 'td3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--target-policy-noise\s+0\.2\s+σ̃ of the target policy smoothing noise/);
  });
});

describe('train --algo', () => {
  it('refuses unknown algorithms, flags of another algorithm and unknown presets with exit code 2', () => {
    const unknown = runCli(['train', '--algo', 'sac']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown --algo 'sac'; known: ddpg, td3/);
    const wrongFlag = runCli(['train', '--algo', 'ddpg', '--target-noise-clip', '0.3']);
    expect(wrongFlag.code).toBe(2);
    expect(wrongFlag.stderr).toMatch(/--target-noise-clip is not a setting of DDPG \(--algo ddpg\); it belongs to TD3 \(--algo td3\)/);
    const preset = runCli(['train', '--algo', 'td3', '--preset', 'zoo']);
    expect(preset.code).toBe(2);
    expect(preset.stderr).toMatch(/--preset expects 'paper' for TD3, got 'zoo'/);
  });

  it('trains TD3, and eval, export and loadPolicy work on its run folder', async () => {
    const dir = tempDir('td3-cli');
    expect(await trainCommand([...SMALL, '--algo', 'td3', '--steps', '600', '--policy-delay', '3', '--out', dir])).toBe(0);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ algo: 'td3', env: 'Pendulum-v1', policyDelay: 3, targetPolicyNoise: 0.2, batchSize: 16 });
    const content = loadCheckpoint(join(dir, 'checkpoint.ddpg'));
    expect(content.meta.algorithm).toBe('td3');
    const agent = agentFromCheckpoint(engine, content, dir);
    expect(agent).toBeInstanceOf(TD3);
    expect(agent.updates).toBe(401); // at steps 200 … 600
    expect(agent.optimizers.actor.t).toBe(Math.floor(401 / 3));
    expect(agent.optimizers.critic2.t).toBe(401);
    // metrics.csv: actor loss averaged over the updates that had an actor step, never a NaN.
    const rows = readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n').slice(1).map((r) => r.split(','));
    expect(rows.map((r) => r[5])).toEqual(['', expect.stringMatching(/^-?\d/), expect.stringMatching(/^-?\d/)]);
    expect(rows.flat().some((c) => c === 'NaN')).toBe(false);

    const ev = runCli(['eval', '--checkpoint', dir, '--episodes', '2']);
    expect(ev.code).toBe(0);
    const trained = JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8'));
    expect(ev.stdout.trim()).toBe(`mean ${trained.mean.toFixed(1)} ± ${trained.std.toFixed(1)} over 2 episodes`); // the same episodes
    const out = join(dir, 'policy.bin');
    expect(runCli(['export', '--checkpoint', dir, '--out', out]).code).toBe(0);
    const policy = await loadPolicy(readFileSync(out), engine);
    expect(policy.meta).toMatchObject({ algorithm: 'td3', env: 'Pendulum-v1', steps: 600 });
    const fromCheckpoint = await loadPolicy(readFileSync(join(dir, 'checkpoint.ddpg')), engine);
    for (let i = 0; i < 50; i++) {
      const obs = [Math.cos(i), Math.sin(i), (i % 17) - 8];
      const want = agent.act(obs)[0];
      expect(policy.act(obs)[0]).toBe(want);
      expect(fromCheckpoint.act(obs)[0]).toBe(want);
    }
  });
});
