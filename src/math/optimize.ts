// Small numeric helpers for 1-D and low-dimensional problems: golden-section maximisation of a concave function
// (used to check f(u) = sup_t {t·u − f*(t)} independently of any derivative), a supremum over a possibly unbounded,
// possibly open interval, Nelder–Mead for fitting a few parameters, bisection, linspace.
// Invariants: pure functions, no allocation beyond small arrays; NaN from the objective counts as "worst"
// (−∞ when maximising, +∞ when minimising), so objectives may return NaN/±∞ outside their domain.
import type { Interval } from './types.ts';

const INV_PHI = (Math.sqrt(5) - 1) / 2;

export interface ScalarOptimum {
  x: number;
  value: number;
  iterations: number;
}

export interface VectorOptimum {
  x: number[];
  value: number;
  iterations: number;
}

function orMinusInf(v: number): number {
  return Number.isNaN(v) ? -Infinity : v;
}

function orPlusInf(v: number): number {
  return Number.isNaN(v) ? Infinity : v;
}

/**
 * Maximum of a unimodal (e.g. concave) function on the closed interval [lo, hi] by golden-section search.
 * The end points are evaluated too, so a maximum sitting on an end is found exactly.
 */
export function goldenSectionMax(
  fn: (x: number) => number, lo: number, hi: number, opts: { tol?: number; maxIter?: number } = {},
): ScalarOptimum {
  if (!(lo <= hi)) throw new RangeError(`goldenSectionMax: need lo ≤ hi, got [${lo}, ${hi}]`);
  const tol = opts.tol ?? 1e-12;
  const maxIter = opts.maxIter ?? 500;
  let a = lo;
  let b = hi;
  let c = b - INV_PHI * (b - a);
  let d = a + INV_PHI * (b - a);
  let fc = orMinusInf(fn(c));
  let fd = orMinusInf(fn(d));
  let iterations = 0;
  while (b - a > tol * Math.max(1, Math.abs(a) + Math.abs(b)) && iterations < maxIter) {
    iterations++;
    if (fc >= fd) {
      b = d; d = c; fd = fc;
      c = b - INV_PHI * (b - a);
      fc = orMinusInf(fn(c));
    } else {
      a = c; c = d; fc = fd;
      d = a + INV_PHI * (b - a);
      fd = orMinusInf(fn(d));
    }
  }
  let best: ScalarOptimum = fc >= fd ? { x: c, value: fc, iterations } : { x: d, value: fd, iterations };
  for (const x of [lo, hi]) {
    const v = orMinusInf(fn(x));
    if (v > best.value) best = { x, value: v, iterations };
  }
  return best;
}

/**
 * Supremum of a concave function over an interval. Infinite ends are cut at ±bound; open ends are moved inside by a
 * relative `inset`, since the function may be +∞ or undefined exactly there. Precise only when the maximiser lies
 * within the cut interval; a supremum approached at an open end is returned as its limit up to the inset.
 */
export function supOnInterval(
  fn: (x: number) => number, iv: Interval, opts: { bound?: number; inset?: number; tol?: number } = {},
): ScalarOptimum {
  const bound = opts.bound ?? 1e3;
  const inset = opts.inset ?? 1e-12;
  let lo = Math.max(iv.lo, -bound);
  let hi = Math.min(iv.hi, bound);
  if (iv.loOpen && lo === iv.lo) lo += inset * Math.max(1, Math.abs(lo));
  if (iv.hiOpen && hi === iv.hi) hi -= inset * Math.max(1, Math.abs(hi));
  return goldenSectionMax(fn, lo, hi, { tol: opts.tol });
}

/** Root of a continuous function with a sign change on [lo, hi], by bisection to full precision. */
export function bisect(fn: (x: number) => number, lo: number, hi: number, maxIter = 200): number {
  let flo = fn(lo);
  const fhi = fn(hi);
  if (flo === 0) return lo;
  if (fhi === 0) return hi;
  if (Math.sign(flo) === Math.sign(fhi)) throw new RangeError('bisect: no sign change on the interval');
  let a = lo;
  let b = hi;
  for (let i = 0; i < maxIter; i++) {
    const m = 0.5 * (a + b);
    if (m === a || m === b) break;
    const fm = fn(m);
    if (fm === 0) return m;
    if (Math.sign(fm) === Math.sign(flo)) { a = m; flo = fm; } else { b = m; }
  }
  return 0.5 * (a + b);
}

/**
 * Nelder–Mead minimisation (standard coefficients 1, 2, ½, ½). Stops when the simplex's value spread falls below
 * `tol` (absolute, plus relative to the best value) and its size below `xtol`, or after maxIter iterations.
 */
export function nelderMead(
  fn: (x: number[]) => number, x0: number[],
  opts: { step?: number | number[]; tol?: number; xtol?: number; maxIter?: number } = {},
): VectorOptimum {
  const n = x0.length;
  const tol = opts.tol ?? 1e-12;
  const xtol = opts.xtol ?? 1e-9;
  const maxIter = opts.maxIter ?? 2000 * Math.max(1, n);
  const steps = Array.isArray(opts.step) ? opts.step : new Array<number>(n).fill(opts.step ?? 0.5);
  const evaluate = (x: number[]) => orPlusInf(fn(x));
  let simplex: { x: number[]; v: number }[] = [{ x: x0.slice(), v: evaluate(x0) }];
  for (let i = 0; i < n; i++) {
    const x = x0.slice();
    x[i] += steps[i] || 0.5;
    simplex.push({ x, v: evaluate(x) });
  }
  const along = (from: number[], to: number[], c: number) => from.map((fi, i) => fi + c * (to[i] - fi));
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    simplex.sort((p, q) => p.v - q.v);
    const best = simplex[0];
    const worst = simplex[n];
    const spread = worst.v - best.v;
    let size = 0;
    for (const p of simplex) for (let i = 0; i < n; i++) size = Math.max(size, Math.abs(p.x[i] - best.x[i]));
    if (spread <= tol * (1 + Math.abs(best.v)) && size <= xtol * (1 + Math.max(...best.x.map(Math.abs)))) break;
    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i] += simplex[k].x[i] / n;
    const xr = along(centroid, worst.x, -1);
    const vr = evaluate(xr);
    if (vr < best.v) {
      const xe = along(centroid, worst.x, -2);
      const ve = evaluate(xe);
      simplex[n] = ve < vr ? { x: xe, v: ve } : { x: xr, v: vr };
    } else if (vr < simplex[n - 1].v) {
      simplex[n] = { x: xr, v: vr };
    } else {
      // Contract towards the better of the worst point and its reflection; if that fails too, shrink to the best.
      const outside = vr < worst.v;
      const xc = along(centroid, outside ? xr : worst.x, 0.5);
      const vc = evaluate(xc);
      if (vc < (outside ? vr : worst.v)) {
        simplex[n] = { x: xc, v: vc };
      } else {
        simplex = simplex.map((p, k) => {
          if (k === 0) return p;
          const x = along(best.x, p.x, 0.5);
          return { x, v: evaluate(x) };
        });
      }
    }
  }
  simplex.sort((p, q) => p.v - q.v);
  return { x: simplex[0].x, value: simplex[0].v, iterations };
}

/** n evenly spaced points from a to b inclusive (n ≥ 2), or [a] when n = 1. */
export function linspace(a: number, b: number, n: number): number[] {
  if (n <= 1) return [a];
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? b : a + ((b - a) * i) / (n - 1)));
}
