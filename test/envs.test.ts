// Tests for src/envs: the envs are compared step by step against an
// independent float64 transcription of Gymnasium's equations
// (pendulum.py, continuous_mountain_car.py) written below, not the env code.
import { describe, it, expect } from 'vitest';
import seedrandom from 'seedrandom';
import {
  ENV_IDS,
  OrderEnforcing,
  Wrapper,
  boxContains,
  makeBox,
  makeEnv,
  wrapEnv,
  type Env,
  type EnvSnapshot,
} from '../src/envs/index.js';
import { DdpgInputError } from '../src/errors.js';

// ---------------------------------------------------------------- reference

/** CPython float_rem: fmod, then shift into the divisor's sign. */
function pyFloatMod(vx: number, wx: number): number {
  let mod = vx % wx;
  if (mod) {
    if (wx < 0 !== mod < 0) mod += wx;
  } else {
    mod = wx < 0 ? -0 : 0;
  }
  return mod;
}

const refAngleNormalize = (x: number): number => pyFloatMod(x + Math.PI, 2 * Math.PI) - Math.PI;
const clip = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

interface RefPendulumOut {
  th: number;
  thdot: number;
  reward: number;
  speedClipped: boolean;
}

function refPendulumStep(th: number, thdot: number, action: number): RefPendulumOut {
  const g = 10.0;
  const m = 1.0;
  const l = 1.0;
  const dt = 0.05;
  const u = clip(action, -2.0, 2.0);
  const costs = refAngleNormalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * u ** 2;
  const raw = thdot + ((3 * g) / (2 * l) * Math.sin(th) + (3.0 / (m * l ** 2)) * u) * dt;
  const newthdot = clip(raw, -8.0, 8.0);
  const newth = th + newthdot * dt;
  return { th: newth, thdot: newthdot, reward: -costs, speedClipped: raw !== newthdot };
}

const refPendulumObs = (th: number, thdot: number): Float32Array =>
  new Float32Array([Math.cos(th), Math.sin(th), thdot]);

interface RefCarOut {
  x: number;
  v: number;
  reward: number;
  terminated: boolean;
  speedClipped: boolean;
  wallHit: boolean;
}

function refCarStep(position: number, velocity: number, action: number): RefCarOut {
  const force = Math.min(Math.max(action, -1.0), 1.0);
  velocity += force * 0.0015 - 0.0025 * Math.cos(3 * position);
  let speedClipped = false;
  if (velocity > 0.07) (velocity = 0.07), (speedClipped = true);
  if (velocity < -0.07) (velocity = -0.07), (speedClipped = true);
  position += velocity;
  if (position > 0.6) position = 0.6;
  if (position < -1.2) position = -1.2;
  let wallHit = false;
  if (position === -1.2 && velocity < 0) (velocity = 0), (wallHit = true);
  const terminated = position >= 0.45 && velocity >= 0.0;
  let reward = 0;
  if (terminated) reward = 100.0;
  reward -= action ** 2 * 0.1;
  // np.array([position, velocity], dtype=np.float32)
  return { x: Math.fround(position), v: Math.fround(velocity), reward, terminated, speedClipped, wallHit };
}

// ---------------------------------------------------------------- helpers

const PENDULUM = 'Pendulum-v1';
const CAR = 'MountainCarContinuous-v0';

function expectSameArray(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(Array.from(actual)).toEqual(Array.from(expected));
}

// ---------------------------------------------------------------- Pendulum

