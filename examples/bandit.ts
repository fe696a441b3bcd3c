// The deterministic policy gradient on a toy problem with a known answer.
//
// One state s, a continuous action a in the box [low, high] = [−2, 2], and a known action value
//     Q(a) = −(a − 0.7)²            so   ∇ₐQ = −2(a − 0.7),   best action a* = 0.7.
// There is no critic network here: Q and ∇ₐQ are given. The actor is an engine MLP with a tanh output u ∈ (−1, 1),
// mapped to the box like DDPG does:  a = scale·u + bias,  scale = (high − low)/2,  bias = (high + low)/2.
//
// DPG step (actorStep in src/rl/off-policy.ts, with the critic replaced by the formula):
//     J(θ) = Q(μ_θ(s))      ∇θJ = ∇ₐQ · ∂a/∂u · ∇θu = ∇ₐQ · scale · ∇θu          (chain rule)
// The engine minimises, so the actor's loss is L = −J and the upstream gradient given to backward() is
//     ∂L/∂u = −∇ₐQ · scale.
// Adam then moves θ so that a walks to 0.7.
//
// Run: npx tsx examples/bandit.ts      (or npm run example:bandit)
import { pathToFileURL } from 'node:url';
import { loadEngine, type Engine } from '../src/index.js';

export interface BanditResult {
  /** The actor's action after training. */
  action: number;
  /** The action every `every` steps, starting with the initial one. */
  history: number[];
}

export function dpgBandit(engine: Engine, opts: { steps?: number; lr?: number; seed?: number; every?: number } = {}): BanditResult {
  const { steps = 400, lr = 1e-2, seed = 1, every = 50 } = opts;
  const low = -2, high = 2, target = 0.7;
  const scale = (high - low) / 2, bias = (high + low) / 2;
  const s = [0.5, -0.3]; // the one state (any fixed vector)
  const actor = engine.mlp({ sizes: [2, 16, 1], hidden: 'relu', output: 'tanh', seed }); // u = μ(s) ∈ (−1, 1)
  const adam = engine.adam(actor, { lr });
  const act = () => scale * actor.forward(s, 1)[0] + bias;
  const history = [act()];
  for (let t = 1; t <= steps; t++) {
    const a = act(); // forward: keeps the activations backward needs
    const dQda = -2 * (a - target); // ∇ₐQ, known in closed form here (DDPG gets it from the critic)
    actor.backward([-dQda * scale], { inputGrad: false }); // ∂L/∂u for L = −Q: sets ∂L/∂θ
    adam.step(); // θ ← θ − Adam(∂L/∂θ): uphill on Q
    if (t % every === 0) history.push(act());
  }
  return { action: act(), history };
}

// Run as a script: print the action as it converges.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const engine = await loadEngine();
  const { action, history } = dpgBandit(engine);
  history.forEach((a, i) => console.log(`step ${String(i * 50).padStart(4)}: a = ${a.toFixed(4)}   Q(a) = ${(-((a - 0.7) ** 2)).toFixed(6)}`));
  console.log(`final action ${action.toFixed(4)} (optimum 0.7)`);
}
