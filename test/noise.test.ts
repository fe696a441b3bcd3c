import { describe, expect, it } from 'vitest';
import { GaussianNoise, OrnsteinUhlenbeckNoise } from '../src/rl/noise.js';
import { Rng } from '../src/rng.js';

function meanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(v) };
}

describe('Rng', () => {
  it('is deterministic per seed, and number/string seeds agree', () => {
    const a = new Rng(42);
    const b = new Rng('42');
    const c = new Rng(43);
    const xa = [a.next(), a.next(), a.uniform(-2, 3), a.int(7), a.normal()];
    const xb = [b.next(), b.next(), b.uniform(-2, 3), b.int(7), b.normal()];
    expect(xb).toEqual(xa);
    expect(c.next()).not.toBe(xa[0]);
    expect(xa[0]).toBeGreaterThanOrEqual(0);
    expect(xa[0]).toBeLessThan(1);
    expect(xa[2]).toBeGreaterThanOrEqual(-2);
    expect(xa[2]).toBeLessThan(3);
    expect(Number.isInteger(xa[3]) && xa[3] >= 0 && xa[3] < 7).toBe(true);
  });

  it('normal() is Box–Muller with the second value cached and used', () => {
    const r = new Rng(5);
    const u = new Rng(5);
    const z0 = r.normal();
    const z1 = r.normal();
    const u1 = 1 - u.next();
    const u2 = u.next();
    const rad = Math.sqrt(-2 * Math.log(u1));
    expect(z0).toBe(rad * Math.cos(2 * Math.PI * u2));
    expect(z1).toBe(rad * Math.sin(2 * Math.PI * u2));
    // a third normal consumes the next two uniforms
    r.normal();
    u.next();
    u.next();
    expect(r.next()).toBe(u.next());
  });

  it('normal() has mean 0 and std 1', () => {
    const r = new Rng(11);
    const xs = Array.from({ length: 200_000 }, () => r.normal());
    const { mean, std } = meanStd(xs);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(std - 1)).toBeLessThan(0.01);
  });

  it('state round-trips through JSON, including the cached normal', () => {
    const a = new Rng(9);
    a.normal(); // leaves a spare in the cache
    const st = JSON.parse(JSON.stringify(a.getState()));
    expect(st.spare).not.toBeNull();
    const b = new Rng(1);
    b.setState(st);
    const seq = (r: Rng) => [r.normal(), r.normal(), r.next(), r.int(100)];
    expect(seq(b)).toEqual(seq(a));
  });

  it('validates its arguments', () => {
    expect(() => new Rng(NaN)).toThrow('seed must be a finite number or a string, got NaN');
    expect(() => new Rng(1).int(0)).toThrow('n must be a positive integer, got 0');
    const good = new Rng(3).getState();
    const S = good.arc4.S;
    const swap = S.slice(); [swap[0], swap[1]] = [swap[1], swap[0]];
    expect(() => new Rng(1).setState({ ...good, arc4: { ...good.arc4, S: swap } })).not.toThrow(); // still a permutation
    const bad: [string, unknown][] = [
      ['S too short', { ...good, arc4: { ...good.arc4, S: [1] } }],
      ['S with a repeat', { ...good, arc4: { ...good.arc4, S: [S[1], ...S.slice(1)] } }],
      ['S with 256', { ...good, arc4: { ...good.arc4, S: [256, ...S.slice(1)] } }],
      ['S with a fraction', { ...good, arc4: { ...good.arc4, S: [0.5, ...S.slice(1)] } }],
      ['i out of range', { ...good, arc4: { ...good.arc4, i: 300 } }],
      ['j negative', { ...good, arc4: { ...good.arc4, j: -1 } }],
      ['spare NaN', { ...good, spare: NaN }],
      ['spare a string', { ...good, spare: '0.5' }],
      ['no arc4', { spare: null }],
      ['null', null],
    ];
    for (const [what, state] of bad) {
      const r = new Rng(1);
      const before = r.getState();
      expect(() => r.setState(state as never), what).toThrow(/^Rng state: /);
      expect(r.getState(), `${what} left the generator as it was`).toEqual(before);
    }
  });
});

