// A policy (src/policy.ts) as an ONNX model, for runtimes other than this engine (onnxruntime, TensorRT, …).
// The graph computes what loadPolicy(bytes).act(obs) does, for a batch of N observations at once:
//   x   = clip((obs − mean) / std, −clip, clip)        only when the run normalized observations
//   h_l = act_l(h_{l−1}·W_l + b_l)                     Gemm, then Relu / Tanh (an identity output adds nothing)
//   action = scale ⊙ h_L + bias                        scale = (high − low)/2, bias = (high + low)/2
// All in float32 with standard operators (default domain, opset 17), so actions agree with act() to float32
// rounding, not bit for bit: the runtime sums the Gemm in its own order, and act() normalizes and scales in
// float64 before its one rounding to float32.
import onnxProto from 'onnx-proto';
import { CheckpointError, type CheckpointContent } from '../checkpoint/format.js';
import { checkOptions, fail } from '../errors.js';
import { planLayers } from '../nn/layout.js';
import { POLICY_KIND, toPolicyContent, type PolicySpec } from '../policy.js';

// onnx-proto is CommonJS (protobufjs static code): Node's ESM loader sees only its default export.
const { onnx } = onnxProto;

/** Opset 17 came with ONNX 1.12, whose IR version is 8. */
export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;

export interface OnnxExportOptions {
  /** producer_version of the model: the ddpg-wasm version that wrote it (the CLI passes package.json's). */
  producerVersion: string;
}

/** The ONNX model bytes of a policy: `policy` is checkpoint content of kind 'policy' (an agent checkpoint
 *  goes through toPolicyContent first). Input `obs` float32 [N, obsDim], output `action` float32 [N, actDim].
 *  Throws CheckpointError when the content is not a valid policy, DdpgInputError without a producerVersion
 *  (required: this function reads nothing from disk, and a model should say which version wrote it). */
export function policyToOnnx(policy: CheckpointContent, options: OnnxExportOptions): Uint8Array {
  checkOptions(options, 'policyToOnnx(policy, options): options', ['producerVersion']);
  const producerVersion = options?.producerVersion;
  if (typeof producerVersion !== 'string' || producerVersion === '') {
    fail(`policyToOnnx(policy, options): options.producerVersion must be a non-empty string (the ddpg-wasm version), got ${JSON.stringify(producerVersion)}`);
  }
  if (!policy || typeof policy !== 'object' || !policy.meta || !policy.arrays) fail('policyToOnnx(policy): policy must be checkpoint content { kind, meta, arrays }');
  if (policy.kind !== POLICY_KIND) {
    throw new CheckpointError('<policy>', `holds a '${policy.kind}', expected a 'policy' (an agent checkpoint: toPolicyContent() first)`);
  }
  toPolicyContent(policy, '<policy>'); // checks sizes, activations, box, normalization and the actor's length
  const m = policy.meta as unknown as PolicySpec & Record<string, unknown>;
  const obsDim = m.sizes[0], actDim = m.sizes[m.sizes.length - 1];

  const initializer: InstanceType<typeof onnx.TensorProto>[] = [];
  const nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  const constant = (name: string, dims: number[], values: ArrayLike<number>) => {
    initializer.push(onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: Array.from(Float32Array.from(values)) }));
    return name;
  };
  let x = 'obs';
  const op = (opType: string, inputs: string[], output: string) => {
    nodes.push(onnx.NodeProto.create({ opType, name: output, input: inputs, output: [output] }));
    return (x = output);
  };

  const norm = m.obsNormalization;
  if (norm) {
    op('Sub', [x, constant('obs_norm.mean', [obsDim], norm.mean)], 'obs_norm.centered');
    op('Div', [x, constant('obs_norm.std', [obsDim], norm.std)], 'obs_norm.scaled');
    op('Clip', [x, constant('obs_norm.clip_min', [], [-norm.clip]), constant('obs_norm.clip_max', [], [norm.clip])], 'obs_norm.out');
  }
  const { layers } = planLayers(m.sizes, m.hidden, m.output);
  const params = policy.arrays.actor;
  layers.forEach((l, i) => {
    const w = constant(`actor.${i}.weight`, [l.in, l.out], params.subarray(l.wOffset, l.wOffset + l.in * l.out));
    const b = constant(`actor.${i}.bias`, [l.out], params.subarray(l.bOffset, l.bOffset + l.out));
    op('Gemm', [x, w, b], `actor.${i}.linear`); // defaults: alpha = beta = 1, transA = transB = 0 (W is [in, out])
    if (l.act === 'relu') op('Relu', [x], `actor.${i}.relu`);
    if (l.act === 'tanh') op('Tanh', [x], `actor.${i}.tanh`);
  });
  // As LoadedPolicy: scale and bias rounded to float32 from the float64 box.
  op('Mul', [x, constant('action.scale', [actDim], m.actionLow.map((lo, i) => (m.actionHigh[i] - lo) / 2))], 'action.scaled');
  op('Add', [x, constant('action.bias', [actDim], m.actionLow.map((lo, i) => (m.actionHigh[i] + lo) / 2))], 'action');

  const tensor = (name: string, width: number) => onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: width }] } } },
  });
  const env = typeof m.env === 'string' ? m.env : undefined;
  const algorithm = typeof m.algorithm === 'string' ? m.algorithm : undefined;
  const props: Record<string, string> = {
    ...(env !== undefined ? { env } : {}),
    ...(algorithm !== undefined ? { algorithm } : {}),
    ...(Number.isInteger(m.steps) ? { steps: String(m.steps) } : {}),
    obs_normalization: norm ? 'yes' : 'no',
    obs_dim: String(obsDim),
    act_dim: String(actDim),
    sizes: m.sizes.join(','),
    action_low: JSON.stringify(m.actionLow),
    action_high: JSON.stringify(m.actionHigh),
  };
  const docString = `The deterministic policy of a ddpg-wasm ${algorithm ?? 'actor'}${env ? ` run on ${env}` : ''}:`
    + ` action = scale ⊙ actor(${norm ? `clip((obs − mean) / std, −${norm.clip}, ${norm.clip})` : 'obs'}) + bias,`
    + ` actor ${m.sizes.join('→')} (${m.hidden} hidden, ${m.output} output), scale = (high − low)/2 and bias = (high + low)/2`
    + ` for the action box low [${m.actionLow.join(', ')}], high [${m.actionHigh.join(', ')}]. obs float32 [N, ${obsDim}], action float32 [N, ${actDim}].`;

  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'ddpg-wasm',
    producerVersion,
    docString,
    metadataProps: Object.entries(props).map(([key, value]) => ({ key, value })),
    graph: { name: 'policy', node: nodes, initializer, input: [tensor('obs', obsDim)], output: [tensor('action', actDim)], docString },
  });
  return onnx.ModelProto.encode(model).finish();
}
