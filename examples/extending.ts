// Extending ddpg-wasm: a new environment and a new algorithm, each in a few dozen lines (docs/extending.md
// walks through this file).
//
//   PointMass      a bare env written against the Env contract (src/envs/env.ts) — physics, reward, reset
//                  distribution and seeding only — that gets the time limit, order checks and action checks
//                  from the same wrappers as every registered env (wrapEnv).
//   CdqDdpg        DDPG with TD3's clipped double-Q target and nothing else of TD3 (no smoothing, no delay):
//                  the "CDQ" ablation of Fujimoto et al. (2018). It owns what TD3 owns (td3Networks) and writes
//                  only its update(); replay, exploration, act/observe, the guard and the steps are inherited.
//
// Run: npx tsx examples/extending.ts
import { pathToFileURL } from 'node:url';
import {
  evaluate, loadEngine, makeBox, OffPolicyAgent, resolveTd3Config, Rng, td3Networks, Trainer, wrapEnv,
  type Engine, type Env, type EnvSnapshot, type Mlp, type UpdateBatch, type UpdateStats,
} from '../src/index.js';

// ---------------------------------------------------------------- a bare environment

/** A unit mass on a line between walls, pushed by a force a ∈ [−1, 1]; the reward asks it to rest at 0:
 *    v ← clip(v + a·dt, −1, 1),  x ← clip(x + v·dt, −2, 2) (a wall stops it),  dt = 0.1
 *    reward = −(x² + 0.1·v² + 0.01·a²)  on the state before the step        reset: x ~ U(−1, 1), v = 0 */
export class PointMass implements Env {
  readonly id = 'PointMass-v0';
  readonly observationSpace = makeBox([-2, -1], [2, 1]);
  readonly actionSpace = makeBox([-1], [1]);
  readonly maxEpisodeSteps = Infinity; // TimeLimit (wrapEnv) sets the real one
  private x = 0;
  private v = 0;
  private rng: Rng;
  private readonly obs = new Float32Array(2);
  private readonly result = { obs: this.obs, reward: 0, terminated: false, truncated: false, info: {} };

  constructor(seed = 0) { this.rng = new Rng(seed); }

  reset(opts?: { seed?: number }) {
    if (opts?.seed !== undefined) this.rng = new Rng(opts.seed);
    this.x = this.rng.uniform(-1, 1);
    this.v = 0;
    return { obs: this.observe(), info: {} };
  }

  step(action: ArrayLike<number>) {
    const a = Math.max(-1, Math.min(1, action[0]));
    this.result.reward = -(this.x * this.x + 0.1 * this.v * this.v + 0.01 * a * a);
    this.v = Math.max(-1, Math.min(1, this.v + a * 0.1));
    this.x += this.v * 0.1;
    if (Math.abs(this.x) > 2) { this.x = Math.sign(this.x) * 2; this.v = 0; }
    this.observe();
    this.result.terminated = false; // never: the time limit truncates
    this.result.truncated = false; // the result object is reused: set every field on every step
    return this.result;
  }

  setState(s: ArrayLike<number>) { this.x = s[0]; this.v = s[1]; this.observe(); }
  getState() { return Float64Array.of(this.x, this.v); }
  snapshot(): EnvSnapshot { return { id: this.id, x: this.x, v: this.v, rng: this.rng.getState() }; }
  restore(s: EnvSnapshot) { this.x = s.x as number; this.v = s.v as number; this.rng.setState(s.rng as never); this.observe(); }

  private observe(): Float32Array {
    this.obs[0] = this.x; this.obs[1] = this.v;
    return this.obs;
  }
}

/** PointMass with the wrappers every registered env gets: OrderEnforcing(TimeLimit(ActionCheck(env))). */
export const makePointMass = (seed = 0) => wrapEnv(new PointMass(seed), 100);

// ---------------------------------------------------------------- a new algorithm

export class CdqDdpg extends OffPolicyAgent {
  readonly algorithm = 'ddpg'; // a registry name; register a new one in src/rl/algorithms.ts to get CLI and checkpoints
  readonly critics: [Mlp, Mlp];
  private readonly stats: UpdateStats = { criticLoss: 0, actorLoss: undefined, qMean: 0, tdErrorMean: 0 };

  constructor(engine: Engine, input: Parameters<typeof resolveTd3Config>[0]) {
    // TD3's config fields and defaults; the smoothing and the delay are switched off.
    const config = resolveTd3Config({ ...input, targetPolicyNoise: 0, policyDelay: 1 });
    super(engine, config, td3Networks(config)); // what it owns is exactly TD3's: μ, Q1, Q2 and their targets
    this.critics = [this.networks.critic1, this.networks.critic2];
  }

  update(batch?: UpdateBatch): UpdateStats {
    const b = this.startUpdate(batch);
    const n = this.networks, opt = this.optimizers;
    // 1. y = r + γ·(1 − terminated)·min(Q1′, Q2′)(s′, μ′(s′))
    const aNext = this.targetActions(n.actorTarget, b.nextObs);
    const y = this.tdTargets(b, this.q(n.critic1Target, b.nextObs, aNext, 'Q1′'), this.q(n.critic2Target, b.nextObs, aNext, 'Q2′'));
    // 2. both critics regress onto y
    const c1 = this.criticStep(n.critic1, opt.critic1, b, y);
    [this.stats.criticLoss, this.stats.qMean, this.stats.tdErrorMean] = [c1.loss, c1.qMean, c1.tdErrorMean];
    this.stats.criticLoss = (this.stats.criticLoss + this.criticStep(n.critic2, opt.critic2, b, y).loss) / 2;
    // 3. the actor ascends Q1; 4. the three targets follow
    this.stats.actorLoss = this.actorStep(n.critic1, b.obs);
    for (const name of ['actor', 'critic1', 'critic2']) this.softUpdate(n[`${name}Target`], n[name]);
    return this.stats;
  }
}

// ---------------------------------------------------------------- both together

/** Trains CdqDdpg on PointMass for `steps` steps; returns the deterministic policy's evaluation. */
export function trainPointMass(engine: Engine, steps = 4000, seed = 1) {
  const env = makePointMass();
  const agent = new CdqDdpg(engine, {
    obsDim: 2, actDim: 1, actionLow: [-1], actionHigh: [1], actorHidden: [32, 32], criticHidden: [32, 32],
    batchSize: 64, bufferSize: 20_000, learningStarts: 1000, actorLr: 1e-3, criticLr: 1e-3, gamma: 0.98, seed,
  });
  new Trainer(agent, env, seed).run(steps);
  return evaluate(agent, makePointMass(), 10, 100_000);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const engine = await loadEngine();
  const doNothing = evaluate({ act: () => Float32Array.of(0) }, makePointMass(), 10, 100_000);
  const ev = trainPointMass(engine);
  console.log(`PointMass-v0, 10 evaluation episodes: do-nothing ${doNothing.mean.toFixed(1)}, CdqDdpg after 4000 steps ${ev.mean.toFixed(1)} ± ${ev.std.toFixed(1)}`);
}
