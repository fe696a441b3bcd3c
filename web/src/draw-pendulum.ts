// Draws Pendulum-v1 on a canvas the way Gymnasium renders it: θ = 0 is upright, positive θ turns
// counter-clockwise; an arc arrow around the pivot shows the applied torque (length ∝ |torque| / 2).
export function drawPendulum(canvas: HTMLCanvasElement, theta: number, torque: number): void {
  const ctx = fitCanvas(canvas);
  const w = canvas.clientWidth, h = canvas.clientHeight;
  const cx = w / 2, cy = h / 2, len = Math.min(w, h) * 0.36;
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#fbfbf8';
  ctx.fillRect(0, 0, w, h);

  // Upright target, dashed.
  ctx.strokeStyle = '#d0d0c8';
  ctx.setLineDash([5, 6]);
  ctx.lineWidth = 1.5;
  ctx.beginPath(); ctx.moveTo(cx, cy); ctx.lineTo(cx, cy - len - 14); ctx.stroke();
  ctx.setLineDash([]);

  // Torque arc: counter-clockwise for positive torque, up to 3/4 of a turn at the ±2 limit.
  const t = Math.max(-1, Math.min(1, torque / 2));
  if (Math.abs(t) > 0.01) {
    const r = len * 0.32, start = -Math.PI / 2, sweep = -t * 1.5 * Math.PI;
    ctx.strokeStyle = '#333';
    ctx.lineWidth = 3;
    ctx.beginPath(); ctx.arc(cx, cy, r, start, start + sweep, sweep < 0); ctx.stroke();
    const end = start + sweep, dir = Math.sign(sweep);
    const ex = cx + r * Math.cos(end), ey = cy + r * Math.sin(end);
    const tx = -Math.sin(end) * dir, ty = Math.cos(end) * dir; // tangent in the direction of travel
    ctx.fillStyle = '#333';
    ctx.beginPath();
    ctx.moveTo(ex + tx * 9, ey + ty * 9);
    ctx.lineTo(ex - tx * 3 + Math.cos(end) * 6, ey - ty * 3 + Math.sin(end) * 6);
    ctx.lineTo(ex - tx * 3 - Math.cos(end) * 6, ey - ty * 3 - Math.sin(end) * 6);
    ctx.fill();
  }

  // Rod and bob: the tip is at (−sin θ, cos θ) in y-up coordinates.
  const x = cx - len * Math.sin(theta), y = cy - len * Math.cos(theta);
  ctx.strokeStyle = '#cc4d4d';
  ctx.lineWidth = len * 0.2;
  ctx.lineCap = 'round';
  ctx.beginPath(); ctx.moveTo(cx, cy); ctx.lineTo(x, y); ctx.stroke();
  ctx.fillStyle = '#222';
  ctx.beginPath(); ctx.arc(cx, cy, len * 0.05, 0, 2 * Math.PI); ctx.fill();
}

/** Sizes the canvas backing store to its CSS size × devicePixelRatio; returns a context in CSS pixels. */
export function fitCanvas(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const dpr = globalThis.devicePixelRatio || 1;
  const w = Math.round(canvas.clientWidth * dpr), h = Math.round(canvas.clientHeight * dpr);
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gives no 2D canvas context');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}
