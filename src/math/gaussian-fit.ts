// Fitting one Gaussian N(μ, σ²) to a 1-D Gaussian mixture P by direct minimisation of D_f(P‖N(μ, σ²)): the exact
// side of the f-GAN paper's experiment (Nowozin, Cseke, Tomioka 2016, Table 3, https://arxiv.org/abs/1606.00709;
// REFERENCE §1), against which the adversarially trained fit (src/models/gaussian-fit-trainer.ts) is compared.
// Invariants:
// - A mixture's weights are positive and sum to 1 (makeMixture normalises them); every sd is > 0.
// - divergenceToGaussian integrates q·f(p/q) in log space (L = log p − log q), so neither density underflowing nor
//   p/q overflowing turns a finite integrand into 0·∞; where |L| is too large for f(e^L) to be evaluated, the
//   row's exact growth at 0 or ∞ takes over. It is +∞ exactly when the tails make the integral diverge (Pearson χ²
//   for σ ≤ s_max/√2, Neyman χ² for σ ≥ √2·s_max, α > 1 for σ ≤ s_max·√((α−1)/α); s_max the widest component).
// - The quadrature is composite Gauss–Legendre on panels whose ends are laid out around every "feature" of the
//   integrand (each component, the Gaussian, and for power-growth rows the tilted Gaussians p^a·q^{1−a}) at
//   multiples of its sd out to 22 sd, so both modes and both tails are resolved whatever (μ, σ); TV's kinks (where
//   p = q) are panel ends too. Agrees with brute-force Simpson sums to ~1e-13 (tested to 1e-10).
// - fitGaussian minimises over (μ, log σ) from several starts and reports every distinct local minimum.
import { bisect, linspace, nelderMead } from './optimize.ts';
import { gaussLegendreRule } from './quadrature.ts';
import type { Rng } from './rng.ts';
import type { Divergence } from './types.ts';

export interface MixtureComponent {
  weight: number;
  mean: number;
  sd: number;
}

export interface Mixture1D {
  readonly components: readonly Readonly<MixtureComponent>[];
}

/** Validated copy with the weights normalised to sum 1. Throws RangeError on a non-positive weight or sd. */
export function makeMixture(components: readonly MixtureComponent[]): Mixture1D {
  if (components.length === 0) throw new RangeError('a mixture needs at least one component');
  for (const [i, c] of components.entries()) {
    if (!(c.weight > 0) || !Number.isFinite(c.weight)) throw new RangeError(`component ${i}: weight must be > 0, got ${c.weight}`);
    if (!(c.sd > 0) || !Number.isFinite(c.sd)) throw new RangeError(`component ${i}: sd must be > 0, got ${c.sd}`);
    if (!Number.isFinite(c.mean)) throw new RangeError(`component ${i}: mean must be finite, got ${c.mean}`);
  }
  const total = components.reduce((s, c) => s + c.weight, 0);
  return Object.freeze({
    components: Object.freeze(components.map((c) => Object.freeze({ weight: c.weight / total, mean: c.mean, sd: c.sd }))),
  });
}

/** The mixture of the paper's figures (REFERENCE §1): 0.33·N(−1, 0.255²) + 0.67·N(2, 1.415²). */
export const PAPER_MIXTURE: Mixture1D = makeMixture([
  { weight: 0.33, mean: -1, sd: 0.255 },
  { weight: 0.67, mean: 2, sd: 1.415 },
]);

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export function normalLogPdf(x: number, mean: number, sd: number): number {
  const z = (x - mean) / sd;
  return -0.5 * z * z - Math.log(sd) - LOG_SQRT_2PI;
}

/** log p(x) by log-sum-exp: finite wherever x is, however far out. */
export function mixtureLogDensity(m: Mixture1D, x: number): number {
  const cs = m.components;
  if (cs.length === 1) return normalLogPdf(x, cs[0].mean, cs[0].sd);
  let top = -Infinity;
  const terms = cs.map((c) => {
    const t = Math.log(c.weight) + normalLogPdf(x, c.mean, c.sd);
    if (t > top) top = t;
    return t;
  });
  let s = 0;
  for (const t of terms) s += Math.exp(t - top);
  return top + Math.log(s);
}

