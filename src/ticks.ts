// Round axis ticks for the charts (the run folder's SVGs, src/cli/svg-chart.ts, and the demo pages' plots):
// steps of 1, 2 or 5 × 10ᵏ spanning the data and no more, and short labels for them.
/** Round tick values covering [lo, hi]: about `count` steps of 1, 2 or 5 × 10ᵏ, from a multiple of the step at
 *  or below lo to one at or above hi. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) { const d = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1; lo -= d; hi += d; }
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const first = Math.floor(lo / step) * step, last = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = first; v <= last + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** A tick's label: 0, 2.5, −1.5k, 3e-4. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(0);
  if (a >= 1000) return `${(v / 1000).toPrecision(3).replace(/\.?0+$/, '')}k`;
  return String(Number(v.toPrecision(3)));
}

