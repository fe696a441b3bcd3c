// A small canvas plot of episode returns: one dot per episode and the mean of the last 10 as a line,
// with y ticks and a dashed target line. The defaults are Pendulum-v1's: returns in about [−1700, 0], a
// tick every 400, the line at −200 (a swing-up that holds the pendulum upright scores above it); the
// MuJoCo page passes its task's.
import { fitCanvas } from './draw-pendulum.js';

const PAD = { left: 52, right: 12, top: 12, bottom: 30 };

/** The y range always shown (widened to fit the returns), the tick spacing and the dashed target line. */
export interface ReturnAxis { lo: number; hi: number; tick: number; target: number }
export const PENDULUM_AXIS: ReturnAxis = { lo: -1700, hi: 0, tick: 400, target: -200 };

export function drawReturns(canvas: HTMLCanvasElement, returns: readonly number[], axis: ReturnAxis = PENDULUM_AXIS): void {
  const ctx = fitCanvas(canvas);
  const w = canvas.clientWidth, h = canvas.clientHeight;
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  const pw = w - PAD.left - PAD.right, ph = h - PAD.top - PAD.bottom;
  let lo = axis.lo, hi = axis.hi;
  for (const r of returns) { lo = Math.min(lo, r); hi = Math.max(hi, r); }
  const n = Math.max(returns.length, 10);
  const X = (i: number) => PAD.left + (pw * (i + 0.5)) / n;
  const Y = (v: number) => PAD.top + (ph * (hi - v)) / (hi - lo);

  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#666';
  ctx.strokeStyle = '#eee';
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let v = Math.floor(hi / axis.tick) * axis.tick; v >= lo; v -= axis.tick) {
    ctx.beginPath(); ctx.moveTo(PAD.left, Y(v)); ctx.lineTo(w - PAD.right, Y(v)); ctx.stroke();
    ctx.fillText(String(v), PAD.left - 6, Y(v));
  }
  ctx.strokeStyle = '#9c9';
  ctx.setLineDash([4, 4]);
  ctx.beginPath(); ctx.moveTo(PAD.left, Y(axis.target)); ctx.lineTo(w - PAD.right, Y(axis.target)); ctx.stroke();
  ctx.setLineDash([]);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText(`episode (${returns.length})`, PAD.left + pw / 2, h - PAD.bottom + 12);
  ctx.strokeStyle = '#999';
  ctx.strokeRect(PAD.left, PAD.top, pw, ph);

  ctx.fillStyle = 'rgba(60, 110, 200, 0.55)';
  returns.forEach((r, i) => { ctx.beginPath(); ctx.arc(X(i), Y(r), 2.2, 0, 2 * Math.PI); ctx.fill(); });
  if (returns.length > 1) {
    ctx.strokeStyle = '#1f4fa8';
    ctx.lineWidth = 2;
    ctx.beginPath();
    let sum = 0;
    returns.forEach((r, i) => {
      sum += r - (i >= 10 ? returns[i - 10] : 0);
      const mean = sum / Math.min(i + 1, 10);
      if (i === 0) ctx.moveTo(X(i), Y(mean)); else ctx.lineTo(X(i), Y(mean));
    });
    ctx.stroke();
  }
}