export function mixtureDensity(m: Mixture1D, x: number): number {
  return Math.exp(mixtureLogDensity(m, x));
}

export function mixtureMean(m: Mixture1D): number {
  return m.components.reduce((s, c) => s + c.weight * c.mean, 0);
}

export function mixtureStd(m: Mixture1D): number {
  const mean = mixtureMean(m);
  // law of total variance: E[Var] + Var[E]
  return Math.sqrt(m.components.reduce((s, c) => s + c.weight * (c.sd * c.sd + (c.mean - mean) ** 2), 0));
}

/** n draws from P into `out` (a fresh Float32Array by default): component by its weight, then its Gaussian. */
export function sampleMixture<T extends Float32Array | Float64Array = Float32Array>(
  m: Mixture1D, rng: Rng, n: number, out?: T,
): T {
  const buf = (out ?? new Float32Array(n)) as T;
  const cs = m.components;
  for (let i = 0; i < n; i++) {
    let u = rng.uniform();
    let k = 0;
    while (k < cs.length - 1 && u >= cs[k].weight) { u -= cs[k].weight; k++; }
    buf[i] = rng.normal(cs[k].mean, cs[k].sd);
  }
  return buf;
}

// ---- growth of f, which decides the tails -----------------------------------------------------------------------

interface Growth {
  /** f(u) grows like u^a as u → ∞; a > 1 only for Pearson χ² and α > 1 (else a = 1: at most u·log u) */
  a: number;
  /** f(u) grows like u^{−b} as u → 0; b > 0 only for Neyman χ², where f(u) ≈ 1/u (else at most −log u) */
  b: number;
}

/** The power growth of f that a pair of Gaussian tails may fail to integrate. Every other row grows at most like
 * u·log u at ∞ and −log u at 0, which q·f(p/q) turns into a Gaussian tail times a polynomial: always integrable. */
function growthOf(d: Divergence): Growth {
  const alpha = d.params.alpha;
  if (d.id === 'pearson') return { a: 2, b: 0 };
  if (d.id === 'alpha' && alpha > 1) return { a: alpha, b: 0 };
  if (d.id === 'neyman') return { a: 1, b: 1 };
  return { a: 1, b: 0 };
}

/** The open interval of σ on which D_f(P‖N(μ, σ²)) is finite (for every μ). In the far tails p ∝ e^{−x²/2s²} with
 * s the widest component's sd: q·(p/q)^a ∝ exp(−x²(a/s² + (1−a)/σ²)/2) needs a/s² > (a−1)/σ², and q·(q/p)^b needs
 * (1+b)/σ² > b/s². */
export function finiteSigmaRange(d: Divergence, m: Mixture1D): { lo: number; hi: number } {
  const s = Math.max(...m.components.map((c) => c.sd));
  const { a, b } = growthOf(d);
  return { lo: a > 1 ? s * Math.sqrt((a - 1) / a) : 0, hi: b > 0 ? s * Math.sqrt((1 + b) / b) : Infinity };
}

// ---- the integrand q·f(p/q) in log space ------------------------------------------------------------------------

/** |log u| beyond which f(e^L) is not evaluated: e^{±600} stays inside float64, but the catalogue's formulas square
 * u on the way (Neyman's (1 − u)²/u, Pearson's (u − 1)²), so above 1 the cut is e^{600/max(a, 2)}. */
const L_MAX = 600;