describe('Pendulum-v1 vs reference transcription', () => {
  it('matches bit-exactly from several set states with random (partly out-of-box) actions', () => {
    const starts: [number, number][] = [
      [0, 0],
      [Math.PI, 0],
      [Math.PI - 1e-3, 0.5],
      [-3, 7.9],
      [10.5, -8],
      [-20.25, 3.3],
      [1.2345, -6.5],
    ];
    const rng = seedrandom('pendulum-actions');
    const env = makeEnv(PENDULUM, { seed: 1 });
    let steps = 0;
    let outOfBox = 0;
    let speedClips = 0;
    let negativeModArgs = 0;
    for (const [th0, thd0] of starts) {
      env.reset();
      env.setState([th0, thd0]);
      expectSameArray(env.getState(), [th0, thd0]);
      let th = th0;
      let thdot = thd0;
      for (let t = 0; t < 200; t++) {
        const a = rng() * 8 - 4; // [-4, 4): half the actions are outside [-2, 2]
        if (Math.abs(a) > 2) outOfBox++;
        if (th + Math.PI < 0) negativeModArgs++;
        const ref = refPendulumStep(th, thdot, a);
        const r = env.step([a]);
        th = ref.th;
        thdot = ref.thdot;
        if (ref.speedClipped) speedClips++;
        expect(r.reward).toBe(ref.reward);
        expectSameArray(env.getState(), [th, thdot]);
        expectSameArray(r.obs, refPendulumObs(th, thdot));
        expect(r.terminated).toBe(false);
        expect(r.truncated).toBe(t === 199);
        expect(boxContains(env.observationSpace, r.obs)).toBe(true);
        steps++;
      }
    }
    expect(steps).toBe(1400);
    expect(outOfBox).toBeGreaterThan(500);
    expect(speedClips).toBeGreaterThan(10);
    expect(negativeModArgs).toBeGreaterThan(50);
  });

  it('hand-computed step: torque clipping, velocity clipping and cost on the pre-update state', () => {
    const env = makeEnv(PENDULUM);
    env.setState([Math.PI / 2, 7.9]);
    const r = env.step([5]); // clipped to 2
    // θ̇' = 7.9 + (15·sin(π/2) + 3·2)·0.05 = 8.95 → clipped to 8; θ' = π/2 + 0.4
    const [th, thdot] = env.getState();
    expect(thdot).toBe(8);
    expect(th).toBeCloseTo(Math.PI / 2 + 0.4, 15);
    expect(r.reward).toBeCloseTo(-((Math.PI / 2) ** 2 + 0.1 * 7.9 ** 2 + 0.001 * 4), 12);
    expect(r.obs[0]).toBeCloseTo(Math.cos(Math.PI / 2 + 0.4), 6);
    expect(r.obs[1]).toBeCloseTo(Math.sin(Math.PI / 2 + 0.4), 6);
    expect(r.obs[2]).toBe(8);
  });

  it('normalizes angles with Python modulo semantics (negative angles)', () => {
    const env = makeEnv(PENDULUM);
    env.setState([-4, 0]);
    // norm(-4) = ((-4 + π) mod 2π) − π = 2π − 4 ≈ 2.283 (a JS-% version would give −4)
    expect(env.step([0]).reward).toBeCloseTo(-((2 * Math.PI - 4) ** 2), 12);
    env.reset();
    env.setState([-7 * Math.PI + 0.25, 0]); // ≡ π + 0.25 ≡ −π + 0.25
    expect(env.step([0]).reward).toBeCloseTo(-((Math.PI - 0.25) ** 2), 9);
  });

  it('never wraps θ', () => {
    const env = makeEnv(PENDULUM);
    env.reset();
    env.setState([0, 8]);
    for (let t = 0; t < 100; t++) env.step([2]);
    expect(env.getState()[0]).toBeGreaterThan(4 * Math.PI);
  });

  it('truncates at 200 steps, never terminates, and refuses to step afterwards', () => {
    const env = makeEnv(PENDULUM, { seed: 3 });
    env.reset();
    for (let t = 1; t <= 200; t++) {
      const r = env.step([0.3]);
      expect(r.terminated).toBe(false);
      expect(r.truncated).toBe(t === 200);
    }
    expect(() => env.step([0])).toThrow(/episode ended.*reset\(\)/);
    env.reset();
    expect(env.step([0]).truncated).toBe(false);
  });

  it('reset samples θ ∈ [−π, π], θ̇ ∈ [−1, 1] and covers the range', () => {
    const env = makeEnv(PENDULUM, { seed: 11 });
    let minTh = Infinity, maxTh = -Infinity, minV = Infinity, maxV = -Infinity;
    for (let i = 0; i < 500; i++) {
      const { obs } = env.reset();
      const [th, v] = env.getState();
      expect(th).toBeGreaterThanOrEqual(-Math.PI);
      expect(th).toBeLessThanOrEqual(Math.PI);
      expect(v).toBeGreaterThanOrEqual(-1);
      expect(v).toBeLessThanOrEqual(1);
      expectSameArray(obs, refPendulumObs(th, v));
      minTh = Math.min(minTh, th); maxTh = Math.max(maxTh, th);
      minV = Math.min(minV, v); maxV = Math.max(maxV, v);
    }
    expect(minTh).toBeLessThan(-2.8);
    expect(maxTh).toBeGreaterThan(2.8);
    expect(minV).toBeLessThan(-0.9);
    expect(maxV).toBeGreaterThan(0.9);
  });

  it('exposes Gymnasium spaces', () => {
    const env = makeEnv(PENDULUM);
    expect(env.id).toBe(PENDULUM);
    expect(env.maxEpisodeSteps).toBe(200);
    expectSameArray(env.observationSpace.low, [-1, -1, -8]);
    expectSameArray(env.observationSpace.high, [1, 1, 8]);
    expect(env.observationSpace.shape).toEqual([3]);
    expectSameArray(env.actionSpace.low, [-2]);
    expectSameArray(env.actionSpace.high, [2]);
    expect(env.actionSpace.shape).toEqual([1]);
  });
});

