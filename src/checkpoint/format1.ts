// Reading files of checkpoint format 1 (ddpg-wasm 0.1, DDPG only): their content rewritten in format 2's
// names, so everything after decodeCheckpoint sees one schema. Pure data, no algorithm code; the fixtures in
// test/fixtures/format1/ are files 0.1 wrote.
//
//   format 1                                   format 2
//   arrays actor, critic, actorTarget, …      networks.actor, networks.critic, networks.actorTarget, …
//   arrays actorAdam.m/.v, criticAdam.m/.v    optimizers.actor.m/.v, optimizers.critic.m/.v
//   meta actorAdamT, criticAdamT               optimizers: { actor: { t }, critic: { t } }
//   meta noise, explorationRng                 randomStreams: { noise, exploration }
//   (DDPG implied)                             algorithm: 'ddpg', config.policyDelay: 1, networks records
//   run.trainer.sums { critic, actor, q, n }   sums { criticLoss: { sum, n }, actorLoss: …, qMean: … }
//   env snapshot rng { i, j, S }, version 1    rng { arc4: { i, j, S }, spare: null }
import type { CheckpointContent } from './format.js';

type Json = Record<string, unknown>;

const NETWORKS = ['actor', 'critic', 'actorTarget', 'criticTarget'];
const OPTIMIZERS = ['actor', 'critic'];

/** Format 2 content from format 1 content ('agent' and 'policy'; any other kind is returned as it is, and
 *  anything malformed is left for the loaders' checks to report). */
export function upgradeFormat1(content: CheckpointContent): CheckpointContent {
  if (content.kind === 'policy') return { ...content, meta: { algorithm: 'ddpg', ...content.meta } };
  if (content.kind !== 'agent') return content;
  const m = content.meta;
  const arrays: Record<string, Float32Array> = {};
  for (const [name, a] of Object.entries(content.arrays)) {
    const adam = /^(actor|critic)Adam\.([mv])$/.exec(name);
    arrays[NETWORKS.includes(name) ? `networks.${name}` : adam ? `optimizers.${adam[1]}.${adam[2]}` : name] = a;
  }
  const { paramCounts: _counts, actorAdamT, criticAdamT, noise, explorationRng, ...rest } = m;
  const meta: Json = {
    ...rest,
    algorithm: 'ddpg',
    config: isObject(m.config) ? { ...m.config, policyDelay: 1 } : m.config,
    networks: isObject(m.config) ? networkRecords(m.config) : undefined,
    optimizers: { [OPTIMIZERS[0]]: { t: actorAdamT }, [OPTIMIZERS[1]]: { t: criticAdamT } },
    randomStreams: { noise, exploration: explorationRng },
  };
  if (isObject(m.run)) meta.run = upgradeRun(m.run);
  return { kind: 'agent', meta, arrays };
}

/** 0.1's DDPG networks, as format 2 records them (the actor's is what export reads). */
function networkRecords(c: Json): Json {
  const hidden = (h: unknown) => (Array.isArray(h) ? h : [h]);
  const actor = { sizes: [c.obsDim, ...hidden(c.actorHidden), c.actDim], hidden: 'relu', output: 'tanh' };
  const critic = { sizes: [c.obsDim, ...hidden(c.criticHidden), 1], hidden: 'relu', output: 'identity', join: { layer: c.criticActionLayer, size: c.actDim } };
  return { actor, critic, actorTarget: actor, criticTarget: critic };
}

function upgradeRun(run: Json): Json {
  const out: Json = { ...run, algo: 'ddpg' };
  const trainer = run.trainer;
  if (isObject(trainer)) {
    const t: Json = { ...trainer };
    const s = trainer.sums as Json | undefined;
    if (isObject(s)) {
      t.sums = { criticLoss: { sum: s.critic, n: s.n }, actorLoss: { sum: s.actor, n: s.n }, qMean: { sum: s.q, n: s.n } };
    }
    if (isObject(trainer.env)) {
      const { version: _v, rng, ...env } = trainer.env;
      t.env = { ...env, rng: isObject(rng) ? { arc4: { i: rng.i, j: rng.j, S: rng.S }, spare: null } : rng };
    }
    out.trainer = t;
  }
  return out;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
