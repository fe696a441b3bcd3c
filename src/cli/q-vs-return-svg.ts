// "Does the critic overestimate?" as a standalone SVG: per episode, the critic's mean Q(s_t, a_t) over the
// states it visited against the discounted return G_t that actually followed (src/rl/introspection.ts).
// Dots are episodes, lines their moving averages; a Q line above the return line is overestimation.
import { lineChartSvg } from './svg-chart.js';

export interface QReturnPoint { step: number; q: number; ret: number }

export function qVsReturnSvg(points: QReturnPoint[], opts: { title: string; window?: number; width?: number; height?: number }): string {
  return lineChartSvg([
    { label: 'critic: mean Q(s, a) on the episode', color: '#c33', points: points.map((p) => ({ x: p.step, y: p.q })) },
    { label: 'actual discounted return G', color: '#36c', points: points.map((p) => ({ x: p.step, y: p.ret })) },
  ], { ...opts, xLabel: 'environment steps', yLabel: 'value (first half of each episode)' });
}

/** The points of metrics.csv rows (without header) whose header has step, q_episode and disc_return columns. */
export function pointsFromMetrics(header: string, rows: readonly string[]): QReturnPoint[] {
  const cols = header.split(',');
  const [iStep, iQ, iG] = ['step', 'q_episode', 'disc_return'].map((c) => cols.indexOf(c));
  if (iStep < 0 || iQ < 0 || iG < 0) return [];
  const num = (s: string | undefined) => (s === undefined || s === '' ? NaN : Number(s));
  return rows.map((r) => { const c = r.split(','); return { step: num(c[iStep]), q: num(c[iQ]), ret: num(c[iG]) }; });
}