// ---------------------------------------------------------------- MountainCar

describe('MountainCarContinuous-v0 vs reference transcription', () => {
  it('matches bit-exactly from several set states, incl. wall, speed clip and termination', () => {
    const starts: [number, number][] = [
      [-0.5, 0],
      [-1.15, -0.07], // drives into the left wall
      [-1.2, 0],
      [0.3, 0.07], // reaches the goal quickly
      [0.44, 0.02],
      [-0.9, 0.069],
      [0.59, -0.01],
    ];
    const rng = seedrandom('car-actions');
    const env = makeEnv(CAR, { seed: 2 });
    let steps = 0, outOfBox = 0, speedClips = 0, wallHits = 0, terminations = 0;
    for (const [x0, v0] of starts) {
      // several episodes per start, with differently biased random actions
      for (const bias of [-0.8, 0, 0.8]) {
        env.reset();
        env.setState([x0, v0]);
        let x = x0, v = v0;
        for (let t = 0; t < 400; t++) {
          const a = bias + rng() * 3 - 1.5; // often outside [-1, 1]
          if (Math.abs(a) > 1) outOfBox++;
          const ref = refCarStep(x, v, a);
          const r = env.step([a]);
          x = ref.x;
          v = ref.v;
          steps++;
          if (ref.speedClipped) speedClips++;
          if (ref.wallHit) wallHits++;
          expect(r.reward).toBe(ref.reward);
          expect(r.terminated).toBe(ref.terminated);
          expect(r.truncated).toBe(false);
          expectSameArray(env.getState(), [x, v]);
          expectSameArray(r.obs, [x, v]);
          if (ref.terminated) {
            terminations++;
            expect(r.reward).toBeGreaterThan(99.4); // |a| < 2.3
            expect(r.reward).toBe(100 - 0.1 * a * a);
            break;
          }
          expect(r.reward).toBeLessThanOrEqual(0);
        }
      }
    }
    expect(steps).toBeGreaterThan(2000);
    expect(outOfBox).toBeGreaterThan(500);
    expect(speedClips).toBeGreaterThan(0);
    expect(wallHits).toBeGreaterThan(0);
    expect(terminations).toBeGreaterThanOrEqual(6);
  });

  it('left wall stops the car: x = −1.2, v = 0', () => {
    const env = makeEnv(CAR);
    env.setState([-1.19, -0.05]);
    const r = env.step([-1]);
    expectSameArray(env.getState(), [Math.fround(-1.2), 0]);
    expect(r.reward).toBeCloseTo(-0.1, 15);
  });

  it('stores the state as float32 after a step (like Gymnasium), float64 after reset', () => {
    const env = makeEnv(CAR, { seed: 5 });
    env.reset();
    const [x0] = env.getState();
    expect(Math.fround(x0)).not.toBe(x0); // uniform double, not rounded yet
    env.step([0.5]);
    const [x1, v1] = env.getState();
    expect(Math.fround(x1)).toBe(x1);
    expect(Math.fround(v1)).toBe(v1);
    expect(v1).not.toBe(0);
  });

  it('truncates at 999 steps; truncated and terminated can both be true (TimeLimit)', () => {
    const env = makeEnv(CAR);
    env.reset();
    env.setState([-Math.PI / 6, 0]); // valley bottom, zero action: stays there
    for (let t = 1; t <= 999; t++) {
      const r = env.step([0]);
      expect(r.terminated).toBe(false);
      expect(r.truncated).toBe(t === 999);
    }
    expect(() => env.step([0])).toThrow(/episode ended/);

    env.reset();
    env.setState([-Math.PI / 6, 0]);
    for (let t = 1; t <= 998; t++) expect(env.step([0]).truncated).toBe(false);
    env.setState([0.449, 0.07]); // keeps the elapsed-step counter (998)
    const r = env.step([0.5]);
    expect(r.terminated).toBe(true);
    expect(r.truncated).toBe(true);
    expect(r.reward).toBeCloseTo(100 - 0.025, 12);
  });

  it('terminates with +100 and refuses to step afterwards', () => {
    const env = makeEnv(CAR);
    env.reset();
    env.setState([0.44, 0.05]);
    const r = env.step([2]); // unclipped a = 2 in the penalty: 100 − 0.4
    expect(r.terminated).toBe(true);
    expect(r.truncated).toBe(false);
    expect(r.reward).toBeCloseTo(99.6, 12);
    expect(() => env.step([0])).toThrow(/episode ended/);
  });

  it('reset samples x ∈ [−0.6, −0.4], v = 0', () => {
    const env = makeEnv(CAR, { seed: 9 });
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < 500; i++) {
      const { obs } = env.reset();
      const [x, v] = env.getState();
      expect(x).toBeGreaterThanOrEqual(-0.6);
      expect(x).toBeLessThanOrEqual(-0.4);
      expect(v).toBe(0);
      expectSameArray(obs, [Math.fround(x), 0]);
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    expect(lo).toBeLessThan(-0.59);
    expect(hi).toBeGreaterThan(-0.41);
  });

  it('exposes Gymnasium spaces', () => {
    const env = makeEnv(CAR);
    expect(env.maxEpisodeSteps).toBe(999);
    expectSameArray(env.observationSpace.low, new Float32Array([-1.2, -0.07]));
    expectSameArray(env.observationSpace.high, new Float32Array([0.6, 0.07]));
    expectSameArray(env.actionSpace.low, [-1]);
    expectSameArray(env.actionSpace.high, [1]);
  });
});

