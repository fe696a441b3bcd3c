// gradcheck: passes on the library's own nets (actor, critic with the action joining, tanh/relu, batch 1 and > 1),
// and fails — naming the right layer and entries — when a broken backward is injected into a net.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadEngine, gradcheck, type Engine, type Mlp } from '../src/index.js';
import { formatReport, gradcheckCommand } from '../src/cli/gradcheck.js';
import { randomArray } from './helpers/ref64.js';

let engine: Engine;
beforeAll(async () => { engine = await loadEngine(); });

/** Makes `net.backward` return wrong gradients: `corrupt(grads, dx)` edits them after the real backward. */
function breakBackward(net: Mlp, corrupt: (grads: Float32Array, dx: Float32Array) => void): void {
  const real = net.backward.bind(net);
  net.backward = (dy, opts) => { const dx = real(dy, opts); corrupt(net.gradsView(), dx); return dx; };
}

describe('gradcheck passes on the library’s nets', () => {
  const CASES = [
    { name: '3→5→7→2 tanh, batch 1', opts: { sizes: [3, 5, 7, 2], hidden: 'tanh' as const }, batch: 1 },
    { name: '3→5→7→2 tanh, batch 4', opts: { sizes: [3, 5, 7, 2], hidden: 'tanh' as const }, batch: 4 },
    { name: 'actor 3→16→16→1, relu, tanh output, batch 6', opts: { sizes: [3, 16, 16, 1], output: 'tanh' as const }, batch: 6 },
    { name: 'critic 3→16→16→1, action (2) joins at layer 1 (the paper), batch 5', opts: { sizes: [3, 16, 16, 1], join: { layer: 1, size: 2 } }, batch: 5 },
    { name: 'critic [s, a] at the input (join at layer 0), batch 3', opts: { sizes: [4, 9, 1], hidden: 'tanh' as const, join: { layer: 0, size: 1 } }, batch: 3 },
  ];
  for (const c of CASES) {
    it(c.name, () => {
      const net = engine.mlp({ ...c.opts, seed: 3 }); // the library's own init, final layer ±3e−3
      const x = randomArray(c.batch * net.inputSize, `gx${c.name}`, -1.5, 1.5);
      const joinInput = net.join ? randomArray(c.batch * net.join.size, `gj${c.name}`) : undefined;
      const r = gradcheck(net, x, { joinInput });
      expect(r.ok).toBe(true);
      expect(r.maxRelError).toBeLessThan(1e-4);
      expect(r.batch).toBe(c.batch);
      expect(r.layers.map((l) => l.layer)).toEqual(net.layers.map((_, i) => i));
      r.layers.forEach((l, i) => {
        expect(l.count).toBe(net.layers[i].in * net.layers[i].out + net.layers[i].out);
        expect(l.failures).toBe(0);
        const w = l.worst[0];
        expect(Math.abs(w.analytic - w.numeric)).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(w.numeric), 1e-6));
      });
      expect(r.input.count).toBe(x.length);
      expect(r.join?.count).toBe(joinInput?.length);
      // The analytic side is really the engine's: the largest numeric gradient is far from zero.
      expect(Math.max(...r.layers.map((l) => Math.max(...l.worst.map((e) => Math.abs(e.numeric)))))).toBeGreaterThan(1e-3);
    });
  }

  it('leaves the parameters alone and takes an explicit upstream gradient', () => {
    const net = engine.mlp({ sizes: [2, 3, 2], hidden: 'tanh', seed: 8, finalInitScale: 0.5 });
    const before = net.getParams();
    const r = gradcheck(net, [0.3, -0.7], { upstream: [1, 0], eps: 1e-5, tol: 1e-4, worst: 1 });
    expect(r.ok).toBe(true);
    expect(r.eps).toBe(1e-5);
    expect(r.layers[1].worst).toHaveLength(1);
    // With R = [1, 0], ∂L/∂b₁ = [1, 0] exactly (identity output): the report shows it.
    net.forward([0.3, -0.7], 1);
    net.backward([1, 0]);
    expect(Array.from(net.getGrads().subarray(net.layers[1].bOffset))).toEqual([1, 0]);
    expect(Array.from(net.getParams())).toEqual(Array.from(before));
  });
});

