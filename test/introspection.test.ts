// Training introspection (train --log-grads): per-layer norms, per-episode averages, Q vs discounted return,
// and the Q-vs-return SVG.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../src/index.js';
import { Introspection, QReturnTracker, UpdateAverager, layerNorms } from '../src/rl/introspection.js';
import { pointsFromMetrics, qVsReturnSvg } from '../src/cli/q-vs-return-svg.js';
import { trainCommand } from '../src/cli/train.js';
import { checkpointArrays, tempDir } from './helpers/cli.js';

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

describe('layerNorms', () => {
  it('‖W‖, ‖b‖, ‖dW‖, ‖db‖ per layer from the flat layout', () => {
    const net = engine.mlp({ sizes: [2, 3, 1] }); // W0 2×3, b0 3, W1 3×1, b1 1: 13 parameters
    net.setParams([1, 2, 2, 0, 0, 0, /* b0 */ 3, 4, 0, /* W1 */ 0, 0, 1, /* b1 */ -2]);
    net.gradsView().set([0, 0, 0, 0, 0, 1, /* db0 */ 0, 0, 0, /* dW1 */ 2, 2, 1, /* db1 */ 0.5]);
    expect(layerNorms(net)).toEqual([
      { layer: 0, w: 3, b: 5, dW: 1, db: 0 },
      { layer: 1, w: 1, b: 2, dW: 3, db: 0.5 },
    ]);
  });
});

describe('UpdateAverager', () => {
  it('means over the updates since the last finish(); NaN when there were none', () => {
    const net = engine.mlp({ sizes: [1, 1] });
    const avg = new UpdateAverager({ actor: net });
    expect(avg.columns()).toEqual(['td_abs_mean', 'actor_l0_w', 'actor_l0_b', 'actor_l0_dw', 'actor_l0_db']);
    net.setParams([3, 4]); net.gradsView().set([-1, 0]);
    avg.add({ tdErrorMean: 1 });
    net.setParams([1, 0]); net.gradsView().set([3, 2]);
    avg.add({ tdErrorMean: 2 });
    expect(avg.finish()).toEqual([1.5, 2, 2, 2, 1]);
    expect(avg.finish().every(Number.isNaN)).toBe(true);
  });
});

describe('UpdateAverager with optimizers', () => {
  it("averages a trained net's norms only over the updates in which its optimizer stepped (a delayed actor)", () => {
    const actor = engine.mlp({ sizes: [1, 1] }), critic = engine.mlp({ sizes: [1, 1] });
    const opt = { actor: engine.adam(actor, { lr: 1e-3 }), critic: engine.adam(critic, { lr: 1e-3 }) };
    const avg = new UpdateAverager({ actor: { net: actor, optimizer: opt.actor }, critic: { net: critic, optimizer: opt.critic } });
    const update = (actorSteps: boolean, w: number) => {
      actor.setParams([w, 0]); critic.setParams([w, 0]);
      if (actorSteps) opt.actor.t += 1; // as if Adam had stepped
      opt.critic.t += 1;
      avg.add({ tdErrorMean: w });
    };
    update(false, 1); update(true, 2); update(false, 3); update(true, 4);
    const [td, actorW, , , , criticW] = avg.finish();
    expect(td).toBe(2.5);
    expect(actorW).toBe(3); // updates 2 and 4 only
    expect(criticW).toBe(2.5); // every update
    update(false, 5);
    const again = avg.finish();
    expect(again[1]).toBeNaN(); // no actor step since the last finish()
    expect(again[5]).toBe(5);
  });
});