describe('GaussianNoise', () => {
  it('has per-dimension mean 0 and std sigma', () => {
    const sigma = [0.1, 1, 3, 0];
    const noise = new GaussianNoise({ actDim: 4, sigma, seed: 3 });
    const out = new Float32Array(4);
    const cols: number[][] = [[], [], [], []];
    const n = 100_000;
    for (let k = 0; k < n; k++) {
      noise.sample(out);
      for (let i = 0; i < 4; i++) cols[i].push(out[i]);
    }
    for (let i = 0; i < 3; i++) {
      const { mean, std } = meanStd(cols[i]);
      expect(Math.abs(mean)).toBeLessThan((4 * sigma[i]) / Math.sqrt(n));
      expect(Math.abs(std / sigma[i] - 1)).toBeLessThan(0.015);
    }
    expect(cols[3].every((x) => x === 0)).toBe(true);
  });

  it('equals sigma * N(0,1) from an Rng with the same seed, written into out', () => {
    const noise = new GaussianNoise({ actDim: 3, sigma: 0.5, seed: 21 });
    const rng = new Rng(21);
    const out = new Float32Array(3);
    for (let k = 0; k < 50; k++) {
      expect(noise.sample(out)).toBe(out);
      for (let i = 0; i < 3; i++) expect(out[i]).toBe(Math.fround(0.5 * rng.normal()));
    }
  });

  it('getState/setState continues identically; reset is a no-op', () => {
    const a = new GaussianNoise({ actDim: 3, sigma: [1, 2, 3], seed: 4 });
    const out = new Float32Array(3);
    a.sample(out); // odd number of normals: a spare is cached
    const snap = JSON.parse(JSON.stringify(a.getState()));
    const b = new GaussianNoise({ actDim: 3, sigma: [1, 2, 3], seed: 99 });
    b.setState(snap);
    for (let k = 0; k < 10; k++) {
      a.reset();
      expect(Array.from(b.sample(new Float32Array(3)))).toEqual(Array.from(a.sample(out)));
    }
  });

  it('validates options and out', () => {
    expect(() => new GaussianNoise({ actDim: 0, sigma: 1, seed: 0 })).toThrow(
      'actDim must be a positive integer, got 0',
    );
    expect(() => new GaussianNoise({ actDim: 2, sigma: -1, seed: 0 })).toThrow(
      'sigma must be finite and >= 0, got -1',
    );
    expect(() => new GaussianNoise({ actDim: 2, sigma: [1, NaN], seed: 0 })).toThrow(
      'sigma[1] must be finite and >= 0, got NaN',
    );
    expect(() => new GaussianNoise({ actDim: 2, sigma: [1, 2, 3], seed: 0 })).toThrow(
      'sigma has wrong length: expected 2, got 3',
    );
    const g = new GaussianNoise({ actDim: 2, sigma: 1, seed: 0 });
    expect(() => g.sample(new Float32Array(3))).toThrow('out has wrong length: expected 2, got 3');
  });
});