// ---------------------------------------------------------------- shared behaviour

describe.each([PENDULUM, CAR])('%s common behaviour', (id) => {
  const firstObs = (env: Env, seed?: number): number[] =>
    Array.from(env.reset(seed === undefined ? undefined : { seed }).obs);

  it('reset seeding is deterministic', () => {
    const a = firstObs(makeEnv(id), 42);
    const b = firstObs(makeEnv(id, { seed: 7 }), 42);
    const c = firstObs(makeEnv(id), 43);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    // constructor seed == reset seed; no seed at all == seed 0
    expect(firstObs(makeEnv(id, { seed: 42 }))).toEqual(a);
    expect(firstObs(makeEnv(id))).toEqual(firstObs(makeEnv(id), 0));
    expect(firstObs(makeEnv(id))).toEqual(firstObs(makeEnv(id)));
  });

  it('reset() without seed continues the RNG stream', () => {
    const env = makeEnv(id);
    const r1 = firstObs(env, 5);
    const r2 = firstObs(env);
    const r3 = firstObs(env);
    expect(r2).not.toEqual(r1);
    expect(r3).not.toEqual(r2);
    const again = makeEnv(id);
    expect([firstObs(again, 5), firstObs(again), firstObs(again)]).toEqual([r1, r2, r3]);
  });

  it('validates actions', () => {
    const env = makeEnv(id);
    expect(() => env.step([0])).toThrow(/before reset/);
    env.reset();
    expect(() => env.step([])).toThrow(/expected action of length 1, got 0/);
    expect(() => env.step([0, 0])).toThrow(/expected action of length 1, got 2/);
    expect(() => env.step([NaN])).toThrow(/action\[0\].*NaN/);
    expect(() => env.step(new Float32Array([Infinity]))).toThrow(/action\[0\].*Infinity/);
    expect(() => env.setState([0])).toThrow(/expected state of length 2, got 1/);
    expect(() => env.setState([0, NaN])).toThrow(/state\[1\]/);
    // rejected calls changed nothing
    expect(env.step([0]).truncated).toBe(false);
  });

  it('reuses one obs buffer and one StepResult (documented hot-loop contract)', () => {
    const env = makeEnv(id);
    const { obs } = env.reset();
    const r1 = env.step([0.1]);
    const r2 = env.step([0.1]);
    expect(r1).toBe(r2);
    expect(r1.obs).toBe(obs);
  });

  it('snapshot/restore gives an identical continuation (through JSON, across episodes)', () => {
    const actRng = seedrandom('snap');
    const actions = Array.from({ length: 1500 }, () => rngAction(actRng));
    const run = (env: Env, from: number, to: number): number[] => {
      const trace: number[] = [];
      for (let t = from; t < to; t++) {
        const r = env.step([actions[t]]);
        trace.push(...r.obs, r.reward, +r.terminated, +r.truncated);
        if (r.terminated || r.truncated) trace.push(...env.reset().obs); // reset() w/o seed uses the RNG
      }
      return trace;
    };
    const env = makeEnv(id, { seed: 123 });
    env.reset();
    run(env, 0, 150);
    const snap: EnvSnapshot = JSON.parse(JSON.stringify(env.snapshot()));
    const expected = run(env, 150, 1500);
    expect(expected.length).toBeGreaterThan(1000);

    const other = makeEnv(id, { seed: 999 });
    other.restore(snap);
    expect(other.snapshot()).toEqual(snap);
    expect(run(other, 150, 1500)).toEqual(expected);

    env.restore(snap); // restoring into the original env as well
    expect(run(env, 150, 1500)).toEqual(expected);

    const wrong = makeEnv(ENV_IDS.find((x) => x !== id)!);
    expect(() => wrong.restore(snap)).toThrow(/snapshot is for env/);
  });
});

