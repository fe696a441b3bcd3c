// "Does the critic overestimate?" as a standalone SVG: per episode, the critic's mean Q(s_t, a_t) over the
// states it visited against the discounted return G_t that actually followed (src/rl/introspection.ts).
// Dots are episodes, lines their moving averages; a Q line above the return line is overestimation.
export interface QReturnPoint { step: number; q: number; ret: number }

export function qVsReturnSvg(points: QReturnPoint[], opts: { title: string; window?: number; width?: number; height?: number }): string {
  const W = opts.width ?? 640, H = opts.height ?? 360, m = { l: 64, r: 16, t: 32, b: 44 };
  const win = opts.window ?? 10;
  const pts = points.filter((p) => Number.isFinite(p.q) && Number.isFinite(p.ret));
  const values = pts.flatMap((p) => [p.q, p.ret]);
  const x1 = Math.max(1, ...pts.map((p) => p.step));
  let y0 = Math.min(0, ...values), y1 = Math.max(...values, y0 + 1);
  const pad = (y1 - y0) * 0.05; y0 -= pad; y1 += pad;
  const sx = (x: number) => (m.l + (x / x1) * (W - m.l - m.r)).toFixed(1);
  const sy = (y: number) => (H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b)).toFixed(1);
  const movingAverage = (key: 'q' | 'ret') => pts.map((p, i) => {
    const s = pts.slice(Math.max(0, i - win + 1), i + 1);
    return `${sx(p.step)},${sy(s.reduce((a, v) => a + v[key], 0) / s.length)}`;
  }).join(' ');
  const ticks = (lo: number, hi: number) => Array.from({ length: 6 }, (_, i) => lo + ((hi - lo) * i) / 5);
  const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(3));
  const series = [
    { key: 'q' as const, color: '#c33', label: 'critic: mean Q(s, a) on the episode' },
    { key: 'ret' as const, color: '#36c', label: 'actual discounted return G' },
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(opts.title)}</text>`,
    ...ticks(y0, y1).map((v) => `<line x1="${m.l}" x2="${W - m.r}" y1="${sy(v)}" y2="${sy(v)}" stroke="#eee"/><text x="${m.l - 6}" y="${(+sy(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`),
    ...ticks(0, x1).map((v) => `<text x="${sx(v)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(v)}</text>`),
    `<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/><line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#333"/>`,
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" text-anchor="middle">environment steps</text>`,
    `<text transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">value (first half of each episode)</text>`,
    ...series.flatMap((s, i) => [
      ...pts.map((p) => `<circle cx="${sx(p.step)}" cy="${sy(p[s.key])}" r="1.6" fill="${s.color}" fill-opacity="0.35"/>`),
      pts.length ? `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${movingAverage(s.key)}"/>` : '',
      `<text x="${W - m.r}" y="${m.t + 12 + 14 * i}" text-anchor="end" fill="${s.color}">${s.label} (mean of last ${win})</text>`,
    ]),
    '</svg>',
  ].join('\n') + '\n';
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** The points of metrics.csv rows (without header) whose header has step, q_episode and disc_return columns. */
export function pointsFromMetrics(header: string, rows: readonly string[]): QReturnPoint[] {
  const cols = header.split(',');
  const [iStep, iQ, iG] = ['step', 'q_episode', 'disc_return'].map((c) => cols.indexOf(c));
  if (iStep < 0 || iQ < 0 || iG < 0) return [];
  const num = (s: string | undefined) => (s === undefined || s === '' ? NaN : Number(s));
  return rows.map((r) => { const c = r.split(','); return { step: num(c[iStep]), q: num(c[iQ]), ret: num(c[iG]) }; });
}
