// `ddpg-wasm eval`: mean ± std return of a checkpoint's deterministic policy.
import { parseArgs } from 'node:util';
import { loadEngine } from '../nn/engine.js';
import { createEnv } from '../envs/registry.js';
import { loadCheckpoint } from '../checkpoint/file.js';
import { agentFromCheckpoint } from '../rl/agent-state.js';
import { evaluate } from '../rl/trainer.js';
import { UsageError } from './flags.js';
import { checkpointPath } from './run-files.js';
import { EVAL_SEED_BASE, formatEval } from './train.js';

export const EVAL_HELP = `Usage: ddpg-wasm eval --checkpoint PATH [--episodes 10] [--seed S] [--env ID]
  PATH is a run folder or a checkpoint file. Episodes reset with seeds S, S+1, … (default ${EVAL_SEED_BASE}).`;

export async function evalCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: { checkpoint: { type: 'string' }, episodes: { type: 'string' }, seed: { type: 'string' }, env: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { console.log(EVAL_HELP); return 0; }
  if (!values.checkpoint) throw new UsageError('eval needs --checkpoint PATH (a run folder or a checkpoint file)');
  const episodes = Number(values.episodes ?? 10);
  if (!Number.isInteger(episodes) || episodes < 1) throw new UsageError(`--episodes expects an integer ≥ 1, got '${values.episodes}'`);
  const seed = Number(values.seed ?? EVAL_SEED_BASE);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed expects an integer, got '${values.seed}'`);
  const file = checkpointPath(values.checkpoint);
  const content = loadCheckpoint(file);
  const envId = values.env ?? ((content.meta.run as { env?: string } | undefined)?.env) ?? 'Pendulum-v1';
  const agent = agentFromCheckpoint(await loadEngine(), content, file);
  const ev = evaluate(agent, await createEnv(envId), episodes, seed);
  console.log(formatEval(ev.mean, ev.std, episodes));
  return 0;
}
