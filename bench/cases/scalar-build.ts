// The engine without SIMD (build/engine-scalar.wasm, what loadEngine() picks where WebAssembly lacks SIMD)
// next to the SIMD build, in the same run, interleaved: the forward GEMM, one action of a policy, and whole
// DDPG updates. Both builds compute the same bits (test/engine-builds.test.ts); this is what the fallback costs.
import { loadEngine, type Engine } from '../../src/index.js';
import type { KernelExports } from '../../src/engine/abi.js';
import { runGroups, type Case, type Group, type Stat } from '../lib/harness.js';
import type { BenchContext } from '../lib/context.js';
import { makeAgent } from '../lib/agents.js';
import { nonZero } from '../lib/data.js';

export interface ScalarRow { name: string; flops?: number; simd: Stat; scalar: Stat }

const OBS = Float32Array.from([0.6, -0.8, 1.3]);

/** The cases of one build: its engine for the agents, its kernels build for the bare GEMM. */
function casesOf(engine: Engine, kernels: KernelExports, label: string): { cases: Case[]; flops: Record<string, number> } {
  const flops: Record<string, number> = {};
  const cases: Case[] = [];
  { // X·W 256×256×256 on the kernels build's memory
    const n = 256;
    const mem = () => new Float32Array(kernels.memory.buffer);
    const base = kernels.heapBase();
    const need = base + 3 * n * n * 4;
    if (kernels.memory.buffer.byteLength < need) kernels.memory.grow(Math.ceil((need - kernels.memory.buffer.byteLength) / 65536));
    const X = base, W = X + n * n * 4, Y = W + n * n * 4;
    mem().set(nonZero(n * n, 'scalar-X'), X >>> 2);
    mem().set(nonZero(n * n, 'scalar-W'), W >>> 2);
    flops['X·W 256×256×256'] = 2 * n * n * n;
    cases.push({ name: `${label} X·W 256×256×256`, fn: () => kernels.gemm(n, n, n, X, n, 1, W, n, Y, n, 0) });
  }
  for (const hidden of [[256, 256]]) {
    const { agent } = makeAgent(engine, hidden);
    cases.push({ name: `${label} act ${hidden.join('/')}, 1 obs`, fn: () => agent.act(OBS) });
  }
  for (const hidden of [[64, 64], [256, 256]]) {
    const { agent } = makeAgent(engine, hidden);
    agent.update();
    cases.push({ name: `${label} DDPG update ${hidden.join('/')} batch 256`, fn: () => agent.update() });
  }
  return { cases, flops };
}

export async function scalarBuildSection(ctx: BenchContext): Promise<ScalarRow[]> {
  const kernelsOf = async (file: string) => (await loadEngine(new URL(`../../build/${file}`, import.meta.url))).runtime.wasm as KernelExports;
  const simd = casesOf(await loadEngine({ simd: true }), await kernelsOf('kernels.wasm'), 'SIMD');
  const scalar = casesOf(await loadEngine({ simd: false }), await kernelsOf('kernels-scalar.wasm'), 'scalar');
  const groups: Group[] = [{ impl: 'SIMD', cases: simd.cases }, { impl: 'scalar', cases: scalar.cases }];
  const res = await runGroups(groups, ctx.timing, () => ctx.timing);
  return simd.cases.map((c, i) => {
    const name = c.name.slice('SIMD '.length);
    return { name, flops: simd.flops[name], simd: res[c.name], scalar: res[scalar.cases[i].name] };
  });
}

export function scalarBuildTable(rows: ScalarRow[]): string {
  const f = (s: number) => (s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} µs`);
  const g = (r: ScalarRow, s: Stat) => (r.flops ? ` (${(r.flops / s.median / 1e9).toFixed(1)} GFLOP/s)` : '');
  return ['| case | SIMD build, median | without SIMD, median | without / with |', '|:--|--:|--:|--:|',
    ...rows.map((r) => `| ${r.name} | ${f(r.simd.median)}${g(r, r.simd)} | ${f(r.scalar.median)}${g(r, r.scalar)} | ` +
      `${(r.scalar.median / r.simd.median).toFixed(2)}× |`)].join('\n');
}
