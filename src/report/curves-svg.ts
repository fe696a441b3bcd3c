// One env's learning curves as a standalone SVG (src/cli/svg-chart.ts): per config a line through the IQM over
// seeds at each evaluation step of evals.csv and a shaded band, its 95 % stratified-bootstrap interval.
import { lineChartSvg } from '../cli/svg-chart.js';
import type { EnvSummary } from './summary.js';

const COLORS = ['#c33', '#36c', '#393', '#c6c', '#e80', '#099', '#663', '#888'];

export function curvesSvg(e: EnvSummary): string {
  const series = e.configs.filter((c) => c.curve).map((c, i) => ({
    label: `${c.name} (${c.curve!.seeds.length} seed${c.curve!.seeds.length === 1 ? '' : 's'})`,
    color: COLORS[i % COLORS.length],
    points: c.curve!.points.map((p) => ({ x: p.step, y: p.iqm })),
    band: c.curve!.points.map((p) => ({ x: p.step, lo: p.lo, hi: p.hi })),
  }));
  return lineChartSvg(series, {
    title: `${e.env}: evaluation return, IQM over seeds`, xLabel: 'environment steps', yLabel: 'evaluation return (IQM over seeds)',
    window: 1, lineNote: 'line: IQM, band: 95 % bootstrap CI',
  });
}
