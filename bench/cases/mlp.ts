// 2. One MLP training step: forward, MSE loss and its gradient, backward (no input gradient), Adam.
// ReLU hidden, identity output. tfjs: variables, tf.train.adam (eps 1e-8 like ours), optimizer.minimize
// in tf.tidy, the loss read back with dataSync outside the tidy. Same initial weights, inputs, targets;
// the first-step losses must agree.
import type { Group } from '../lib/harness.js';
import { backendOf, forwardFlops, IMPLS, PEERS, type BenchContext, type Row, type Section } from '../lib/context.js';
import { nonZero } from '../lib/data.js';
import { disposeNet, tfNetFrom } from '../lib/tfjs-nets.js';

const CASES: { sizes: number[]; batch: number }[] = [
  { sizes: [4, 64, 64, 1], batch: 64 }, { sizes: [4, 256, 256, 1], batch: 256 }, { sizes: [4, 400, 300, 1], batch: 256 },
];
const LR = 1e-3;

export async function mlpSection(ctx: BenchContext): Promise<Section> {
  const { engine } = ctx;
  const rows: Row[] = [];
  const notes: string[] = [];
  // Size Engine.mseLoss's scratch up front: when its first allocation grows WASM memory, the prediction view
  // it was handed (from net.forward) is detached mid-call — a bug in src/engine/engine.ts, reported.
  const maxOut = Math.max(...CASES.map((c) => c.batch * c.sizes[c.sizes.length - 1]));
  engine.mseLoss(new Float32Array(maxOut), new Float32Array(maxOut));
  const setups = CASES.map(({ sizes, batch }) => {
    const net = engine.mlp({ sizes, hidden: 'relu', output: 'identity', seed: 1, finalInitScale: 0.05, maxBatch: batch });
    const P0 = net.getParams();
    const opt = engine.adam(net, { lr: LR });
    const X = nonZero(batch * sizes[0], `mx${sizes}`), T = nonZero(batch * sizes[sizes.length - 1], `mt${sizes}`);
    const dy = new Float32Array(T.length);
    const step = () => {
      const loss = engine.mseLoss(net.forward(X, batch), T, dy);
      net.backward(dy, { inputGrad: false });
      opt.step();
      return loss;
    };
    const name = `[${sizes.join(',')}] batch ${batch}`;
    const L0 = net.layers[0];
    rows.push({ section: 'mlp', name, unit: 'step', stats: {}, flops: 3 * forwardFlops(net.layers, batch) - 2 * batch * L0.in * L0.out, extra: {} });
    return { net, P0, X, T, step, name, batch, sizes };
  });
  const firstLoss = setups.map((s) => s.step());
  setups.forEach((s) => s.net.setParams(s.P0));
  const groups: Group[] = [{ impl: 'ours', cases: setups.map((s) => ({ name: `ours mlp ${s.name}`, fn: s.step })) }];
  const cleanup: (() => Promise<void>)[] = [];
  for (const impl of PEERS) {
    const tf = await ctx.tf(backendOf(impl));
    const models = setups.map((s, i) => {
      const net = tfNetFrom(tf, s.net);
      const x = tf.tensor2d(s.X, [s.batch, s.sizes[0]]), t = tf.tensor2d(s.T, [s.batch, s.sizes[s.sizes.length - 1]]);
      const optimizer = tf.train.adam(LR, 0.9, 0.999, 1e-8);
      const step = () => {
        const lossT = tf.tidy(() => optimizer.minimize(() => tf.losses.meanSquaredError(t, net.apply(x)), true, net.vars)!);
        const loss = lossT.dataSync()[0];
        lossT.dispose();
        return loss;
      };
      const l = step();
      const rel = Math.abs(l - firstLoss[i]) / Math.abs(firstLoss[i]);
      if (!(rel < 1e-4)) throw new Error(`mlp ${s.name}: ${impl} first loss ${l} vs ours ${firstLoss[i]} (rel ${rel})`);
      return { net, x, t, optimizer, step };
    });
    groups.push(ctx.tfGroup(impl, models.map((m, i) => ({ name: `${impl} mlp ${setups[i].name}`, fn: m.step })), notes));
    cleanup.push(async () => {
      await ctx.tf(backendOf(impl));
      for (const m of models) { disposeNet(tf, m.net); tf.dispose([m.x, m.t]); m.optimizer.dispose(); }
    });
  }
  const res = await ctx.run(groups);
  rows.forEach((r, i) => { for (const impl of IMPLS) r.stats[impl] = res[`${impl} mlp ${setups[i].name}`]; });
  for (const c of cleanup) await c();
  return {
    title: 'MLP train step (forward + MSE backward + Adam), ReLU hidden',
    flopFormula: 'FLOP = 2·B·(3·Σ_l in_l·out_l − in_0·out_0): forward, dW, dX except at the input; bias, activations, loss and Adam not counted. First-step losses agree with tfjs (rel < 1e-4)',
    rows, notes,
  };
}
