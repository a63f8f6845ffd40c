// Direct minimisation of D_f(P‖N(μ, σ²)) over (μ, σ) for the f-GAN paper's Gaussian-mixture experiment (Table 3):
// the mixture's own moments, the quadrature against a brute-force Simpson sum written with independent formulas,
// KL's moment matching, reverse KL's two minima, P-is-Gaussian giving D = f(1) at P itself, the tails that make
// Pearson and Neyman χ² infinite, and the catalogue's algebraic identities between rows.
import { describe, expect, it } from 'vitest';
import { getDivergence } from '../../src/math/fdiv.ts';
import {
  PAPER_MIXTURE, descentPath, divergenceSurface, divergenceToGaussian, finiteSigmaRange, fitGaussian, fitWindow, makeMixture,
  mixtureDensity, mixtureLogDensity, mixtureMean, mixtureStd, normalLogPdf, sampleMixture, type Mixture1D,
} from '../../src/math/gaussian-fit.ts';
import { fTerm, gaussLegendre } from '../../src/math/quadrature.ts';
import { Rng } from '../../src/math/rng.ts';
import { DIVERGENCE_IDS, type Divergence, type DivergenceId } from '../../src/math/types.ts';

const M = PAPER_MIXTURE;
// the mixture's moments written out from REFERENCE §1: 0.33·N(−1, 0.255²) + 0.67·N(2, 1.415²)
const MEAN = 0.33 * -1 + 0.67 * 2;
const STD = Math.sqrt(0.33 * (0.255 ** 2 + 1) + 0.67 * (1.415 ** 2 + 4) - MEAN ** 2);

describe('the mixture', () => {
  it('normalises its weights, integrates to 1, and has the moments written out by hand', () => {
    expect(M.components.map((c) => c.weight)).toEqual([0.33, 0.67]);
    expect(makeMixture([{ weight: 1, mean: 0, sd: 1 }, { weight: 3, mean: 1, sd: 2 }]).components.map((c) => c.weight)).toEqual([0.25, 0.75]);
    expect(gaussLegendre((x) => mixtureDensity(M, x), -12, 16, { panels: 400 })).toBeCloseTo(1, 12);
    expect(mixtureMean(M)).toBeCloseTo(MEAN, 14);
    expect(mixtureStd(M)).toBeCloseTo(STD, 14);
    expect(() => makeMixture([{ weight: 0, mean: 0, sd: 1 }])).toThrow(RangeError);
    expect(() => makeMixture([{ weight: 1, mean: 0, sd: 0 }])).toThrow(RangeError);
  });

  it('log density is log-sum-exp: finite far out where the density underflows', () => {
    expect(mixtureLogDensity(M, 0.7)).toBeCloseTo(Math.log(mixtureDensity(M, 0.7)), 13);
    expect(mixtureDensity(M, 80)).toBe(0);
    expect(mixtureLogDensity(M, 80)).toBeCloseTo(Math.log(0.67) + normalLogPdf(80, 2, 1.415), 8);
  });

  it('samples with the right weights and moments, reproducibly', () => {
    const x = sampleMixture(M, new Rng(4), 40000, new Float64Array(40000));
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const std = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length);
    expect(Math.abs(mean - MEAN)).toBeLessThan(0.03);
    expect(Math.abs(std - STD)).toBeLessThan(0.03);
    // the share of draws within 3 sd of the narrow mode, against P's mass there (~0.365, a tenth of it from the
    // wide component): a dropped or swapped weight moves it by far more than the 0.01 allowed
    const near = x.filter((v) => Math.abs(v + 1) < 3 * 0.255).length / x.length;
    const mass = gaussLegendre((v) => mixtureDensity(M, v), -1 - 3 * 0.255, -1 + 3 * 0.255, { panels: 50 });
    expect(Math.abs(near - mass)).toBeLessThan(0.01);
    expect(sampleMixture(M, new Rng(4), 5)).toEqual(sampleMixture(M, new Rng(4), 5));
  });
});

/** q·f(p/q) with each row's own formula in log densities (not fdiv.ts's f): an independent integrand. */
function reference(d: Divergence, lp: number, lq: number): number {
  const p = Math.exp(lp), q = Math.exp(lq), L = lp - lq;
  switch (d.id) {
    case 'kl': return p * L;
    case 'reverse-kl': return -q * L;
    case 'jeffrey': return (p - q) * L;
    case 'pearson': return Math.exp(2 * lp - lq) - 2 * p + q;
    case 'neyman': return Math.exp(2 * lq - lp) - 2 * q + p;
    case 'hellinger': return (Math.exp(lp / 2) - Math.exp(lq / 2)) ** 2;
    case 'tv': return 0.5 * Math.abs(p - q);
    case 'alpha': return (Math.exp(0.5 * lp + 0.5 * lq) - 0.5 * p - 0.5 * q) / -0.25;
    // bounded rows (f(0) and f'(∞) finite): the quadrature module's q·f(p/q), and its limits p·f'(∞), q·f(0) where
    // p/q is beyond e^{±300} (there the catalogue's closed forms lose everything to cancellation)
    default: return L > 300 ? p * d.domConj.hi : L < -300 ? q * d.f.output(0) : fTerm(d, p, q);
  }
}

