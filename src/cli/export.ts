// `ddpg-wasm export`: writes the actor of a training checkpoint as a small policy file for loadPolicy()
// (src/policy.ts) — the deployable part of a run, without critics, optimizer state or replay buffer.
import { parseArgs } from 'node:util';
import { loadCheckpoint, writeFileAtomic } from '../checkpoint/file.js';
import { encodeCheckpoint } from '../checkpoint/format.js';
import { toPolicyContent } from '../policy.js';
import { UsageError } from './flags.js';
import { checkpointPath } from './run-files.js';

export const EXPORT_HELP = `Usage: ddpg-wasm export --checkpoint PATH --out FILE
  PATH is a run folder or a checkpoint file (a policy file is accepted too and rewritten).
  FILE receives the policy: actor parameters, sizes, activations and action box (load it with loadPolicy).`;

export async function exportCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: { checkpoint: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { console.log(EXPORT_HELP); return 0; }
  if (!values.checkpoint) throw new UsageError('export needs --checkpoint PATH (a run folder or a checkpoint file)');
  if (!values.out) throw new UsageError('export needs --out FILE (where to write the policy)');
  const file = checkpointPath(values.checkpoint);
  const policy = toPolicyContent(loadCheckpoint(file), file);
  const bytes = encodeCheckpoint(policy);
  writeFileAtomic(values.out, bytes); // failures say what happened to which path (src/checkpoint/file.ts)
  const sizes = (policy.meta.sizes as number[]).join('→');
  console.log(`wrote ${values.out}: ${bytes.length} bytes, actor ${sizes}, ${policy.arrays.actor.length} parameters`);
  return 0;
}