function makeTerm(d: Divergence): (logp: number, logq: number) => number {
  const { a, b } = growthOf(d);
  const slope = d.domConj.hi; // lim f(u)/u as u → ∞ (+∞ for KL, Jeffrey, Pearson, α > 1)
  const f0 = d.f.output(0); // lim f(u) as u → 0 (+∞ for reverse KL, Neyman, Jeffrey)
  const hiCut = L_MAX / Math.max(a, 2);
  const alpha = d.params.alpha;
  const f = d.f.output;
  return (logp, logq) => {
    const L = logp - logq;
    if (L > hiCut) {
      // p ≫ q: q·f(p/q) = p·f(u)/u, written in L so that nothing overflows; the terms dropped are O(e^{−L})
      const p = Math.exp(logp);
      // α: f(u)/u = (u^{α−1} − α + (α−1)/u)/(α(α−1)), exact for either side of α = 1 (for α near 1 the power term
      // decays too slowly in L for the limit 1/(1−α) to be used)
      if (d.id === 'alpha') return (Math.exp(logp + (alpha - 1) * L) - alpha * p) / (alpha * (alpha - 1));
      if (d.id === 'pearson') return Math.exp(logp + L) - 2 * p; // (u − 1)²/u = u − 2 + 1/u
      return slope === Infinity ? p * L : p * slope; // KL: f(u)/u = log u exactly; Jeffrey: (1 − 1/u)·log u
    }
    if (L < -L_MAX) {
      // q ≫ p: q·f(u) with u → 0
      if (b > 0) return Math.exp(logq - L); // Neyman: (1 − u)²/u = 1/u − 2 + u
      const q = Math.exp(logq);
      return f0 === Infinity ? -q * L : q * f0; // reverse KL: −log u exactly; Jeffrey: (u − 1)·log u
    }
    return Math.exp(logq) * f(Math.exp(L));
  };
}

// ---- quadrature ---------------------------------------------------------------------------------------------------

/** Panel ends at these multiples of a feature's sd on each side: ~1 sd apart near the centre, wider in the tails,
 * where the integrand is a smooth Gaussian tail; at 22 sd it has fallen by e^{−242}. */
const SD_MULTIPLES = [0, 0.7, 1.4, 2.1, 2.8, 3.6, 4.5, 5.5, 6.6, 8, 10, 12.5, 15.5, 18.5, 22];
const ORDER = 16;

interface Feature { centre: number; sd: number }

function features(d: Divergence, m: Mixture1D, mu: number, sigma: number): Feature[] {
  const out: Feature[] = m.components.map((c) => ({ centre: c.mean, sd: c.sd }));
  out.push({ centre: mu, sd: sigma });
  const { a, b } = growthOf(d);
  // Where f grows like a power, q·f(p/q) ≈ Σ_i w_i^a N_i^a q^{1−a} (or q^{1+b} N_i^{−b}): a Gaussian with its own
  // centre and width, possibly far wider than p and q near the edge of finiteSigmaRange. Lay panels around it too.
  const tilt = (e: number) => {
    for (const c of m.components) {
      const prec = e / c.sd ** 2 + (1 - e) / sigma ** 2;
      if (prec > 0) out.push({ centre: ((e * c.mean) / c.sd ** 2 + ((1 - e) * mu) / sigma ** 2) / prec, sd: 1 / Math.sqrt(prec) });
    }
  };
  if (a > 1) tilt(a);
  if (b > 0) tilt(-b);
  return out;
}

function panelEnds(fs: Feature[]): number[] {
  const pts: number[] = [];
  for (const { centre, sd } of fs) for (const k of SD_MULTIPLES) { pts.push(centre - k * sd); if (k > 0) pts.push(centre + k * sd); }
  pts.sort((x, y) => x - y);
  const ends: number[] = [pts[0]];
  const minGap = 1e-9 * Math.min(...fs.map((f) => f.sd));
  for (const x of pts) if (x - ends[ends.length - 1] > minGap) ends.push(x);
  return ends;
}