function simpson(g: (x: number) => number, a: number, b: number, n: number): number {
  const h = (b - a) / n;
  let s = g(a) + g(b);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * g(a + i * h);
  return (s * h) / 3;
}

describe('D_f(P‖N(μ, σ²)) by quadrature', () => {
  // Simpson over the whole window where anything of either density lives (±45 sd), 120 000 cells: ~1e-13 for the
  // smooth rows; TV's kinks where p = q cost Simpson O(h²), so TV gets 1 200 000 cells (≈ 1e-9).
  const points: [number, number][] = [[1.01, 1.83], [-1, 0.3], [2.4, 1.1], [-2.6, 2.5], [4, 0.6]];
  it.each(DIVERGENCE_IDS)('%s matches a brute-force Simpson sum at five (μ, σ), narrow, wide and far off', (id) => {
    const d = getDivergence(id);
    for (const [mu, sigma] of points) {
      const got = divergenceToGaussian(d, M, mu, sigma);
      if (!Number.isFinite(got)) {
        expect(sigma <= finiteSigmaRange(d, M).lo || sigma >= finiteSigmaRange(d, M).hi, `${id} at (${mu}, ${sigma})`).toBe(true);
        continue;
      }
      const lo = Math.min(-1 - 45 * 0.255, 2 - 45 * 1.415, mu - 45 * sigma), hi = Math.max(2 + 45 * 1.415, mu + 45 * sigma);
      const cells = id === 'tv' ? 1_200_000 : 120_000;
      const want = simpson((x) => reference(d, mixtureLogDensity(M, x), normalLogPdf(x, mu, sigma)), lo, hi, cells);
      expect(Math.abs(got - want) / Math.max(1, Math.abs(want)), `${id} at (${mu}, ${sigma}): ${got} vs ${want}`).toBeLessThan(id === 'tv' ? 1e-8 : 1e-10);
    }
  });

  it('stays accurate next to the edge of the finite range, where p²/q (Pearson) or q²/p (Neyman) is very wide', () => {
    for (const [id, sigma] of [['pearson', 1.02], ['neyman', 1.97]] as const) {
      const d = getDivergence(id);
      const got = divergenceToGaussian(d, M, 1, sigma);
      const want = simpson((x) => reference(d, mixtureLogDensity(M, x), normalLogPdf(x, 1, sigma)), -400, 400, 400_000);
      expect(Math.abs(got - want) / want, `${id} σ = ${sigma}`).toBeLessThan(1e-9);
    }
  });

  it('is +∞ exactly where the tails diverge: Pearson for σ ≤ s/√2, Neyman for σ ≥ √2·s (s = 1.415)', () => {
    const s = 1.415;
    expect(finiteSigmaRange(getDivergence('pearson'), M).lo).toBeCloseTo(s / Math.SQRT2, 14);
    expect(finiteSigmaRange(getDivergence('pearson'), M).hi).toBe(Infinity);
    expect(finiteSigmaRange(getDivergence('neyman'), M).lo).toBe(0);
    expect(finiteSigmaRange(getDivergence('neyman'), M).hi).toBeCloseTo(s * Math.SQRT2, 14);
    expect(finiteSigmaRange(getDivergence('alpha', { alpha: 2 }), M).lo).toBeCloseTo(s * Math.sqrt(0.5), 14);
    expect(divergenceToGaussian(getDivergence('pearson'), M, 1, 0.99)).toBe(Infinity);
    expect(divergenceToGaussian(getDivergence('neyman'), M, 1, 2.01)).toBe(Infinity);
    for (const id of DIVERGENCE_IDS) expect(finiteSigmaRange(getDivergence(id), M).lo < 1.8).toBe(true);
  });

  it('is f(1) (0, or −log 4 for GAN) when P is itself a Gaussian and Q = P, and positive elsewhere', () => {
    const single = makeMixture([{ weight: 1, mean: 0.4, sd: 1.3 }]);
    for (const id of DIVERGENCE_IDS) {
      const d = getDivergence(id);
      expect(divergenceToGaussian(d, single, 0.4, 1.3), id).toBeCloseTo(d.f1, 14);
      expect(divergenceToGaussian(d, single, 0.5, 1.3) - d.f1, id).toBeGreaterThan(0);
    }
  });

  it('keeps the catalogue identities: GAN = JS − log 4, weighted JS (π = ½) = JS/2, α = ½ is twice squared Hellinger', () => {
    const at = (id: DivergenceId) => divergenceToGaussian(getDivergence(id), M, 0.3, 1.4);
    expect(at('gan')).toBeCloseTo(at('js') - Math.log(4), 12);
    expect(at('js-weighted')).toBeCloseTo(at('js') / 2, 12);
    expect(at('alpha')).toBeCloseTo(2 * at('hellinger'), 12);
  });

  it('rejects σ ≤ 0', () => {
    expect(() => divergenceToGaussian(getDivergence('kl'), M, 0, 0)).toThrow(RangeError);
  });
});

