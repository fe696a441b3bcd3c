// The benchmark's outputs: the machine line, a markdown table per section (ours with ± and ops/s, GFLOP/s
// and % of the measured peak, each peer's median and how many times slower it is than ours), and the
// issue's targets checked against the numbers of this run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createRequire } from 'node:module';
import { fmtOps, fmtTime } from './harness.js';
import { PEERS, type Row, type Section } from './context.js';
import { chosenId, variantGflops, type KernelResult } from '../cases/kernels.js';

const require = createRequire(import.meta.url);

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  packages: Record<string, string>;
}

/** "family F model M" from /proc/cpuinfo (Linux), so a table says which CPU generation it was measured on. */
function cpuFamily(): string {
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.+)$`, 'm').exec(info)?.[1].trim();
    const flags = field('flags') ?? '';
    const simd = flags.includes('avx512f') ? 'AVX-512' : flags.includes('avx2') ? 'AVX2' : '';
    return [field('cpu family') && `family ${field('cpu family')}`, field('model') && `model ${field('model')}`, simd].filter(Boolean).join(' ');
  } catch { return ''; }
}

export function machineInfo(): Machine {
  const cpus = os.cpus();
  const version = (p: string) => { try { return (require(`${p}/package.json`) as { version: string }).version; } catch { return '?'; } };
  const own = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return {
    cpu: [cpus[0]?.model.trim() ?? 'unknown', cpuFamily()].filter(Boolean).join(' '), cores: cpus.length, node: process.version, platform: `${os.platform()} ${os.arch()}`,
    packages: {
      'ddpg-wasm': own.version, assemblyscript: version('assemblyscript'), '@tensorflow/tfjs-core': version('@tensorflow/tfjs-core'),
      '@tensorflow/tfjs-backend-wasm': version('@tensorflow/tfjs-backend-wasm'), '@tensorflow/tfjs-backend-cpu': version('@tensorflow/tfjs-backend-cpu'),
      benny: version('benny'),
    },
  };
}

export function machineLine(m: Machine): string {
  return `machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.platform}; ` +
    Object.entries(m.packages).map(([k, v]) => `${k} ${v}`).join(', ');
}

export const gflops = (row: Row, sec: number | undefined) => (row.flops && sec ? row.flops / sec / 1e9 : NaN);

/** One markdown table for a section. */
export function sectionTable(s: Section, peak: number): string {
  const head = ['case', 'ours median', '±', 'ops/s', 'GFLOP/s', '% peak', ...PEERS.flatMap((p) => [p, '×'])];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((h, i) => (i === 0 ? ':--' : '--:')).join('|')}|`];
  for (const r of s.rows) {
    const o = r.stats.ours;
    const g = gflops(r, o?.median);
    const cells = [
      r.name, o ? fmtTime(o.median) : '—', o ? `${o.rme.toFixed(1)}%` : '—', o ? `${fmtOps(o.ops)}/${r.unit}` : '—',
      Number.isFinite(g) ? g.toFixed(1) : '', Number.isFinite(g) && r.section !== 'peak' ? `${((100 * g) / peak).toFixed(0)}%` : '',
      ...PEERS.flatMap((p) => {
        const st = r.stats[p];
        return st && o ? [fmtTime(st.median), `${(st.median / o.median).toFixed(1)}×`] : ['—', ''];
      }),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export interface Target {
  what: string;
  measured: string;
  ok: boolean;
}

/** The targets, checked on this run's numbers (medians; ratios = peer median / ours). */
export function checkTargets(sections: Section[], peak: number, heapOk: boolean | undefined): Target[] {
  const rows = sections.flatMap((s) => s.rows);
  const find = (section: string, name: string) => rows.find((r) => r.section === section && r.name.includes(name));
  const out: Target[] = [];
  const ratio = (r: Row | undefined, peer: 'tfjs-wasm' | 'tfjs-cpu') => (r?.stats.ours && r.stats[peer] ? r.stats[peer]!.median / r.stats.ours.median : NaN);
  for (const shape of ['256×256×256', '256×400×300']) {
    for (const r of rows.filter((x) => x.section === 'gemm' && x.name.endsWith(shape))) {
      const pct = (100 * gflops(r, r.stats.ours?.median)) / peak;
      out.push({ what: `GEMM ${r.name} ≥ 70% of peak`, measured: `${pct.toFixed(0)}%`, ok: pct >= 70 });
    }
  }
  for (const [section, name, label] of [['mlp', '[4,256,256,1]', 'MLP step 256/256'], ['ddpg', 'hidden 256/256', 'DDPG update 256/256'],
    ['td3', 'hidden 256/256', 'TD3 updates 256/256 (a policyDelay cycle)']] as const) {
    if (!find(section, name)) continue;
    const r = find(section, name);
    const x = ratio(r, 'tfjs-wasm');
    const pct = r ? (100 * gflops(r, r.stats.ours?.median)) / peak : NaN;
    out.push({ what: `${label} ≥ 8× faster than tfjs-wasm`, measured: `${x.toFixed(1)}×`, ok: x >= 8 });
    out.push({ what: `${label} ≥ 50% of peak over the step`, measured: `${pct.toFixed(0)}%`, ok: pct >= 50 });
  }
  for (const [section, name, label] of [['mlp', '[4,64,64,1]', 'MLP step 64/64'], ['ddpg', 'hidden 64/64', 'DDPG update 64/64'],
    ['infer', 'actor 64/64', 'inference 64/64'], ['infer', 'actor 256/256', 'inference 256/256']] as const) {
    if (!find(section, name)) continue;
    const x = ratio(find(section, name), 'tfjs-wasm');
    out.push({ what: `${label} ≥ 5× faster than tfjs-wasm`, measured: `${x.toFixed(1)}×`, ok: x >= 5 });
  }
  const d64 = find('ddpg', 'hidden 64/64')?.stats.ours?.median;
  if (d64 !== undefined) out.push({ what: 'DDPG update 64/64 < 0.87 ms (PyTorch CPU, 1 thread)', measured: fmtTime(d64), ok: d64 < 0.87e-3 });
  const d256 = find('ddpg', 'hidden 256/256')?.stats.ours?.median;
  if (d256 !== undefined) out.push({ what: 'DDPG update 256/256 ≤ 8.5 ms', measured: fmtTime(d256), ok: d256 <= 8.5e-3 });
  const cli = find('e2e', 'ddpg-wasm train');
  if (cli?.extra) {
    const e = cli.extra as { wallSec: number; evalMean: number; reached: boolean };
    out.push({ what: 'train preset reaches eval ≥ −200', measured: `${e.evalMean.toFixed(1)}`, ok: e.reached });
    out.push({ what: 'train preset (20k steps; updates after 10k learning starts) ≤ 5 s wall', measured: `${e.wallSec.toFixed(1)} s`, ok: e.wallSec <= 5 });
  }
  const step = find('e2e', 'Pendulum steps')?.stats.ours?.median;
  if (step !== undefined) {
    out.push({ what: 'moonshot as stated: 20k steps, an update every step (64/64, b256) ≤ 5 s', measured: `${(20_000 * step).toFixed(1)} s (20k × step median)`, ok: 20_000 * step <= 5 });
  }
  if (heapOk !== undefined) out.push({ what: 'JS heap does not grow over the DDPG updates', measured: heapOk ? 'flat' : 'grows', ok: heapOk });
  return out;
}

export function targetsTable(t: Target[]): string {
  return ['| target | this run | met |', '|:--|--:|:-:|', ...t.map((x) => `| ${x.what} | ${x.measured} | ${x.ok ? '✓' : '✗'} |`)].join('\n');
}

/** Issue 16's targets: the chosen kernel variant of each form ≥ 75 % of the peak at 256×256×256 and 256×400×300
 *  (from the kernel-variants section), X·W ≥ 1.2× tfjs-wasm (GEMM section), and the DDPG update's % of peak. */
export function checkKernelTargets(k: KernelResult | undefined, sections: Section[], peak: number): Target[] {
  const out: Target[] = [];
  if (k) {
    for (const r of k.rows.filter((x) => x.shape === '256×256×256' || x.shape === '256×400×300')) {
      const v = chosenId(k, r), pct = (100 * variantGflops(r, v, true)) / peak, med = (100 * variantGflops(r, v)) / peak;
      out.push({ what: `${r.form} ${r.shape}, chosen variant ${k.variants[v]} ≥ 75% of peak (best slice; median slice in brackets)`,
        measured: `${pct.toFixed(0)}% (${med.toFixed(0)}%)`, ok: pct >= 75 });
    }
  }
  const rows = sections.flatMap((s) => s.rows);
  for (const shape of ['256×256×256', '256×400×300']) {
    const r = rows.find((x) => x.section === 'gemm' && x.name === `X·W ${shape}`);
    if (r?.stats.ours && r.stats['tfjs-wasm']) {
      const x = r.stats['tfjs-wasm'].median / r.stats.ours.median;
      out.push({ what: `GEMM X·W ${shape} ≥ 1.2× tfjs-wasm`, measured: `${x.toFixed(2)}×`, ok: x >= 1.2 });
    }
  }
  const d = rows.find((x) => x.section === 'ddpg' && x.name.includes('hidden 256/256'));
  if (d?.stats.ours) {
    const pct = (100 * gflops(d, d.stats.ours.median)) / peak;
    out.push({ what: 'DDPG update 256/256: % of peak over the update (rises with the GEMMs; issue 4 asks ≥ 50%)', measured: `${pct.toFixed(0)}%`, ok: pct >= 50 });
  }
  return out;
}