describe('QReturnTracker', () => {
  it('G_t = Σ γ^(k−t) r_k; means over the first half of the episode; the critic is called in chunks', () => {
    const tracker = new QReturnTracker(1, 1, 0.5);
    const rewards = [1, 2, 4, 8, 16];
    rewards.forEach((r, t) => tracker.step([t], [10 * t], r));
    const calls: number[][] = [];
    // A fake critic: Q(s, a) = s + a, so Q(s_t, a_t) = 11t.
    const critic = { forward: (s: ArrayLike<number>, rows: number, a?: ArrayLike<number>) => {
      calls.push(Array.from(s)); return Float32Array.from({ length: rows }, (_, i) => s[i] + a![i]);
    } };
    // G_4 = 16, G_3 = 16, G_2 = 12, G_1 = 8, G_0 = 5; first ⌈5/2⌉ = 3 steps: G = (5 + 8 + 12)/3, Q = (0 + 11 + 22)/3.
    const r = tracker.finish(critic as never, 2);
    expect(r.steps).toBe(3);
    expect(r.ret).toBeCloseTo(25 / 3, 12);
    expect(r.q).toBeCloseTo(11, 6);
    expect(calls).toEqual([[0, 1], [2]]);
    expect(tracker.finish(critic as never, 2).steps).toBe(0); // reset for the next episode
  });

  it('on a real critic: Introspection rows line up with its columns', () => {
    const actor = engine.mlp({ sizes: [3, 4, 1], output: 'tanh' });
    const critic = engine.mlp({ sizes: [3, 5, 1], join: { layer: 1, size: 1 }, finalInitScale: 0.5 });
    const optimizers = { actor: engine.adam(actor, { lr: 1e-3 }), critic: engine.adam(critic, { lr: 1e-3 }) };
    const look = new Introspection({
      optimizers, qValues: (s, a, rows) => critic.forward(s, rows, a), config: { obsDim: 3, actDim: 1, gamma: 0.9, batchSize: 4 },
    });
    for (let t = 0; t < 7; t++) look.transition([t, 0.1, -0.1], [0.5], -1);
    optimizers.actor.step(); optimizers.critic.step();
    look.update({ tdErrorMean: 0.25 });
    const row = look.finishEpisode();
    const cols = look.columns();
    expect(cols.slice(0, 3)).toEqual(['q_episode', 'disc_return', 'td_abs_mean']);
    expect(cols).toHaveLength(3 + 4 * 2 + 4 * 2);
    expect(row).toHaveLength(cols.length);
    const G0 = -(1 - 0.9 ** 7) / 0.1; // constant reward −1
    expect(row[1]).toBeLessThan(-(1 - 0.9 ** 4) / 0.1); // mean of G_0 … G_3, all below G_3
    expect(row[1]).toBeGreaterThan(G0);
    expect(row[2]).toBe(0.25);
    const q = critic.forward([0, 0.1, -0.1, 1, 0.1, -0.1, 2, 0.1, -0.1, 3, 0.1, -0.1], 4, [0.5, 0.5, 0.5, 0.5]);
    expect(row[0]).toBeCloseTo((q[0] + q[1] + q[2] + q[3]) / 4, 6);
  });
});

describe('qVsReturnSvg', () => {
  it('two series with legends, NaN episodes skipped, title escaped', () => {
    const svg = qVsReturnSvg([
      { step: 200, q: -50, ret: -60 }, { step: 400, q: NaN, ret: NaN }, { step: 600, q: -20, ret: -30 },
    ], { title: 'Q <vs> G' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Q &lt;vs&gt; G');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(4);
    expect(svg).toContain('actual discounted return G');
    expect(svg).not.toContain('NaN');
  });
});

describe('train --log-grads', () => {
  const SMALL = ['--actor-hidden', '8,8', '--critic-hidden', '8,8', '--batch-size', '32', '--buffer-size', '2000',
    '--learning-starts', '250', '--seed', '2', '--quiet', '--eval-episodes', '0', '--steps', '600'];

  it('adds the introspection columns to metrics.csv, writes q-vs-return.svg, and trains the same bits', async () => {
    const dir = tempDir('loggrads'), plain = tempDir('plain');
    expect(await trainCommand([...SMALL, '--log-grads', '--out', dir])).toBe(0);
    expect(await trainCommand([...SMALL, '--out', plain])).toBe(0);
    expect(checkpointArrays(dir)).toEqual(checkpointArrays(plain)); // observing does not change training

    const [header, ...rows] = readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n');
    const cols = header.split(',');
    expect(cols.slice(0, 8)).toEqual(readFileSync(join(plain, 'metrics.csv'), 'utf8').split('\n')[0].split(','));
    expect(cols.slice(8, 11)).toEqual(['q_episode', 'disc_return', 'td_abs_mean']);
    expect(cols).toContain('actor_l2_dw');
    expect(cols).toContain('critic_l0_db');
    expect(cols).toHaveLength(11 + 4 * 3 * 2);
    expect(rows).toHaveLength(3); // Pendulum: 200-step episodes
    const cell = (r: string, name: string) => r.split(',')[cols.indexOf(name)];
    expect(cell(rows[0], 'td_abs_mean')).toBe(''); // no update in episode 1 (learning starts at 250)
    for (const name of ['td_abs_mean', 'critic_l1_dw', 'actor_l0_w', 'q_episode', 'disc_return']) {
      expect(Number(cell(rows[2], name))).not.toBeNaN();
      expect(cell(rows[2], name)).not.toBe('');
    }
    expect(Number(cell(rows[2], 'disc_return'))).toBeLessThan(0); // Pendulum rewards are ≤ 0
    expect(Number(cell(rows[2], 'critic_l1_dw'))).toBeGreaterThan(0);
    expect(pointsFromMetrics(header, rows).map((p) => p.step)).toEqual([200, 400, 600]);
    expect(existsSync(join(dir, 'q-vs-return.svg'))).toBe(true);
    expect(existsSync(join(plain, 'q-vs-return.svg'))).toBe(false);
    await expect(trainCommand(['--resume', plain, '--log-grads', '--steps', '800', '--quiet'])).rejects.toThrow(/--log-grads must be given when the run starts/);
  });
});