describe('direct minimisation', () => {
  it('KL(P‖N(μ, σ²)) is minimised by moment matching: μ* = E_P[x], σ* = std_P to 1e-4 (here 1e-6)', () => {
    const r = fitGaussian(getDivergence('kl'), M);
    expect(Math.abs(r.best.mu - MEAN)).toBeLessThan(1e-6);
    expect(Math.abs(r.best.sigma - STD)).toBeLessThan(1e-6);
    expect(r.minima).toHaveLength(1);
    // and for another mixture, three components this time
    const m3: Mixture1D = makeMixture([{ weight: 0.2, mean: -3, sd: 0.5 }, { weight: 0.5, mean: 0, sd: 1 }, { weight: 0.3, mean: 4, sd: 0.7 }]);
    const r3 = fitGaussian(getDivergence('kl'), m3);
    expect(Math.abs(r3.best.mu - mixtureMean(m3))).toBeLessThan(1e-6);
    expect(Math.abs(r3.best.sigma - mixtureStd(m3))).toBeLessThan(1e-6);
  });

  it('reverse KL: the global minimum near the larger mode, a local one at the narrow mode, worse', () => {
    const r = fitGaussian(getDivergence('reverse-kl'), M);
    expect(Math.abs(r.best.mu - 2)).toBeLessThan(0.5);
    expect(r.best.sigma).toBeLessThan(STD);
    const local = r.minima.find((g) => Math.abs(g.mu + 1) < 0.1);
    expect(local, JSON.stringify(r.minima)).toBeDefined();
    expect(local!.sigma).toBeLessThan(0.4);
    expect(local!.divergence).toBeGreaterThan(r.best.divergence + 0.5);
    // it is a minimum: every neighbour is higher
    const d = getDivergence('reverse-kl');
    for (const [dm, ds] of [[0.01, 0], [-0.01, 0], [0, 0.01], [0, -0.01]]) {
      expect(divergenceToGaussian(d, M, local!.mu + dm, local!.sigma + ds)).toBeGreaterThan(local!.divergence);
    }
  });

  it('recovers P itself, for every row, when P is a single Gaussian', () => {
    const single = makeMixture([{ weight: 1, mean: -0.7, sd: 0.8 }]);
    for (const id of DIVERGENCE_IDS) {
      const r = fitGaussian(getDivergence(id), single);
      expect(Math.abs(r.best.mu + 0.7), id).toBeLessThan(1e-4);
      expect(Math.abs(r.best.sigma - 0.8), id).toBeLessThan(1e-4);
    }
  });

  it('the optima of Table 3 on the paper mixture (μ*, σ*, D_f) for the five divergences', () => {
    // reverse KL and the JS family sit between KL's moment match and the larger mode; Pearson χ², which punishes
    // p ≫ q hardest, is pulled towards the narrow mode
    const want: [DivergenceId, number, number, number][] = [
      ['kl', 1.01, 1.83108, 0.28297], ['reverse-kl', 1.57793, 1.63181, 0.24811], ['js', 1.30681, 1.75446, 0.12804],
      ['jeffrey', 1.32152, 1.70345, 0.57057], ['pearson', 0.57362, 1.92771, 0.64565],
    ];
    for (const [id, mu, sigma, value] of want) {
      const { best } = fitGaussian(getDivergence(id), M);
      expect(best.mu, id).toBeCloseTo(mu, 4);
      expect(best.sigma, id).toBeCloseTo(sigma, 4);
      expect(best.divergence, id).toBeCloseTo(value, 4);
    }
  });
});

