// A small standalone SVG line chart for the run folder's pictures (curve.svg, q-vs-return.svg): series of
// points drawn as dots with a moving-average line each, axes with round tick values (1, 2 or 5 × 10ᵏ) that
// span the data and no more, and the legend above the plot area, where it never covers a point. A series may
// carry a band (a shaded interval per x, e.g. a confidence interval: `ddpg-wasm report`'s learning curves).
import { formatTick, niceTicks } from '../ticks.js';

export { niceTicks };

export interface ChartPoint { x: number; y: number }

export interface ChartBandPoint { x: number; lo: number; hi: number }

export interface ChartSeries {
  label: string;
  color: string;
  points: ChartPoint[];
  /** A shaded band from lo to hi along x (drawn under the points; inside the y axis range). */
  band?: ChartBandPoint[];
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Episodes in the moving average (default 10). */
  window?: number;
  /** What the legend says after each series' label (default `line: mean of the last <window>`). */
  lineNote?: string;
  width?: number;
  height?: number;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

export function lineChartSvg(series: ChartSeries[], opts: ChartOptions): string {
  const W = opts.width ?? 640, H = opts.height ?? 380, win = opts.window ?? 10;
  const legendRows = series.length;
  const m = { l: 64, r: 16, t: 30 + 14 * legendRows, b: 44 };
  const finite = series.map((s) => ({ ...s, points: s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)) }));
  const bands = series.map((s) => (s.band ?? []).filter((b) => Number.isFinite(b.x) && Number.isFinite(b.lo) && Number.isFinite(b.hi)));
  const all = [...finite.flatMap((s) => s.points), ...bands.flat().flatMap((b) => [{ x: b.x, y: b.lo }, { x: b.x, y: b.hi }])];
  const xs = niceTicks(0, Math.max(1, ...all.map((p) => p.x)));
  const ys = all.length ? niceTicks(Math.min(...all.map((p) => p.y)), Math.max(...all.map((p) => p.y))) : [0, 1];
  const [x0, x1, y0, y1] = [xs[0], xs.at(-1)!, ys[0], ys.at(-1)!];
  const sx = (x: number) => (m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r)).toFixed(1);
  const sy = (y: number) => (H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b)).toFixed(1);
  const movingAverage = (pts: ChartPoint[]) => pts.map((p, i) => {
    const s = pts.slice(Math.max(0, i - win + 1), i + 1);
    return `${sx(p.x)},${sy(s.reduce((a, q) => a + q.y, 0) / s.length)}`;
  }).join(' ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(opts.title)}</text>`,
    ...finite.map((s, i) => `<text x="${W - m.r}" y="${32 + 14 * i}" text-anchor="end" fill="${s.color}">● ${escapeXml(s.label)} — ${escapeXml(opts.lineNote ?? `line: mean of the last ${win}`)}</text>`),
    ...ys.map((v) => `<line x1="${m.l}" x2="${W - m.r}" y1="${sy(v)}" y2="${sy(v)}" stroke="#eee"/><text x="${m.l - 6}" y="${(+sy(v) + 4).toFixed(1)}" text-anchor="end">${formatTick(v)}</text>`),
    ...xs.map((v) => `<text x="${sx(v)}" y="${H - m.b + 16}" text-anchor="middle">${formatTick(v)}</text>`),
    `<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/><line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#333"/>`,
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" text-anchor="middle">${escapeXml(opts.xLabel)}</text>`,
    `<text transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(opts.yLabel)}</text>`,
    ...finite.flatMap((s, i) => [
      ...(bands[i].length ? [`<polygon class="band" fill="${s.color}" fill-opacity="0.18" stroke="none" points="${[...bands[i].map((b) => `${sx(b.x)},${sy(b.hi)}`), ...[...bands[i]].reverse().map((b) => `${sx(b.x)},${sy(b.lo)}`)].join(' ')}"/>`] : []),
      ...s.points.map((p) => `<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="1.7" fill="${s.color}" fill-opacity="0.4"/>`),
      s.points.length ? `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${movingAverage(s.points)}"/>` : '',
    ]),
    '</svg>',
  ].join('\n') + '\n';
}
