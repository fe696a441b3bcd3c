// A learning curve as a standalone SVG: episode returns (dots), their moving average (line), axes.
export interface CurvePoint { step: number; value: number }

export function curveSvg(points: CurvePoint[], opts: { title: string; window?: number; width?: number; height?: number }): string {
  const W = opts.width ?? 640, H = opts.height ?? 360, m = { l: 64, r: 16, t: 32, b: 44 };
  const win = opts.window ?? 10;
  const xs = points.map((p) => p.step), ys = points.map((p) => p.value);
  const x0 = 0, x1 = Math.max(1, ...xs);
  let y0 = Math.min(0, ...ys), y1 = Math.max(...ys, y0 + 1);
  const pad = (y1 - y0) * 0.05; y0 -= pad; y1 += pad;
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const avg = points.map((_, i) => {
    const s = points.slice(Math.max(0, i - win + 1), i + 1);
    return { step: points[i].step, value: s.reduce((a, p) => a + p.value, 0) / s.length };
  });
  const ticks = (lo: number, hi: number, n: number) => Array.from({ length: n + 1 }, (_, i) => lo + ((hi - lo) * i) / n);
  const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(3));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(opts.title)}</text>`,
    ...ticks(y0, y1, 5).map((v) => `<line x1="${m.l}" x2="${W - m.r}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" stroke="#eee"/><text x="${m.l - 6}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`),
    ...ticks(x0, x1, 5).map((v) => `<text x="${sx(v).toFixed(1)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(v)}</text>`),
    `<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/><line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#333"/>`,
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" text-anchor="middle">environment steps</text>`,
    `<text transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">episode return</text>`,
    ...points.map((p) => `<circle cx="${sx(p.step).toFixed(1)}" cy="${sy(p.value).toFixed(1)}" r="1.8" fill="#9ab"/>`),
    avg.length ? `<polyline fill="none" stroke="#c33" stroke-width="2" points="${avg.map((p) => `${sx(p.step).toFixed(1)},${sy(p.value).toFixed(1)}`).join(' ')}"/>` : '',
    `<text x="${W - m.r}" y="${m.t + 12}" text-anchor="end" fill="#c33">mean of last ${win} episodes</text>`,
    '</svg>',
  ];
  return parts.join('\n') + '\n';
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}