describe('OrnsteinUhlenbeckNoise', () => {
  it('matches a float64 recurrence using the same normal draws', () => {
    const theta = 0.3;
    const sigma = [0.2, 0.5];
    const dt = 0.05;
    const mu = [1, -0.5];
    const x0 = [0.25, 2];
    const noise = new OrnsteinUhlenbeckNoise({ actDim: 2, theta, sigma, dt, mu, x0, seed: 8 });
    const rng = new Rng(8);
    const x = [...x0];
    const out = new Float32Array(2);
    for (let k = 0; k < 300; k++) {
      noise.sample(out);
      for (let i = 0; i < 2; i++) {
        x[i] = x[i] + theta * (mu[i] - x[i]) * dt + sigma[i] * Math.sqrt(dt) * rng.normal();
        expect(out[i]).toBe(Math.fround(x[i]));
      }
    }
  });

  it('uses the SB3 defaults theta=0.15, sigma=0.2, dt=1e-2, mu=0, x0=0', () => {
    const noise = new OrnsteinUhlenbeckNoise({ actDim: 1, seed: 2 });
    expect(noise.theta).toBe(0.15);
    expect(noise.dt).toBe(0.01);
    expect(noise.getState().x).toEqual([0]);
    const z = new Rng(2).normal();
    const out = noise.sample(new Float32Array(1));
    expect(out[0]).toBe(Math.fround(0 + 0.15 * (0 - 0) * 0.01 + 0.2 * Math.sqrt(0.01) * z));
  });

  it('has stationary std close to sigma / sqrt(2 theta)', () => {
    const actDim = 4;
    const noise = new OrnsteinUhlenbeckNoise({ actDim, seed: 17 }); // theta 0.15, sigma 0.2
    const out = new Float32Array(actDim);
    for (let k = 0; k < 5_000; k++) noise.sample(out); // burn-in (~ 7 relaxation times)
    let s = 0;
    let s2 = 0;
    const steps = 300_000;
    for (let k = 0; k < steps; k++) {
      noise.sample(out);
      for (let i = 0; i < actDim; i++) {
        s += out[i];
        s2 += out[i] * out[i];
      }
    }
    const n = steps * actDim;
    const mean = s / n;
    const std = Math.sqrt(s2 / n - mean * mean);
    const target = 0.2 / Math.sqrt(2 * 0.15); // ≈ 0.365
    expect(Math.abs(std / target - 1)).toBeLessThan(0.1);
    expect(Math.abs(mean)).toBeLessThan(0.05);
  });

  it('reset() puts the state back to x0 while the RNG stream continues', () => {
    const x0 = [0.5, -1];
    const noise = new OrnsteinUhlenbeckNoise({ actDim: 2, x0, sigma: 1, seed: 6 });
    const out = new Float32Array(2);
    for (let k = 0; k < 20; k++) noise.sample(out);
    expect(noise.getState().x).not.toEqual(x0);
    noise.reset();
    expect(noise.getState().x).toEqual(x0);
    // next step starts from x0 and uses the 41st and 42nd normals of the stream
    const rng = new Rng(6);
    for (let k = 0; k < 40; k++) rng.normal();
    noise.sample(out);
    for (let i = 0; i < 2; i++) {
      const expected = x0[i] + 0.15 * (0 - x0[i]) * 0.01 + 1 * Math.sqrt(0.01) * rng.normal();
      expect(out[i]).toBe(Math.fround(expected));
    }
  });

  it('is deterministic per seed, and getState/setState continues identically', () => {
    const run = (seed: number, steps: number) => {
      const nz = new OrnsteinUhlenbeckNoise({ actDim: 3, sigma: [0.1, 0.2, 0.3], seed });
      const out = new Float32Array(3);
      const xs: number[] = [];
      for (let k = 0; k < steps; k++) xs.push(...nz.sample(out));
      return { xs, nz };
    };
    expect(run(5, 20).xs).toEqual(run(5, 20).xs);
    expect(run(6, 20).xs).not.toEqual(run(5, 20).xs);

    const { nz: a } = run(5, 7);
    const snap = JSON.parse(JSON.stringify(a.getState()));
    const b = new OrnsteinUhlenbeckNoise({ actDim: 3, sigma: [0.1, 0.2, 0.3], seed: 1 });
    b.setState(snap);
    const oa = new Float32Array(3);
    const ob = new Float32Array(3);
    for (let k = 0; k < 25; k++) {
      expect(Array.from(b.sample(ob))).toEqual(Array.from(a.sample(oa)));
    }
  });

  it('validates hyper-parameters with clear messages', () => {
    const mk = (o: Partial<ConstructorParameters<typeof OrnsteinUhlenbeckNoise>[0]>) => () =>
      new OrnsteinUhlenbeckNoise({ actDim: 2, seed: 0, ...o });
    expect(mk({ theta: -0.1 })).toThrow('theta must be finite and >= 0, got -0.1');
    expect(mk({ theta: Infinity })).toThrow('theta must be finite and >= 0, got Infinity');
    expect(mk({ dt: 0 })).toThrow('dt must be finite and > 0, got 0');
    expect(mk({ dt: NaN })).toThrow('dt must be finite and > 0, got NaN');
    expect(mk({ sigma: -0.2 })).toThrow('sigma must be finite and >= 0, got -0.2');
    expect(mk({ sigma: [0.2, -1] })).toThrow('sigma[1] must be finite and >= 0, got -1');
    expect(mk({ mu: [0, NaN] })).toThrow('mu[1] must be finite, got NaN');
    expect(mk({ x0: [0] })).toThrow('x0 has wrong length: expected 2, got 1');
    expect(mk({ actDim: 1.5 })).toThrow('actDim must be a positive integer, got 1.5');
    const nz = new OrnsteinUhlenbeckNoise({ actDim: 2, seed: 0 });
    expect(() => nz.sample(new Float32Array(1))).toThrow('out has wrong length: expected 2, got 1');
    expect(() => nz.setState({ x: [0], rng: new Rng(0).getState() })).toThrow('x must be 2 finite numbers, got [0]');
    expect(() => nz.setState({ x: [0, NaN], rng: new Rng(0).getState() })).toThrow('x must be 2 finite numbers');
  });
});
