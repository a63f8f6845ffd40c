// Sampling helpers for the conjugate plots: curves become polylines, y domains ignore infinities and blow-ups.

export type Point = [number, number];

export function sampleCurve(fn: (x: number) => number, lo: number, hi: number, n = 200, geometric = false): Point[] {
  const pts: Point[] = [];
  for (let i = 0; i <= n; i++) {
    const x = geometric ? lo * Math.pow(hi / lo, i / n) : lo + ((hi - lo) * i) / n;
    pts.push([x, fn(x)]);
  }
  return pts;
}

/** y range of the finite points, padded, always including `include` values. */
export function yExtent(points: Point[], include: number[] = [], pad = 0.08): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const y of [...points.map((p) => p[1]), ...include]) {
    if (Number.isFinite(y)) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
  }
  if (lo > hi) return [-1, 1];
  if (hi - lo < 1e-9) return [lo - 1, hi + 1];
  const d = (hi - lo) * pad;
  return [lo - d, hi + d];
}

/** SVG path of a polyline, breaking at non-finite points. */
export function pathOf(points: Point[], sx: (x: number) => number, sy: (y: number) => number): string {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(y)) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
    pen = true;
  }
  return d;
}

export function fmt(x: number, digits = 3): string {
  if (x === Infinity) return '+∞';
  if (x === -Infinity) return '−∞';
  if (Number.isNaN(x)) return '—';
  const s = Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toFixed(digits);
  return s.replace('-', '−');
}
