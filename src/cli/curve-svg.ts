// A learning curve as a standalone SVG: episode returns (dots) and their moving average (line), over env steps.
import { lineChartSvg } from './svg-chart.js';

export interface CurvePoint { step: number; value: number }

export function curveSvg(points: CurvePoint[], opts: { title: string; window?: number; width?: number; height?: number }): string {
  return lineChartSvg([{ label: 'episode return', color: '#c33', points: points.map((p) => ({ x: p.step, y: p.value })) }],
    { ...opts, xLabel: 'environment steps', yLabel: 'episode return' });
}
