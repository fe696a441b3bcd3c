// A small canvas plot of episode returns: one dot per episode, the mean of the last 10 as a line and a dashed
// target line, with round ticks on both axes (src/ticks.ts, the same as the run folder's SVG charts) and a
// legend above the plot. The default axis is Pendulum-v1's: returns in about [−1700, 0], the target at −200
// (a swing-up that holds the pendulum upright scores above it); the MuJoCo page passes its task's.
import { formatTick, niceTicks } from '../../src/ticks.js';
import { fitCanvas } from './draw-pendulum.js';

const PAD = { left: 52, right: 12, top: 26, bottom: 34 };
const DOT = 'rgba(60, 110, 200, 0.55)', MEAN = '#1f4fa8', TARGET = '#5a5';

/** The y range always shown (widened to fit the returns) and the dashed target line, drawn when in range. */
export interface ReturnAxis { lo: number; hi: number; target: number }
export const PENDULUM_AXIS: ReturnAxis = { lo: -1700, hi: 0, target: -200 };

export function drawReturns(canvas: HTMLCanvasElement, returns: readonly number[], axis: ReturnAxis = PENDULUM_AXIS): void {
  const ctx = fitCanvas(canvas);
  const w = canvas.clientWidth, h = canvas.clientHeight;
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  const pw = w - PAD.left - PAD.right, ph = h - PAD.top - PAD.bottom;
  let lo = axis.lo, hi = axis.hi;
  for (const r of returns) { lo = Math.min(lo, r); hi = Math.max(hi, r); }
  const yTicks = niceTicks(lo, hi, 4);
  lo = yTicks[0]; hi = yTicks[yTicks.length - 1];
  const n = Math.max(returns.length, 10);
  const X = (episode: number) => PAD.left + (pw * episode) / n; // episode 1 … n, at the right edge for n
  const Y = (v: number) => PAD.top + (ph * (hi - v)) / (hi - lo);

  ctx.font = '11px system-ui, sans-serif';
  ctx.lineWidth = 1;
  ctx.fillStyle = '#666';
  ctx.strokeStyle = '#eee';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of yTicks) {
    ctx.beginPath(); ctx.moveTo(PAD.left, Y(v)); ctx.lineTo(w - PAD.right, Y(v)); ctx.stroke();
    ctx.fillText(formatTick(v), PAD.left - 6, Y(v));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const e of niceTicks(0, n, 5).filter((e) => e <= n)) ctx.fillText(formatTick(e), X(e), h - PAD.bottom + 4);
  ctx.fillText('episode', PAD.left + pw / 2, h - PAD.bottom + 18);
  ctx.save();
  ctx.translate(11, PAD.top + ph / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText('episode return', 0, 0);
  ctx.restore();

  const targetShown = axis.target >= lo && axis.target <= hi; // drawn once the returns come near it
  if (targetShown) {
    ctx.strokeStyle = TARGET;
    ctx.setLineDash([4, 4]);
    ctx.beginPath(); ctx.moveTo(PAD.left, Y(axis.target)); ctx.lineTo(w - PAD.right, Y(axis.target)); ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.strokeStyle = '#999';
  ctx.strokeRect(PAD.left, PAD.top, pw, ph);
  drawLegend(ctx, PAD.left, PAD.top / 2, targetShown);

  ctx.fillStyle = DOT;
  returns.forEach((r, i) => { ctx.beginPath(); ctx.arc(X(i + 1), Y(r), 2.2, 0, 2 * Math.PI); ctx.fill(); });
  if (returns.length > 1) {
    ctx.strokeStyle = MEAN;
    ctx.lineWidth = 2;
    ctx.beginPath();
    let sum = 0;
    returns.forEach((r, i) => {
      sum += r - (i >= 10 ? returns[i - 10] : 0);
      const mean = sum / Math.min(i + 1, 10);
      if (i === 0) ctx.moveTo(X(i + 1), Y(mean)); else ctx.lineTo(X(i + 1), Y(mean));
    });
    ctx.stroke();
  }
}

/** One row above the plot: ● episode   ─ mean of last 10   ┄ target. */
function drawLegend(ctx: CanvasRenderingContext2D, x: number, y: number, withTarget: boolean): void {
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = DOT;
  ctx.beginPath(); ctx.arc(x + 4, y, 3, 0, 2 * Math.PI); ctx.fill();
  ctx.fillStyle = '#444';
  ctx.fillText('episode', x + 12, y);
  x += 12 + ctx.measureText('episode').width + 16;
  ctx.strokeStyle = MEAN; ctx.lineWidth = 2;
  ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + 18, y); ctx.stroke();
  ctx.fillText('mean of last 10', x + 24, y);
  if (!withTarget) return;
  x += 24 + ctx.measureText('mean of last 10').width + 16;
  ctx.strokeStyle = TARGET; ctx.lineWidth = 1; ctx.setLineDash([4, 4]);
  ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + 18, y); ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillText('target', x + 24, y);
}
