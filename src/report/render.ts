// The report's files: report.md (a Markdown table per env, the curves, warnings and how every number is
// computed) and report.json (the same numbers, full precision, with the bootstrap settings).
import type { ConfigSummary, ReportSummary } from './summary.js';

/** A return for a table: 1 decimal from 100, 2 from 1, else 3 significant digits. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  const s = a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : a === 0 ? '0' : v.toPrecision(3);
  return s === '-0.0' || s === '-0.00' ? s.slice(1) : s;
}

export function formatSeconds(s: number | null): string {
  if (s === null) return '–';
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|');
const interval = (v: number, ci: [number, number]) => `${formatNumber(v)} [${formatNumber(ci[0])}, ${formatNumber(ci[1])}]`;

function row(c: ConfigSummary): string {
  const f = c.final;
  const unfinished = c.unfinished.length ? `; unfinished: ${c.unfinished.map((u) => `seed ${u.seed} at step ${u.step} of ${u.steps}`).join(', ')}` : '';
  return `| ${[
    cell(c.name), `${c.seeds.length} (${c.seeds.join(', ')})`, `${c.finished} of ${c.runs.length}${unfinished}`,
    f ? `${formatNumber(f.mean)} ± ${formatNumber(f.std)}` : '–', f ? formatNumber(f.median) : '–',
    f ? interval(f.iqm, f.iqmCi) : '–', f ? interval(f.mean, f.meanCi) : '–', formatSeconds(f?.wallSecondsMedian ?? null),
  ].join(' | ')} |`;
}

export const TABLE_HEADER = '| config | seeds | finished | mean ± std | median | IQM [95 % CI] | mean [95 % CI] | wall time (median) |';

/** The tables, curve notes and warnings (what `report` prints); with `method`, the heading and the section
 *  that says how each number is computed (report.md). */
export function renderMarkdown(r: ReportSummary, opts: { method: boolean }): string {
  const out: string[] = [];
  if (opts.method) out.push('# Training report', '');
  out.push(`${r.totals.runs} run${r.totals.runs === 1 ? '' : 's'} in ${r.totals.configs} config${r.totals.configs === 1 ? '' : 's'}: ` +
    `${r.totals.finished} finished, ${r.totals.unfinished} unfinished (listed, not in the statistics). ` +
    `Scores: each finished run's final evaluation mean (eval.json); statistics over seeds; 95 % intervals from ` +
    `${r.bootstrap.resamples} stratified bootstrap resamples (seed ${r.bootstrap.seed}).`, '');
  for (const e of r.envs) {
    out.push(`## ${e.env}`, '', TABLE_HEADER, '|---|---|---|---|---|---|---|---|', ...e.configs.map(row), '');
    if (e.curves) out.push(`![${e.env} learning curves: IQM over seeds with 95 % bootstrap bands](${e.curves})`, '');
    for (const c of e.configs) {
      const notes: string[] = [];
      if (c.curve) notes.push(`curve from seed${c.curve.seeds.length === 1 ? '' : 's'} ${c.curve.seeds.join(', ')} (${c.curve.points.length} evaluation steps)`);
      if (c.noCurveSeeds.length) notes.push(`no curve from seed${c.noCurveSeeds.length === 1 ? '' : 's'} ${c.noCurveSeeds.join(', ')} (no evals.csv rows)`);
      if (c.curve && c.unfinished.length) notes.push(`unfinished runs are not in the curve`);
      if (notes.length) out.push(`- ${cell(c.name)}: ${notes.join('; ')}`);
    }
    out.push('');
  }
  if (r.warnings.length) out.push('## Warnings', '', ...r.warnings.map((w) => `- warning: ${w}`), '');
  if (opts.method) {
    out.push('## Method', '',
      ...Object.entries(r.statistics).map(([k, v]) => `- ${k}: ${v}`),
      `- bootstrap: ${r.bootstrap.resamples} resamples; ${r.bootstrap.stratification}; ${r.bootstrap.interval}`,
      `- random numbers: ${r.bootstrap.rng}; report seed ${r.bootstrap.seed}`,
      '- (Agarwal et al. 2021, "Deep Reinforcement Learning at the Edge of the Statistical Precipice"; the rliable library)', '');
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

export function renderJson(r: ReportSummary): string {
  return JSON.stringify(r, null, 2) + '\n';
}
