// `ddpg-wasm export`: writes the actor of a training checkpoint for deployment — the part of a run that acts,
// without critics, optimizer state or replay buffer — in one of three formats (FORMATS). The file is written
// atomically: a failure leaves no file, not a partial one.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCheckpoint, writeFileAtomic } from '../checkpoint/file.js';
import { encodeCheckpoint, type CheckpointContent } from '../checkpoint/format.js';
import { policyToOnnx } from '../export/onnx.js';
import { policyToWasm, readPolicyRuntime } from '../export/wasm-policy.js';
import { toPolicyContent, type PolicySpec } from '../policy.js';
import { UsageError } from './flags.js';
import { checkpointPath } from './run-files.js';
import { version } from './version.js';

interface Format {
  /** What the file is and what reads it (the help text). */
  about: string;
  encode(policy: CheckpointContent): Promise<Uint8Array>;
  /** Its input and output shapes. */
  io(obsDim: number, actDim: number): string;
}

const FORMATS: Record<string, Format> = {
  policy: {
    about: 'a policy file for loadPolicy() (this package, Node and browsers)',
    encode: async (policy) => encodeCheckpoint(policy),
    io: (o, a) => `act(obs[${o}]) → action[${a}]`,
  },
  onnx: {
    about: 'an ONNX model, opset 17: input obs [N, obsDim], output action [N, actDim], float32 (onnxruntime and other ONNX runtimes)',
    encode: async (policy) => policyToOnnx(policy, { producerVersion: version() }),
    io: (o, a) => `obs float32 [N, ${o}] → action float32 [N, ${a}]`,
  },
  wasm: {
    about: 'one WebAssembly module with no imports: weights and forward pass, ABI in docs/standalone-wasm.md (any wasm host, wasm2c → C)',
    encode: async (policy) => policyToWasm(policy, await readPolicyRuntime()),
    io: (o, a) => `act(): ${o} float32 at obs_ptr() → ${a} float32 at action_ptr()`,
  },
};

export const EXPORT_HELP = `Usage: ddpg-wasm export --checkpoint PATH --out FILE [--format ${Object.keys(FORMATS).join('|')}]
  PATH is a run folder or a checkpoint file (a policy file is accepted too and rewritten).
  FILE receives the actor in env units (observation normalization included when the run used it), as
${Object.entries(FORMATS).map(([name, f]) => `    ${name.padEnd(7)} ${f.about}`).join('\n')}
  Default format: policy.`;

export async function exportCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: { checkpoint: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { console.log(EXPORT_HELP); return 0; }
  const formatName = values.format ?? 'policy';
  const format = Object.hasOwn(FORMATS, formatName) ? FORMATS[formatName] : undefined;
  if (!format) throw new UsageError(`--format must be one of ${Object.keys(FORMATS).join(', ')}, got '${formatName}'`);
  if (!values.checkpoint) throw new UsageError('export needs --checkpoint PATH (a run folder or a checkpoint file)');
  if (!values.out) throw new UsageError('export needs --out FILE (where to write the exported policy)');
  const file = checkpointPath(values.checkpoint);
  if (resolve(values.out) === resolve(file)) throw new UsageError(`--out ${values.out} is the checkpoint being exported; writing there would replace it`);
  const policy = toPolicyContent(loadCheckpoint(file), file);
  const bytes = await format.encode(policy);
  writeFileAtomic(values.out, bytes); // failures say what happened to which path (src/checkpoint/file.ts)
  console.log(`wrote ${values.out}: ${formatName}, ${bytes.length} bytes; ${describe(policy, format)}`);
  return 0;
}

/** e.g. "obs float32 [N, 3] → action float32 [N, 1] in [-2, 2]; actor 3→256→256→1 (67073 parameters); td3, Pendulum-v1, 300000 steps" */
function describe(policy: CheckpointContent, format: Format): string {
  const m = policy.meta as unknown as PolicySpec & { algorithm?: string; env?: string; steps?: number };
  const sizes = m.sizes;
  const box = m.actionLow.every((lo, i) => lo === m.actionLow[0] && m.actionHigh[i] === m.actionHigh[0])
    ? `[${m.actionLow[0]}, ${m.actionHigh[0]}]` : 'a per-dimension box';
  const provenance = [m.algorithm, m.env, m.steps !== undefined ? `${m.steps} steps` : undefined].filter((x) => x !== undefined);
  return `${format.io(sizes[0], sizes[sizes.length - 1])} in ${box}${m.obsNormalization ? ', observations normalized inside' : ''}; ` +
    `actor ${sizes.join('→')} (${policy.arrays.actor.length} parameters)${provenance.length ? `; ${provenance.join(', ')}` : ''}`;
}