describe('the contour map', () => {
  it('samples D_f on the grid, σ outer, with +∞ where it diverges', () => {
    const d = getDivergence('pearson');
    const s = divergenceSurface(d, M, [-2, 4], [0.6, 3.1], { mu: 7, sigma: 6 });
    expect(s.mus).toHaveLength(7);
    expect(s.sigmas.map((x) => +x.toFixed(12))).toEqual([0.6, 1.1, 1.6, 2.1, 2.6, 3.1]);
    expect(s.values).toHaveLength(42);
    expect(s.values[2 * 7 + 3]).toBe(divergenceToGaussian(d, M, s.mus[3], s.sigmas[2]));
    expect(s.values.slice(0, 7).every((v) => v === Infinity)).toBe(true); // σ = 0.6 < 1.0006
    expect(s.values.slice(7).every(Number.isFinite)).toBe(true);
    expect(s.min).toBeGreaterThanOrEqual(fitGaussian(d, M).best.divergence);
    expect(s.max).toBeLessThan(Infinity);
  });

  it('spaces σ evenly in log σ on request, with the same values at the same points', () => {
    const d = getDivergence('reverse-kl');
    const s = divergenceSurface(d, M, [-2, 4], [0.1, 10], { mu: 3, sigma: 3 }, { sigmaScale: 'log', order: 8 });
    expect(s.sigmas.map((x) => +x.toFixed(12))).toEqual([0.1, 1, 10]);
    expect(s.values[3 + 1]).toBeCloseTo(divergenceToGaussian(d, M, s.mus[1], 1), 10);
  });
});

describe('gradient descent on the exact divergence (the path an optimal critic would give the generator)', () => {
  const end = (p: Float64Array) => ({ mu: p[p.length - 2], sigma: p[p.length - 1] });
  const values = (d: Divergence, p: Float64Array) => Array.from({ length: p.length / 2 }, (_, i) => divergenceToGaussian(d, M, p[2 * i], p[2 * i + 1]));

  it('from G(z) = z, KL descends to moment matching and reverse KL to its global minimum, D falling at every step', () => {
    for (const [id, mu, sigma] of [['kl', MEAN, STD], ['reverse-kl', 1.57793, 1.63181]] as const) {
      const d = getDivergence(id);
      const p = descentPath(d, M, { mu: 0, sigma: 1 });
      expect(p.slice(0, 2)).toEqual(Float64Array.from([0, 1]));
      expect(end(p).mu).toBeCloseTo(mu, 3);
      expect(end(p).sigma).toBeCloseTo(sigma, 3);
      const v = values(d, p);
      for (let i = 1; i < v.length; i++) expect(v[i], `step ${i}`).toBeLessThan(v[i - 1]);
    }
  });

  it("started in the narrow mode's basin, reverse KL stays in its local minimum (−0.955, 0.317), D ≈ 0.99", () => {
    const d = getDivergence('reverse-kl');
    const p = descentPath(d, M, { mu: -1, sigma: 0.5 });
    expect(end(p).mu).toBeCloseTo(-0.955, 3);
    expect(end(p).sigma).toBeCloseTo(0.317, 3);
    expect(divergenceToGaussian(d, M, end(p).mu, end(p).sigma)).toBeCloseTo(0.99, 2);
  });

  it('starting where Pearson χ² is +∞ (σ = 1 ≤ 1.0006), it steps inside the finite range and reaches the optimum', () => {
    const d = getDivergence('pearson');
    const p = descentPath(d, M, { mu: 0, sigma: 1 });
    expect(p[1]).toBeGreaterThan(finiteSigmaRange(d, M).lo);
    expect(end(p).mu).toBeCloseTo(0.57362, 3);
    expect(end(p).sigma).toBeCloseTo(1.92771, 3);
  });
});

describe("the figure's window", () => {
  it('holds every component, the moment-matched fit and the start, and x spans 3.5 sd past each component', () => {
    const w = fitWindow(M, { mu: 0, sigma: 1 });
    for (const c of M.components) {
      expect(w.mu[0]).toBeLessThan(c.mean);
      expect(w.mu[1]).toBeGreaterThan(c.mean);
      expect(w.sigma[0]).toBeLessThan(c.sd);
      expect(w.x[0]).toBeLessThanOrEqual(c.mean - 3.5 * c.sd);
      expect(w.x[1]).toBeGreaterThanOrEqual(c.mean + 3.5 * c.sd);
    }
    expect(w.sigma[1]).toBeGreaterThan(STD);
    const far = fitWindow(M, { mu: -3.5, sigma: 2.9 });
    expect(far.mu[0]).toBeLessThan(-3.5);
    expect(far.sigma[1]).toBeGreaterThan(2.9);
  });
});
