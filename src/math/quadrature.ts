// 1-D integration (composite Gauss–Legendre, adaptive Simpson) and D_f(P‖Q) = ∫ q·f(p/q) between densities, either as
// functions on an interval or sampled on a common grid (any dimension; the caller supplies the cell area).
// Invariants: the integrand q·f(p/q) is evaluated through fTerm, which takes the correct limits where a density
// vanishes (p = 0: q·f(0+); q = 0: p·lim f(u)/u; both: 0), so a zero in either density never yields NaN.
// Integrals are over the interval given: mass outside it is the caller's to make negligible.
import { fAtZero, fSlopeAtInfinity } from './fdiv.ts';
import type { Divergence } from './types.ts';

export interface QuadratureRule {
  nodes: Float64Array;
  weights: Float64Array;
}

const RULES = new Map<number, QuadratureRule>();

/** n-point Gauss–Legendre nodes and weights on [−1, 1] (Newton on P_n from Chebyshev-like guesses; cached). */
export function gaussLegendreRule(n: number): QuadratureRule {
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new RangeError(`Gauss–Legendre order must be 1…200; got ${n}`);
  const cached = RULES.get(n);
  if (cached) return cached;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      // Three-term recurrence for P_n(x); P_n' from P_n and P_{n−1}.
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      const pn = n === 1 ? x : p1;
      const pn1 = n === 1 ? 1 : p0;
      dp = (n * (x * pn - pn1)) / (x * x - 1);
      const dx = pn / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    const w = 2 / ((1 - x * x) * dp * dp);
    nodes[i] = -x;
    nodes[n - 1 - i] = x;
    weights[i] = w;
    weights[n - 1 - i] = w;
  }
  if (n % 2 === 1) nodes[(n - 1) / 2] = 0;
  const rule = { nodes, weights };
  RULES.set(n, rule);
  return rule;
}

export interface GaussOptions {
  /** points per panel (default 16) */
  order?: number;
  /** equal panels on [a, b] (default 64) */
  panels?: number;
}

/** ∫_a^b fn by composite Gauss–Legendre; exact for polynomials of degree < 2·order on each panel. */
export function gaussLegendre(fn: (x: number) => number, a: number, b: number, opts: GaussOptions = {}): number {
  const { nodes, weights } = gaussLegendreRule(opts.order ?? 16);
  const panels = opts.panels ?? 64;
  const h = (b - a) / panels;
  let sum = 0;
  for (let k = 0; k < panels; k++) {
    const mid = a + (k + 0.5) * h;
    let s = 0;
    for (let i = 0; i < nodes.length; i++) s += weights[i] * fn(mid + 0.5 * h * nodes[i]);
    sum += 0.5 * h * s;
  }
  return sum;
}

/** ∫_a^b fn by adaptive Simpson with Richardson correction; `tol` is absolute over the whole interval. */
export function adaptiveSimpson(
  fn: (x: number) => number, a: number, b: number, opts: { tol?: number; maxDepth?: number } = {},
): number {
  const tol = opts.tol ?? 1e-10;
  const maxDepth = opts.maxDepth ?? 40;
  const fa = fn(a);
  const fb = fn(b);
  const m = 0.5 * (a + b);
  const fm = fn(m);
  const whole = ((b - a) / 6) * (fa + 4 * fm + fb);
  const step = (lo: number, hi: number, flo: number, fmid: number, fhi: number, s: number, eps: number, depth: number): number => {
    const mid = 0.5 * (lo + hi);
    const lm = 0.5 * (lo + mid);
    const rm = 0.5 * (mid + hi);
    const flm = fn(lm);
    const frm = fn(rm);
    const left = ((mid - lo) / 6) * (flo + 4 * flm + fmid);
    const right = ((hi - mid) / 6) * (fmid + 4 * frm + fhi);
    const diff = left + right - s;
    if (depth <= 0 || Math.abs(diff) <= 15 * eps) return left + right + diff / 15;
    return step(lo, mid, flo, flm, fmid, left, eps / 2, depth - 1) + step(mid, hi, fmid, frm, fhi, right, eps / 2, depth - 1);
  };
  return step(a, b, fa, fm, fb, whole, tol, maxDepth);
}

/** Density of N(mean, sd²). */
export function normalPdf(x: number, mean: number, sd: number): number {
  const z = (x - mean) / sd;
  return Math.exp(-0.5 * z * z) / (sd * Math.sqrt(2 * Math.PI));
}

/**
 * q·f(p/q) for densities p, q ≥ 0, with the limits where either vanishes. Where p/q overflows the term is taken as
 * its q → 0 limit p·f'(∞) (+∞ for KL-like rows), exactly as if q had underflowed to 0.
 */
export function fTerm(d: Divergence, p: number, q: number): number {
  if (!(p >= 0) || !(q >= 0)) return NaN;
  if (p === 0 && q === 0) return 0;
  if (p === 0) return q * fAtZero(d);
  if (q === 0) {
    const slope = fSlopeAtInfinity(d);
    return slope === 0 ? 0 : p * slope;
  }
  const u = p / q;
  if (u === Infinity) return fTerm(d, p, 0);
  return q * d.f.output(u);
}

/** D_f(P‖Q) = ∫_a^b q f(p/q) dx for two 1-D densities, by composite Gauss–Legendre. */
export function fDivergence1D(
  d: Divergence, p: (x: number) => number, q: (x: number) => number, a: number, b: number, opts: GaussOptions = {},
): number {
  return gaussLegendre((x) => fTerm(d, p(x), q(x)), a, b, { order: opts.order ?? 16, panels: opts.panels ?? 200 });
}

/**
 * D_f(P‖Q) ≈ Σ q_i f(p_i/q_i)·cellArea for densities sampled at the same cell centres (a 2-D grid flattened in any
 * order, or any dimension). With cellArea = 1 and probability vectors it is the exact discrete D_f.
 */
export function fDivergenceGrid(d: Divergence, p: ArrayLike<number>, q: ArrayLike<number>, cellArea: number): number {
  if (p.length !== q.length) throw new RangeError(`fDivergenceGrid: p has ${p.length} cells, q has ${q.length}`);
  if (!(cellArea > 0)) throw new RangeError(`fDivergenceGrid: cellArea must be > 0; got ${cellArea}`);
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += fTerm(d, p[i], q[i]);
  return sum * cellArea;
}