describe('gradcheck catches a broken backward and names the layer', () => {
  const make = () => engine.mlp({ sizes: [3, 5, 7, 2], hidden: 'tanh', seed: 2, finalInitScale: 0.5 });
  const x = randomArray(4 * 3, 'broken-x');

  it('layer 1’s weight gradient scaled by 1.5: layer 1 fails with rel. error 1/3, the others pass', () => {
    const net = make();
    const l1 = net.layers[1];
    breakBackward(net, (g) => { for (let i = l1.wOffset; i < l1.bOffset; i++) g[i] *= 1.5; });
    const r = gradcheck(net, x);
    expect(r.ok).toBe(false);
    expect(r.layers.map((l) => l.ok)).toEqual([true, false, true]);
    expect(r.layers[1].maxRelError).toBeCloseTo(1 / 3, 3); // |1.5a − a| / 1.5|a|
    expect(r.layers[1].failures).toBeGreaterThan(30); // most of its 35 weights, none of its 7 biases
    expect(r.layers[1].failures).toBeLessThanOrEqual(35);
    expect(r.layers[1].worst[0].name).toMatch(/^W1\[\d,\d\]$/);
    const w = r.layers[1].worst[0];
    expect(w.analytic / w.numeric).toBeCloseTo(1.5, 3);
    expect(r.input.ok).toBe(true);
    expect(formatReport(r)).toMatch(/FAILED: layer 1 over tol/);
  });

  it('one bias entry with the wrong sign: layer 0 fails and its worst entry is that bias', () => {
    const net = make();
    const idx = net.layers[0].bOffset + 2;
    breakBackward(net, (g) => { g[idx] = -g[idx]; });
    const r = gradcheck(net, x);
    expect(r.layers.map((l) => l.ok)).toEqual([false, true, true]);
    expect(r.layers[0].failures).toBe(1);
    expect(r.layers[0].worst[0]).toMatchObject({ index: idx, name: 'b0[2]' });
    expect(r.layers[0].worst[0].relError).toBeCloseTo(2, 4); // |−a − a| / |a|
  });

  it('the input gradient scaled by 0.9 fails the input group only (rel. error 0.1)', () => {
    const net = make();
    breakBackward(net, (_g, dx) => { for (let i = 0; i < dx.length; i++) dx[i] *= 0.9; });
    const r = gradcheck(net, x);
    expect(r.layers.every((l) => l.ok)).toBe(true);
    expect(r.input.ok).toBe(false);
    expect(r.input.maxRelError).toBeCloseTo(0.1, 3);
  });

  it('a wrong join gradient (∇ₐQ) fails the join group', () => {
    const net = engine.mlp({ sizes: [3, 6, 1], join: { layer: 1, size: 2 }, seed: 4, finalInitScale: 0.5 });
    const real = net.joinGrad.bind(net);
    net.joinGrad = () => real().map((v, i) => (i === 3 ? v + 0.05 : v));
    const r = gradcheck(net, randomArray(6, 'jx'), { joinInput: randomArray(4, 'jj') });
    expect(r.ok).toBe(false);
    expect(r.join!.ok).toBe(false);
    expect(r.join!.worst[0].name).toBe('join[1,1]');
    expect(r.layers.every((l) => l.ok) && r.input.ok).toBe(true);
  });

  it('refuses a joined net without joinInput and a ragged x', () => {
    const net = engine.mlp({ sizes: [3, 4, 1], join: { layer: 1, size: 1 } });
    expect(() => gradcheck(net, [1, 2, 3])).toThrow(/pass \{ joinInput \}/);
    expect(() => gradcheck(make(), [1, 2, 3, 4])).toThrow(/not a whole number of rows of 3/);
  });
});

describe('ddpg-wasm gradcheck (CLI)', () => {
  it('prints one row per layer plus the input and exits 0; --tol too strict exits 1', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await gradcheckCommand(['--sizes', '3,5,7,2', '--hidden', 'tanh', '--batch', '2', '--seed', '1'])).toBe(0);
      const out = log.mock.calls.map((c) => String(c[0])).join('\n');
      expect(out).toMatch(/^0 +W 3×5 \+ b 5, tanh +20 /m);
      expect(out).toMatch(/^1 +W 5×7 \+ b 7, tanh +42 /m);
      expect(out).toMatch(/^2 +W 7×2 \+ b 2, identity +16 /m);
      expect(out).toMatch(/^input +x 2×3 +6 /m);
      expect(out).toMatch(/OK: every gradient agrees/);
      log.mockClear();
      expect(await gradcheckCommand(['--sizes', '2,3,1', '--join', '0:1', '--tol', '1e-15'])).toBe(1);
      expect(log.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/^join +4×1 +4 /m);
    } finally {
      log.mockRestore();
    }
    await expect(gradcheckCommand(['--sizes', '3,x'])).rejects.toThrow(/--sizes expects/);
  });
});