/** Points where p = q (sign changes of log p − log q between consecutive panel ends and their midpoints). */
function crossings(g: (x: number) => number, ends: number[]): number[] {
  const out: number[] = [];
  const xs: number[] = [];
  for (let i = 0; i + 1 < ends.length; i++) xs.push(ends[i], 0.5 * (ends[i] + ends[i + 1]));
  xs.push(ends[ends.length - 1]);
  let prev = g(xs[0]);
  for (let i = 1; i < xs.length; i++) {
    const cur = g(xs[i]);
    if (prev !== 0 && cur !== 0 && Math.sign(prev) !== Math.sign(cur)) out.push(bisect(g, xs[i - 1], xs[i], 80));
    prev = cur;
  }
  return out;
}

export interface DivergenceOptions {
  /** Gauss–Legendre points per panel (default 16) */
  order?: number;
}

/**
 * D_f(P‖N(μ, σ²)) = ∫ q f(p/q) dx, p the mixture and q the Gaussian, by composite Gauss–Legendre over the whole line
 * (see the module comment). +∞ where the tails make it diverge. Throws RangeError unless σ > 0 and μ is finite.
 */
export function divergenceToGaussian(d: Divergence, m: Mixture1D, mu: number, sigma: number, opts: DivergenceOptions = {}): number {
  if (!(sigma > 0) || !Number.isFinite(sigma) || !Number.isFinite(mu)) {
    throw new RangeError(`divergenceToGaussian: need finite μ and σ > 0, got μ = ${mu}, σ = ${sigma}`);
  }
  const range = finiteSigmaRange(d, m);
  if (!(sigma > range.lo && sigma < range.hi)) return Infinity;
  const term = makeTerm(d);
  const logq = (x: number) => normalLogPdf(x, mu, sigma);
  const fn = (x: number) => term(mixtureLogDensity(m, x), logq(x));
  let ends = panelEnds(features(d, m, mu, sigma));
  // TV's f = ½|u − 1| has a kink where p = q; Gauss–Legendre converges slowly across it unless it is a panel end.
  if (d.id === 'tv') {
    ends = [...ends, ...crossings((x) => mixtureLogDensity(m, x) - logq(x), ends)].sort((x, y) => x - y);
  }
  const { nodes, weights } = gaussLegendreRule(opts.order ?? ORDER);
  let sum = 0;
  for (let i = 0; i + 1 < ends.length; i++) {
    const lo = ends[i], hi = ends[i + 1];
    const half = 0.5 * (hi - lo), mid = 0.5 * (hi + lo);
    let s = 0;
    for (let k = 0; k < nodes.length; k++) s += weights[k] * fn(mid + half * nodes[k]);
    sum += half * s;
  }
  return sum;
}

// ---- direct minimisation ----------------------------------------------------------------------------------------

export interface GaussianFit {
  mu: number;
  sigma: number;
  /** D_f(P‖N(μ, σ²)) at (μ, σ) */
  divergence: number;
}

export interface FitResult {
  /** the global minimum found */
  best: GaussianFit;
  /** every distinct local minimum found, lowest first (minima[0] is `best`) */
  minima: GaussianFit[];
}

export interface FitOptions extends DivergenceOptions {
  /** extra starting points (μ, σ) besides the default ones */
  starts?: { mu: number; sigma: number }[];
}

/**
 * Direct minimisation of D_f(P‖N(μ, σ²)) over (μ, log σ) by Nelder–Mead (restarted once from its own result to
 * polish), from the moment-matched Gaussian and a narrower one, and from each component and a wider version of it,
 * so that every mode's basin is searched. Results closer than 1e-3 (in μ/std_P and in log σ) count as one minimum.
 */
