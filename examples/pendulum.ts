// Train DDPG on Pendulum-v1 and watch the critic: after every episode print the return, and the critic's
// mean Q(s_t, a_t) on the states the episode visited next to the discounted return G_t = Σ γ^(k−t) r_k that
// actually followed. Early on Q is far off; as the critic learns, the two columns should come together
// (Q persistently above G is overestimation — see docs/gradients.md §9 and §10).
//
// Run: npx tsx examples/pendulum.ts [steps]      (or npm run example:pendulum; default 12000 steps, about 15 s)
import { loadEngine, makeEnv, DDPG, Trainer, DDPG_PRESETS, evaluate, Introspection } from '../src/index.js';

const steps = Number(process.argv[2] ?? 12_000);
const engine = await loadEngine();
const env = makeEnv('Pendulum-v1');
const agent = new DDPG(engine, {
  obsDim: 3, actDim: 1, actionLow: [-2], actionHigh: [2],
  ...DDPG_PRESETS['Pendulum-v1'].config, // 64×64 nets, lr 1e−3, γ = 0.98, batch 256, Gaussian noise σ = 0.1
  learningStarts: 1000, // random actions for the first 5 episodes, then one update per step
  seed: 1,
});

const trainer = new Trainer(agent, env, 1);
const look = new Introspection(agent); // records (s, a, r) and every update's statistics
trainer.taps = look;

console.log('episode    step   return   mean Q(s,a)   discounted G   mean |TD error|');
trainer.run(steps, (e) => {
  // The callback runs at each episode's end; finishEpisode() returns [q_episode, disc_return, td_abs_mean, norms…].
  const [q, G, td] = look.finishEpisode();
  const f = (v: number, w: number) => (Number.isNaN(v) ? '—' : v.toFixed(1)).padStart(w);
  console.log(`${String(e.episode).padStart(7)} ${String(e.step).padStart(7)} ${f(e.return, 8)} ${f(q, 13)} ${f(G, 14)} ${f(td, 17)}`);
});

const ev = evaluate(agent, makeEnv('Pendulum-v1'), 10, 100_000);
console.log(`deterministic policy: mean return ${ev.mean.toFixed(1)} ± ${ev.std.toFixed(1)} over 10 episodes (random ≈ −1200)`);