function rngAction(rng: () => number): number {
  return rng() * 2 - 1;
}

describe('registry', () => {
  it('lists the known ids', () => {
    expect([...ENV_IDS].sort()).toEqual([CAR, PENDULUM].sort());
    for (const id of ENV_IDS) expect(makeEnv(id).id).toBe(id);
  });

  it('unknown id error names the id and lists known ids', () => {
    let msg = '';
    try {
      makeEnv('CartPole-v1');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain("'CartPole-v1'");
    expect(msg).toContain(PENDULUM);
    expect(msg).toContain(CAR);
  });

  it('rejects non-integer seeds', () => {
    expect(() => makeEnv(PENDULUM, { seed: 1.5 })).toThrow(/seed/);
    expect(() => makeEnv(PENDULUM).reset({ seed: NaN })).toThrow(/seed/);
  });
});

describe('wrappers compose around any bare env (not only the classic-control ones)', () => {
  // A bare env written from scratch against the Env contract: no base class, no time limit, no checks.
  class Drift implements Env {
    readonly id = 'Drift-v0';
    readonly observationSpace = makeBox([-100], [100]);
    readonly actionSpace = makeBox([-1, -1], [1, 1]);
    readonly maxEpisodeSteps = Infinity;
    x = 0;
    private readonly obs = new Float32Array(1);
    private readonly result = { obs: this.obs, reward: 0, terminated: false, truncated: false, info: {} };
    reset() { this.x = 0; this.obs[0] = 0; return { obs: this.obs, info: {} }; }
    step(a: ArrayLike<number>) {
      this.x += a[0] + a[1];
      this.obs[0] = this.x;
      this.result.reward = -Math.abs(this.x);
      this.result.terminated = this.x >= 3;
      this.result.truncated = false;
      return this.result;
    }
    setState(s: ArrayLike<number>) { this.x = s[0]; }
    getState() { return Float64Array.of(this.x); }
    snapshot() { return { id: this.id, x: this.x }; }
    restore(s: EnvSnapshot) { this.x = s.x as number; }
  }

  it('TimeLimit truncates, OrderEnforcing refuses out-of-order calls, ActionCheck refuses bad actions', () => {
    const env = wrapEnv(new Drift(), 4);
    expect(env.maxEpisodeSteps).toBe(4);
    expect(() => env.step([0, 0])).toThrow(DdpgInputError);
    expect(() => env.step([0, 0])).toThrow(/Drift-v0: step\(\) called before reset\(\)/);
    env.reset();
    expect(() => env.step([0])).toThrow(/Drift-v0: expected action of length 2, got 1/);
    expect(() => env.step([0, NaN])).toThrow(/Drift-v0: action\[1\] must be a finite number, got NaN/);
    const flags = [1, 2, 3, 4].map(() => { const r = env.step([0.1, 0.1]); return [r.terminated, r.truncated]; });
    expect(flags).toEqual([[false, false], [false, false], [false, false], [false, true]]);
    expect(() => env.step([0, 0])).toThrow(/after the episode ended/);
    env.reset();
    expect(env.step([1, 1]).terminated).toBe(false); // x = 2
    expect(env.step([1, 0]).terminated).toBe(true); // x = 3 terminates
    expect(() => env.step([0, 0])).toThrow(/after the episode ended/);
  });

  it('snapshots compose: every wrapper adds its state to the bare env\'s, and restore continues exactly', () => {
    const env = wrapEnv(new Drift(), 10);
    env.reset();
    env.step([0.5, 0.25]);
    env.step([0.5, 0.25]);
    const snap = JSON.parse(JSON.stringify(env.snapshot()));
    expect(snap).toEqual({ id: 'Drift-v0', x: 1.5, elapsedSteps: 2, started: true, done: false });
    const other = wrapEnv(new Drift(), 10);
    other.restore(snap);
    for (let t = 3; t <= 10; t++) {
      const a = env.step([0.01, -0.02]), b = other.step([0.01, -0.02]);
      expect([b.obs[0], b.reward, b.truncated]).toEqual([a.obs[0], a.reward, a.truncated]);
    }
    expect(() => other.restore({ ...snap, elapsedSteps: -1 })).toThrow(DdpgInputError);
    expect(() => other.restore({ ...snap, done: 'no' })).toThrow(/snapshot started and done must be booleans/);
  });

  it('the registry builds its envs the same way', () => {
    const env = makeEnv(PENDULUM);
    expect(env).toBeInstanceOf(OrderEnforcing);
    const layers: string[] = [];
    for (let e: Env = env; e instanceof Wrapper; e = e.env) layers.push(e.constructor.name);
    expect(layers).toEqual(['OrderEnforcing', 'TimeLimit', 'ActionCheck']);
  });
});