export function fitGaussian(d: Divergence, m: Mixture1D, opts: FitOptions = {}): FitResult {
  const mean = mixtureMean(m), sd = mixtureStd(m);
  const range = finiteSigmaRange(d, m);
  const starts = [
    { mu: mean, sigma: sd }, { mu: mean, sigma: 0.5 * sd },
    ...m.components.flatMap((c) => [{ mu: c.mean, sigma: c.sd }, { mu: c.mean, sigma: 2 * c.sd }]),
    ...(opts.starts ?? []),
  ].map(({ mu, sigma }) => ({
    // a start where D = ∞ leaves Nelder–Mead nothing to compare: move σ inside the finite range
    mu, sigma: Math.min(Math.max(sigma, range.lo * 1.25), range.hi / 1.25),
  }));
  const objective = ([mu, logS]: number[]) => divergenceToGaussian(d, m, mu, Math.exp(logS), opts);
  const found: GaussianFit[] = [];
  for (const s of starts) {
    // (values agree to ~1e-13, so asking for more than ~1e-8 in x would chase quadrature noise)
    let r = nelderMead(objective, [s.mu, Math.log(s.sigma)], { step: [0.25 * sd, 0.25], tol: 1e-13, xtol: 1e-8 });
    r = nelderMead(objective, r.x, { step: [0.01 * sd, 0.01], tol: 1e-13, xtol: 1e-8 });
    if (!Number.isFinite(r.value)) continue;
    const fit = { mu: r.x[0], sigma: Math.exp(r.x[1]), divergence: r.value };
    const same = found.find((g) => Math.abs(g.mu - fit.mu) < 1e-3 * sd && Math.abs(Math.log(g.sigma / fit.sigma)) < 1e-3);
    if (!same) found.push(fit);
    else if (fit.divergence < same.divergence) Object.assign(same, fit);
  }
  if (found.length === 0) throw new Error(`fitGaussian: no finite value of ${d.id} from any start`);
  found.sort((x, y) => x.divergence - y.divergence);
  return { best: found[0], minima: found };
}

// ---- the contour map ----------------------------------------------------------------------------------------------

export interface DivergenceSurface {
  mus: number[];
  sigmas: number[];
  /** D_f(P‖N(μ_i, σ_j²)) at index j·mus.length + i (σ outer, μ inner); +∞ where it diverges */
  values: Float64Array;
  /** smallest and largest finite values */
  min: number;
  max: number;
}

/** D_f(P‖N(μ, σ²)) on an n×n (or nMu×nSigma) grid including the ends of both ranges, for a contour map. With
 * `sigmaScale: 'log'` the σ values are spaced evenly in log σ (the parameter the generator moves), so that a narrow
 * fit such as reverse KL's local minimum at σ ≈ 0.3 gets as many rows as a wide one. */
export function divergenceSurface(
  d: Divergence, m: Mixture1D, muRange: readonly [number, number], sigmaRange: readonly [number, number],
  n: number | { mu: number; sigma: number }, opts: DivergenceOptions & { sigmaScale?: 'linear' | 'log' } = {},
): DivergenceSurface {
  const nMu = typeof n === 'number' ? n : n.mu, nSigma = typeof n === 'number' ? n : n.sigma;
  if (!(sigmaRange[0] > 0)) throw new RangeError(`divergenceSurface: σ range must be positive, got ${sigmaRange[0]}`);
  const mus = linspace(muRange[0], muRange[1], nMu);
  const sigmas = opts.sigmaScale === 'log'
    ? linspace(Math.log(sigmaRange[0]), Math.log(sigmaRange[1]), nSigma).map(Math.exp)
    : linspace(sigmaRange[0], sigmaRange[1], nSigma);
  const values = new Float64Array(nMu * nSigma);
  let min = Infinity, max = -Infinity;
  for (let j = 0; j < nSigma; j++) {
    for (let i = 0; i < nMu; i++) {
      const v = divergenceToGaussian(d, m, mus[i], sigmas[j], opts);
      values[j * nMu + i] = v;
      if (Number.isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v); }
    }
  }
  return { mus, sigmas, values, min, max };
}

export interface FitWindow {
  /** the density plot's x range */
  x: [number, number];
  /** the contour map's ranges (σ drawn on a log axis) */
  mu: [number, number];
  sigma: [number, number];
}

/** What a figure of the fit should show for mixture m and a generator starting at `start`: x wide enough for every
 * component and every fit between them, and a (μ, σ) window holding every component's mean and width (the
 * mode-seeking fits sit near one), the moment-matched Gaussian (KL's fit), and the start of the path. */
