// Draws a planar MuJoCo model in 2D from MuJoCo's own data, no 3D library: per geom its world position
// (geom_xpos), orientation (geom_xmat, row-major 3×3: column k is the geom's local axis k in world
// coordinates) and, from the model, its type and size, projected onto the x–z plane (the models move in
// it; y points into the screen). Capsules are thick lines between the ends ± half-length along the local
// z axis with round caps (cylinders: flat caps), boxes rotated rectangles (the hull of their projected
// corners), spheres circles, ellipsoids ellipses, planes a ground line. The camera looks at a fixed
// point or follows the x of one geom (the root body's, for a runner).
import { fitCanvas } from './draw-pendulum.js';
import { GEOM_STRIDE, type Scene } from './mujoco-protocol.js';

// mjtGeom values (MuJoCo's mjGEOM_*).
const PLANE = 0, SPHERE = 2, CAPSULE = 3, ELLIPSOID = 4, CYLINDER = 5, BOX = 6;

/** Where the camera looks: the world point (x, z) at the canvas centre and the metres shown top to bottom. */
export interface View {
  x: number;
  z: number;
  height: number;
  /** Follow the scene's root geom in x (the ground scrolls, with a tick every metre). */
  follow: boolean;
  /** A dashed horizontal line, e.g. InvertedDoublePendulum's termination height. */
  guide?: { z: number; label: string };
}

export interface Overlay {
  /** The action being applied, each entry in [−1, 1] (drawn as bars in the corner). */
  action?: readonly number[];
  text?: string;
}

const css = (rgba: Float32Array, i: number, shade = 1) =>
  `rgba(${Math.round(255 * shade * rgba[4 * i])}, ${Math.round(255 * shade * rgba[4 * i + 1])}, ${Math.round(255 * shade * rgba[4 * i + 2])}, ${rgba[4 * i + 3]})`;

export function drawPlanar(canvas: HTMLCanvasElement, scene: Scene, geoms: Float32Array, view: View, overlay: Overlay = {}): void {
  const ctx = fitCanvas(canvas);
  const w = canvas.clientWidth, h = canvas.clientHeight;
  const s = h / view.height;
  const cx = view.follow && scene.root >= 0 ? geoms[GEOM_STRIDE * scene.root] : view.x;
  const X = (x: number) => w / 2 + (x - cx) * s;
  const Y = (z: number) => h / 2 - (z - view.z) * s;
  ctx.fillStyle = '#fbfbf8';
  ctx.fillRect(0, 0, w, h);
  ctx.lineJoin = 'round';

  if (view.guide) {
    const y = Y(view.guide.z);
    ctx.strokeStyle = '#d9b3b3';
    ctx.lineWidth = 1;
    ctx.setLineDash([5, 6]);
    ctx.beginPath(); ctx.moveTo(0, y); ctx.lineTo(w, y); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#b08080';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    ctx.fillText(view.guide.label, w - 8, y - 3);
  }

  // Planes first (the ground), then the other geoms in model order.
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < scene.ngeom; i++) {
      const type = scene.types[i];
      if ((type === PLANE) !== (pass === 0)) continue;
      const o = GEOM_STRIDE * i;
      const px = geoms[o], pz = geoms[o + 2];
      const m = geoms.subarray(o + 3, o + 12);
      const size = scene.sizes.subarray(3 * i, 3 * i + 3);
      switch (type) {
        case PLANE: drawGround(ctx, Y(pz), w, h, view.follow ? { X, from: cx - w / (2 * s), to: cx + w / (2 * s) } : undefined, css(scene.rgba, i)); break;
        case CAPSULE: case CYLINDER: {
          // Ends: centre ± half-length × local z (column 2 of the rotation: m[2], m[5], m[8]).
          const ax = m[2] * size[1], az = m[8] * size[1];
          const x0 = X(px - ax), y0 = Y(pz - az), x1 = X(px + ax), y1 = Y(pz + az);
          ctx.lineCap = type === CAPSULE ? 'round' : 'butt';
          ctx.strokeStyle = css(scene.rgba, i, 0.6);
          ctx.lineWidth = 2 * size[0] * s + 2;
          ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
          ctx.strokeStyle = css(scene.rgba, i);
          ctx.lineWidth = Math.max(1, 2 * size[0] * s);
          ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
          break;
        }
        case SPHERE:
          fillOutlined(ctx, css(scene.rgba, i), css(scene.rgba, i, 0.6), () => ctx.arc(X(px), Y(pz), size[0] * s, 0, 2 * Math.PI));
          break;
        case ELLIPSOID: {
          // Axes x and z of the geom projected (a planar model turns them about y only).
          const angle = Math.atan2(-m[6], m[0]);
          fillOutlined(ctx, css(scene.rgba, i), css(scene.rgba, i, 0.6), () => ctx.ellipse(X(px), Y(pz), size[0] * s, size[2] * s, angle, 0, 2 * Math.PI));
          break;
        }
        case BOX: {
          const pts: [number, number][] = [];
          for (const a of [-1, 1]) for (const b of [-1, 1]) for (const c of [-1, 1]) {
            const x = px + a * size[0] * m[0] + b * size[1] * m[1] + c * size[2] * m[2];
            const z = pz + a * size[0] * m[6] + b * size[1] * m[7] + c * size[2] * m[8];
            pts.push([X(x), Y(z)]);
          }
          const hull = convexHull(pts);
          fillOutlined(ctx, css(scene.rgba, i), css(scene.rgba, i, 0.6), () => {
            hull.forEach(([x, y], k) => (k === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
            ctx.closePath();
          });
          break;
        }
        default: // meshes, height fields, …: a dot where the geom is
          fillOutlined(ctx, css(scene.rgba, i), css(scene.rgba, i, 0.6), () => ctx.arc(X(px), Y(pz), 3, 0, 2 * Math.PI));
      }
    }
  }
  ctx.lineCap = 'butt';
  if (overlay.action) drawAction(ctx, overlay.action, h);
  if (overlay.text) {
    ctx.fillStyle = '#555';
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'top';
    ctx.fillText(overlay.text, w - 10, 8);
  }
}

