// Canvas drawing of the field view's layers (samples, gradient arrows, noise grid, modes). Pure drawing: callers
// pass resolved colours (a canvas cannot read CSS variables) and the data → pixel scales. Each layer is one path and
// one fill or stroke, so 512 dots or arrows cost one draw call, not 512.
import type { Coverage } from '../../src/math/coverage.ts';
import type { Modes } from '../../src/math/targets.ts';
import { FIELD } from '../ui/theme.ts';

type Scale = (v: number) => number;

/** Half-width of the field's colour range: the 95th percentile of |value − centre|, so a few extreme cells do not
 * wash out the rest, and never below a floor, so a critic that cannot tell P from Q yet (all values at the
 * threshold, up to rounding) stays neutral instead of showing amplified noise. */
export function robustSpread(values: Float32Array, center: number): number {
  const dev = new Float32Array(values.length);
  let m = 0;
  for (const v of values) if (Number.isFinite(v)) dev[m++] = Math.abs(v - center);
  if (m === 0) return FIELD.minSpread;
  const sorted = dev.subarray(0, m).sort();
  return Math.max(FIELD.minSpread, sorted[Math.min(m - 1, Math.floor(0.95 * m))]);
}

/** Filled discs at interleaved x,y points; with `halo`, each disc sits on a slightly larger disc of that colour
 * so it stays visible over a field tinted in its own colour. */
export function drawDots(ctx: CanvasRenderingContext2D, xy: ArrayLike<number>, sx: Scale, sy: Scale, r: number,
  color: string, halo?: string): void {
  const disc = (radius: number) => {
    ctx.beginPath();
    for (let i = 0; i + 1 < xy.length; i += 2) {
      const x = sx(xy[i]), y = sy(xy[i + 1]);
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      ctx.moveTo(x + radius, y);
      ctx.arc(x, y, radius, 0, 2 * Math.PI);
    }
    ctx.fill();
  };
  if (halo) {
    ctx.fillStyle = halo;
    disc(r + 1);
  }
  ctx.fillStyle = color;
  disc(r);
}

/** Hollow circles (points the reader drew). */
export function drawRings(ctx: CanvasRenderingContext2D, points: readonly (readonly [number, number])[], sx: Scale,
  sy: Scale, r: number, color: string): void {
  ctx.beginPath();
  for (const [px, py] of points) {
    ctx.moveTo(sx(px) + r, sy(py));
    ctx.arc(sx(px), sy(py), r, 0, 2 * Math.PI);
  }
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = color;
  ctx.stroke();
}

/** The keyboard cursor for drawing a target: a small crosshair. */
export function drawCrosshair(ctx: CanvasRenderingContext2D, x: number, y: number, color: string): void {
  const r = 7;
  ctx.beginPath();
  ctx.moveTo(x - r, y);
  ctx.lineTo(x + r, y);
  ctx.moveTo(x, y - r);
  ctx.lineTo(x, y + r);
  ctx.lineWidth = 2;
  ctx.strokeStyle = color;
  ctx.stroke();
}

/** Where the generator's objective would move each sample. Arrow length is |∇| over a robust maximum (the 90th
 * percentile of the drawn arrows), capped at one, times a fixed fraction of the panel: the directions and the
 * relative sizes within a frame are what matter; the absolute size changes by orders of magnitude over a run. */
export function drawArrows(ctx: CanvasRenderingContext2D, samples: Float32Array, grads: Float32Array, sx: Scale,
  sy: Scale, size: number, color: string): void {
  const n = Math.min(samples.length, grads.length) >> 1;
  const stride = Math.max(1, Math.round(n / Math.min(FIELD.maxArrows, Math.max(FIELD.minArrows, size / 3))));
  const norms: number[] = [];
  for (let i = 0; i < n; i += stride) {
    const g = Math.hypot(grads[2 * i], grads[2 * i + 1]);
    if (Number.isFinite(g)) norms.push(g);
  }
  if (!norms.length) return;
  const robust = norms.slice().sort((a, b) => a - b)[Math.floor(0.9 * (norms.length - 1))];
  if (!(robust > 1e-12)) return;
  const full = Math.max(FIELD.arrowMinPx, FIELD.arrowFraction * size);
  const head = Math.max(2.5, full * 0.28);
  ctx.beginPath();
  for (let i = 0; i < n; i += stride) {
    const gx = grads[2 * i], gy = grads[2 * i + 1];
    const g = Math.hypot(gx, gy);
    if (!Number.isFinite(g) || g === 0) continue;
    const len = full * Math.min(1, g / robust);
    if (len < 1.5) continue;
    // screen y points down, data y up
    const ux = gx / g, uy = -gy / g;
    const x0 = sx(samples[2 * i]), y0 = sy(samples[2 * i + 1]);
    const x1 = x0 + ux * len, y1 = y0 + uy * len;
    const h = Math.min(head, len * 0.6);
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.moveTo(x1 - h * (ux - 0.5 * uy), y1 - h * (uy + 0.5 * ux));
    ctx.lineTo(x1, y1);
    ctx.lineTo(x1 - h * (ux + 0.5 * uy), y1 - h * (uy - 0.5 * ux));
  }
  ctx.lineWidth = 1.1;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = color;
  ctx.stroke();
}

/** The images under G of the noise grid's lines (lines × points × 2), broken where a point is not finite. */
export function drawGrid(ctx: CanvasRenderingContext2D, grid: { lines: number; points: number; data: Float32Array },
  sx: Scale, sy: Scale, color: string): void {
  const { lines, points, data } = grid;
  ctx.beginPath();
  for (let l = 0; l < lines; l++) {
    let pen = false;
    for (let j = 0; j < points; j++) {
      const o = 2 * (l * points + j);
      const x = sx(data[o]), y = sy(data[o + 1]);
      if (!Number.isFinite(x) || !Number.isFinite(y)) { pen = false; continue; }
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    }
  }
  ctx.lineWidth = 0.9;
  ctx.strokeStyle = color;
  ctx.stroke();
}

/** A 3σ circle around each mode of a ring or grid target: solid when the generator covers it, dotted when not. */
export function drawModes(ctx: CanvasRenderingContext2D, modes: Modes, coverage: Coverage | null, sx: Scale, sy: Scale,
  covered: string, missed: string, samples: number): void {
  const r = Math.abs(sx(3 * modes.sigma) - sx(0));
  for (const hit of [true, false]) {
    ctx.beginPath();
    modes.centres.forEach(([cx, cy], k) => {
      const isHit = coverage !== null && coverage.counts[k] > 0 && coverage.counts[k] >= coverage.minShare * samples;
      if (isHit !== hit) return;
      ctx.moveTo(sx(cx) + r, sy(cy));
      ctx.arc(sx(cx), sy(cy), r, 0, 2 * Math.PI);
    });
    ctx.setLineDash(hit ? [] : [2, 3]);
    ctx.lineWidth = hit ? 1.4 : 1;
    ctx.strokeStyle = hit ? covered : missed;
    ctx.stroke();
  }
  ctx.setLineDash([]);
}