export function fitWindow(m: Mixture1D, start: { mu: number; sigma: number }): FitWindow {
  const cs = m.components, sd = mixtureStd(m), mean = mixtureMean(m);
  const lo = Math.min(...cs.map((c) => c.mean - 3.5 * c.sd), mean - 2.5 * sd);
  const hi = Math.max(...cs.map((c) => c.mean + 3.5 * c.sd), mean + 2.5 * sd);
  const muLo = Math.min(...cs.map((c) => c.mean), start.mu) - 0.6 * sd;
  const muHi = Math.max(...cs.map((c) => c.mean), start.mu) + 0.6 * sd;
  const sLo = 0.6 * Math.min(...cs.map((c) => c.sd), start.sigma);
  const sHi = 1.5 * Math.max(sd, start.sigma);
  return { x: [lo, hi], mu: [muLo, muHi], sigma: [sLo, sHi] };
}

// ---- gradient descent on the exact divergence ---------------------------------------------------------------------

export interface DescentOptions extends DivergenceOptions {
  /** at most this many accepted steps (default 400) */
  maxSteps?: number;
}

/**
 * The path of gradient descent on D_f(P‖N(μ, σ²)) itself, in the generator's parameters (μ, log σ), from `start`:
 * what the f-GAN's generator would follow if its critic were optimal at every step and its steps infinitesimal. It
 * ends in the local minimum whose basin holds the start, which an adversarial run need not do (its early critic is
 * far from optimal, and Adam's steps have a fixed size whatever the gradient). Central differences (h = 1e-5) give
 * the gradient, a backtracking line search the step (doubled after each success, halved until D decreases), so
 * the path has few points where the walls are steep and many near the floor. Returns interleaved (μ, σ) pairs,
 * from the start to the point where the gradient's norm is below 1e-6 or no smaller step decreases D.
 */
export function descentPath(d: Divergence, m: Mixture1D, start: { mu: number; sigma: number }, opts: DescentOptions = {}): Float64Array {
  const range = finiteSigmaRange(d, m);
  // a step far up a steep wall can leave float range: there D counts as +∞, and the line search backs off
  const D = (mu: number, logS: number) => {
    const sigma = Math.exp(logS);
    return Number.isFinite(mu) && sigma > 0 && Number.isFinite(sigma) ? divergenceToGaussian(d, m, mu, sigma, opts) : Infinity;
  };
  let mu = start.mu, logS = Math.log(Math.min(Math.max(start.sigma, range.lo * 1.01), range.hi / 1.01));
  let value = D(mu, logS);
  const out = [mu, Math.exp(logS)];
  if (!Number.isFinite(value)) return Float64Array.from(out);
  const h = 1e-5;
  let eta = 0.1;
  for (let k = 0; k < (opts.maxSteps ?? 400); k++) {
    const gMu = (D(mu + h, logS) - D(mu - h, logS)) / (2 * h);
    const gS = (D(mu, logS + h) - D(mu, logS - h)) / (2 * h);
    const g2 = gMu * gMu + gS * gS;
    // at a minimum (to what central differences on the quadrature can resolve)
    if (!(g2 > 1e-12) || !Number.isFinite(g2)) break;
    let accepted = false;
    // no trial step longer than 0.5 in (μ, log σ): next to a wall where D → ∞ the gradient is huge
    eta = Math.min(eta, 0.5 / Math.sqrt(g2));
    for (let tries = 0; tries < 60; tries++) {
      const nMu = mu - eta * gMu, nS = logS - eta * gS;
      const next = D(nMu, nS);
      // Armijo: at least a small share of the decrease the gradient promises
      if (Number.isFinite(next) && next <= value - 1e-4 * eta * g2) {
        mu = nMu; logS = nS; value = next;
        out.push(mu, Math.exp(logS));
        eta *= 2;
        accepted = true;
        break;
      }
      eta /= 2;
    }
    if (!accepted) break;
  }
  return Float64Array.from(out);
}
