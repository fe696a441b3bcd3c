// `ddpg-wasm gradcheck`: build an MLP with the engine, check its backward pass against float64 central
// finite differences (src/gradcheck.ts) and print one row per layer. Exit code 1 when a gradient disagrees.
import { parseArgs } from 'node:util';
import { loadEngine } from '../nn/engine.js';
import { gradcheck, type GradcheckReport, type GradGroup } from '../gradcheck.js';
import seedrandom from 'seedrandom';
import { UsageError } from './flags.js';

export const GRADCHECK_HELP = `Usage: ddpg-wasm gradcheck --sizes 3,5,7,2 [--hidden relu|tanh] [--output identity|tanh] [--batch N] [--seed S]
  --sizes A,B,…,Z      layer widths: input, hidden…, output (required)
  --hidden ACT         hidden activation, relu | tanh (default relu)
  --output ACT         output activation, identity | tanh (default identity)
  --join LAYER:SIZE    a second input of SIZE columns joining weight layer LAYER (the critic's action), e.g. 1:1
  --batch N            rows of the random input x (default 4)
  --seed S             seeds the weights, x and the upstream gradient (default 1)
  --init-scale S       final layer init bound (default 3e-3, the DDPG paper's)
  --eps E              finite-difference step (default 1e-6)
  --tol T              largest accepted relative error (default 1e-3)
Checks L = Σ R ⊙ y for a random R: analytic ∂L/∂W, ∂L/∂b per layer and ∂L/∂x from the engine's backward,
numeric ones from (L(θ+ε) − L(θ−ε))/2ε on a float64 reference forward. See docs/gradients.md.`;

const OPTIONS = {
  sizes: { type: 'string' }, hidden: { type: 'string' }, output: { type: 'string' }, join: { type: 'string' },
  batch: { type: 'string' }, seed: { type: 'string' }, 'init-scale': { type: 'string' }, eps: { type: 'string' },
  tol: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

export async function gradcheckCommand(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  if (v.help) { console.log(GRADCHECK_HELP); return 0; }
  if (!v.sizes) throw new UsageError('gradcheck needs --sizes, e.g. --sizes 3,5,7,2');
  const sizes = v.sizes.split(',').map((s) => Number(s.trim()));
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s <= 0)) {
    throw new UsageError(`--sizes expects at least two comma-separated positive integers, got '${v.sizes}'`);
  }
  const hidden = oneOf(v.hidden ?? 'relu', ['relu', 'tanh'] as const, 'hidden');
  const output = oneOf(v.output ?? 'identity', ['identity', 'tanh'] as const, 'output');
  const batch = num(v.batch, 4, 'batch', (n) => Number.isInteger(n) && n >= 1);
  const seed = num(v.seed, 1, 'seed', Number.isInteger);
  const finalInitScale = num(v['init-scale'], 3e-3, 'init-scale', (n) => n > 0);
  const eps = num(v.eps, 1e-6, 'eps', (n) => n > 0);
  const tol = num(v.tol, 1e-3, 'tol', (n) => n > 0);
  let join: { layer: number; size: number } | undefined;
  if (v.join !== undefined) {
    const m = /^(\d+):(\d+)$/.exec(v.join);
    if (!m) throw new UsageError(`--join expects LAYER:SIZE like 1:1, got '${v.join}'`);
    join = { layer: Number(m[1]), size: Number(m[2]) };
  }

  const engine = await loadEngine();
  const net = engine.mlp({ sizes, hidden, output, seed, join, finalInitScale, maxBatch: batch });
  const rng = seedrandom(`gradcheck-input-${seed}`);
  const uniform = (n: number) => Float32Array.from({ length: n }, () => 2 * rng() - 1);
  const x = uniform(batch * sizes[0]);
  const joinInput = join ? uniform(batch * join.size) : undefined;
  const report = gradcheck(net, x, { eps, tol, joinInput, seed });
  console.log(`gradcheck ${sizes.join('→')}${join ? ` (+${join.size} joining layer ${join.layer})` : ''}, hidden ${hidden}, output ${output}, batch ${batch}, seed ${seed}`);
  console.log(`engine backward vs float64 central differences (eps ${eps.toExponential()}); pass if max relative error ≤ ${tol.toExponential()}\n`);
  console.log(formatReport(report));
  return report.ok ? 0 : 1;
}

/** The per-layer table (also used by examples and tests). */
export function formatReport(r: GradcheckReport): string {
  const rows: string[][] = [['layer', 'shape', 'entries', 'max rel. error', 'over tol', 'worst entry: analytic vs numeric']];
  const row = (label: string, shape: string, g: GradGroup) => {
    const w = g.worst[0];
    rows.push([label, shape, String(g.count), g.maxRelError.toExponential(2), String(g.failures),
      w ? `${w.name}: ${fmt(w.analytic)} vs ${fmt(w.numeric)}` : '']);
  };
  r.layers.forEach((l) => row(String(l.layer), l.shape, l));
  row('input', `x ${r.batch}×${r.input.count / r.batch}`, r.input);
  if (r.join) row('join', `${r.batch}×${r.join.count / r.batch}`, r.join);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((cells) => cells[c].length)));
  const lines = rows.map((cells) => cells.map((s, c) => (c === 2 || c === 3 || c === 4 ? s.padStart(widths[c]) : s.padEnd(widths[c]))).join('  ').trimEnd());
  const verdict = r.ok
    ? `OK: every gradient agrees (max relative error ${r.maxRelError.toExponential(2)} ≤ ${r.tol.toExponential()})`
    : `FAILED: ${[...r.layers.filter((l) => !l.ok).map((l) => `layer ${l.layer}`), ...(r.input.ok ? [] : ['input']), ...(r.join && !r.join.ok ? ['join'] : [])].join(', ')} over tol ${r.tol.toExponential()}`;
  return [...lines, '', verdict].join('\n');
}

function fmt(v: number): string {
  return v === 0 ? '0' : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toPrecision(6) : v.toExponential(5);
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} expects ${allowed.join(' | ')}, got '${value}'`);
  return value as T;
}

function num(value: string | undefined, fallback: number, flag: string, ok: (n: number) => boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new UsageError(`--${flag}: invalid value '${value}'`);
  return n;
}