/** Linear interpolation of two frames' geoms (out = a + t·(b − a)): smooth motion between env steps. */
export function lerpGeoms(a: Float32Array, b: Float32Array, t: number, out: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = a[i] + t * (b[i] - a[i]);
  return out;
}

function fillOutlined(ctx: CanvasRenderingContext2D, fill: string, stroke: string, path: () => void): void {
  ctx.beginPath();
  path();
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.strokeStyle = stroke;
  ctx.lineWidth = 1;
  ctx.stroke();
}

function drawGround(ctx: CanvasRenderingContext2D, y: number, w: number, h: number,
  ticks: { X: (x: number) => number; from: number; to: number } | undefined, color: string): void {
  if (y > h) return; // below the view (InvertedDoublePendulum's floor is 3 m down)
  ctx.fillStyle = color;
  ctx.fillRect(0, y, w, h - y);
  ctx.strokeStyle = '#7a8a7a';
  ctx.lineWidth = 1.5;
  ctx.beginPath(); ctx.moveTo(0, y); ctx.lineTo(w, y); ctx.stroke();
  if (!ticks) return;
  ctx.fillStyle = '#5a6a5a';
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.lineWidth = 1;
  for (let m = Math.ceil(ticks.from); m <= ticks.to; m++) {
    const x = ticks.X(m);
    ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x, y + 6); ctx.stroke();
    ctx.fillText(`${m} m`, x, y + 8);
  }
}

function drawAction(ctx: CanvasRenderingContext2D, action: readonly number[], h: number): void {
  // One row per actuator: a bar from the centre, right for +, left for −, full length at ±1.
  const half = 36, row = 9, x0 = 12, cx = x0 + 44 + half, y0 = h - 12 - action.length * row;
  ctx.fillStyle = 'rgba(255, 255, 255, 0.75)';
  ctx.fillRect(x0 - 6, y0 - 6, 44 + 2 * half + 12, action.length * row + 10);
  ctx.fillStyle = '#666';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(action.length === 1 ? 'action' : 'actions', x0, y0 + (action.length * row) / 2 - 1);
  ctx.strokeStyle = '#ccc';
  ctx.lineWidth = 1;
  ctx.strokeRect(cx - half - 0.5, y0 - 1.5, 2 * half + 1, action.length * row + 1);
  ctx.beginPath(); ctx.moveTo(cx, y0 - 2); ctx.lineTo(cx, y0 + action.length * row); ctx.stroke();
  action.forEach((a, k) => {
    const v = Math.max(-1, Math.min(1, a)) * half;
    ctx.fillStyle = v >= 0 ? '#3a6fc4' : '#c4563a';
    ctx.fillRect(v >= 0 ? cx : cx + v, y0 + k * row, Math.abs(v), row - 2);
  });
}

/** Andrew's monotone chain: the convex hull of the points, counter-clockwise. */
function convexHull(points: [number, number][]): [number, number][] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: [number, number][] = [], upper: [number, number][] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop();
    lower.push(q);
  }
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], q) <= 0) upper.pop();
    upper.push(q);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}
