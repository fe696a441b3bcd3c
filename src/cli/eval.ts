// `ddpg-wasm eval`: mean ± std return of a checkpoint's (or a policy file's) deterministic policy, on the env it
// was trained on or on another one with the same observation and action spaces.
import { parseArgs } from 'node:util';
import { loadCheckpoint } from '../checkpoint/file.js';
import { ALL_ENV_IDS, createEnv } from '../envs/registry.js';
import { loadEngine } from '../nn/engine.js';
import { loadPolicy } from '../policy.js';
import { encodeCheckpoint } from '../checkpoint/format.js';
import { toPolicyContent } from '../policy.js';
import { evaluate } from '../rl/trainer.js';
import { flagArgv, UsageError } from './flags.js';
import { checkpointPath } from './run-files.js';
import { EVAL_SEED_BASE, formatEval } from './run-loop.js';

export const EVAL_HELP = `Usage: ddpg-wasm eval --checkpoint PATH [--episodes 10] [--seed S] [--env ID]
  PATH is a run folder, a checkpoint file or a policy file (ddpg-wasm export). Episodes reset with seeds
  S, S+1, … (default ${EVAL_SEED_BASE}). --env defaults to the env the policy was trained on.`;

const OPTIONS = { checkpoint: { type: 'string' }, episodes: { type: 'string' }, seed: { type: 'string' }, env: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

export async function evalCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: flagArgv(argv, OPTIONS), strict: true, options: OPTIONS });
  if (values.help) { console.log(EVAL_HELP); return 0; }
  if (!values.checkpoint) throw new UsageError('eval needs --checkpoint PATH (a run folder, a checkpoint or a policy file)');
  const episodes = Number(values.episodes ?? 10);
  if (!Number.isInteger(episodes) || episodes < 1) throw new UsageError(`--episodes expects an integer ≥ 1, got '${values.episodes}'`);
  const seed = Number(values.seed ?? EVAL_SEED_BASE);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed expects an integer, got '${values.seed}'`);
  if (values.env !== undefined && !ALL_ENV_IDS.includes(values.env)) throw new UsageError(`unknown --env '${values.env}'; known: ${ALL_ENV_IDS.join(', ')}`);
  const file = checkpointPath(values.checkpoint);
  const content = toPolicyContent(loadCheckpoint(file), file);
  const trainedOn = typeof content.meta.env === 'string' ? content.meta.env : undefined;
  const envId = values.env ?? trainedOn;
  if (!envId) throw new UsageError(`${file} does not say which env it was trained on: give --env`);
  const env = await createEnv(envId);
  const policy = await loadPolicy(encodeCheckpoint(content), await loadEngine(), file);
  const [obsDim, actDim] = [env.observationSpace.shape[0], env.actionSpace.shape[0]];
  const box = (a: ArrayLike<number>) => Array.from(a, (v) => Math.fround(v)).join(', ');
  if (policy.obsDim !== obsDim || policy.actDim !== actDim || box(policy.spec.actionLow) !== box(env.actionSpace.low) || box(policy.spec.actionHigh) !== box(env.actionSpace.high)) {
    throw new UsageError(`${file} was trained on ${trainedOn ?? 'another env'} (${policy.obsDim} observations, ${policy.actDim} actions in ` +
      `[${box(policy.spec.actionLow)}] … [${box(policy.spec.actionHigh)}]); ${envId} has ${obsDim} observations and ${actDim} actions in ` +
      `[${box(env.actionSpace.low)}] … [${box(env.actionSpace.high)}]: its policy cannot act there`);
  }
  if (trainedOn && trainedOn !== envId) console.error(`note: evaluating a policy trained on ${trainedOn} on ${envId} (the spaces match)`);
  const ev = evaluate({ act: (obs) => policy.act(obs) }, env, episodes, seed);
  console.log(formatEval(ev.mean, ev.std, episodes));
  return 0;
}
