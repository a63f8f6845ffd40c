// Quadrature and D_f between densities, checked against closed forms for Gaussians, the moment-matching property of
// KL, the mode-seeking of reverse KL on the paper's mixture (its Table 3), and a separable 2-D grid.
import { describe, expect, it } from 'vitest';
import { getDivergence } from '../../src/math/fdiv.ts';
import { bisect, goldenSectionMax, linspace, nelderMead } from '../../src/math/optimize.ts';
import {
  adaptiveSimpson, fDivergence1D, fDivergenceGrid, fTerm, gaussLegendre, gaussLegendreRule, normalPdf,
} from '../../src/math/quadrature.ts';

interface Gauss { m: number; s: number }

const klGauss = (p: Gauss, q: Gauss) => Math.log(q.s / p.s) + (p.s ** 2 + (p.m - q.m) ** 2) / (2 * q.s ** 2) - 0.5;
/** Bhattacharyya coefficient ∫√(pq); squared Hellinger (paper's f = (√u − 1)²) is 2 − 2·BC. */
const bcGauss = (p: Gauss, q: Gauss) =>
  Math.sqrt((2 * p.s * q.s) / (p.s ** 2 + q.s ** 2)) * Math.exp(-((p.m - q.m) ** 2) / (4 * (p.s ** 2 + q.s ** 2)));
/** ∫ p²/q (needs 2 q.s² > p.s²); Pearson χ² is this minus 1. */
const chi2Gauss = (p: Gauss, q: Gauss) => {
  const a = 1 / p.s ** 2;
  const b = 1 / (2 * q.s ** 2);
  return (q.s / (Math.sqrt(2 * Math.PI) * p.s ** 2)) * Math.sqrt(Math.PI / (a - b)) * Math.exp((a * b * (p.m - q.m) ** 2) / (a - b)) - 1;
};
const pdf = (g: Gauss) => (x: number) => normalPdf(x, g.m, g.s);

describe('integration rules', () => {
  it('Gauss–Legendre: weights sum to 2, exact for degree < 2n', () => {
    for (const n of [1, 2, 3, 8, 16, 40]) {
      const { nodes, weights } = gaussLegendreRule(n);
      expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(2, 13);
      for (let k = 0; k < 2 * n; k++) {
        const exact = k % 2 === 1 ? 0 : 2 / (k + 1);
        const approx = nodes.reduce((s, x, i) => s + weights[i] * x ** k, 0);
        expect(approx, `n=${n}, x^${k}`).toBeCloseTo(exact, 12);
      }
    }
    expect(() => gaussLegendreRule(0)).toThrow(RangeError);
  });

  it('composite Gauss–Legendre and adaptive Simpson on smooth integrands', () => {
    expect(gaussLegendre(Math.sin, 0, Math.PI)).toBeCloseTo(2, 13);
    expect(adaptiveSimpson(Math.sin, 0, Math.PI, { tol: 1e-12 })).toBeCloseTo(2, 11);
    expect(gaussLegendre(pdf({ m: 0.3, s: 0.7 }), -10, 10)).toBeCloseTo(1, 13);
    expect(adaptiveSimpson((x) => Math.exp(-x * x), -8, 8, { tol: 1e-12 })).toBeCloseTo(Math.sqrt(Math.PI), 10);
  });
});

describe('D_f between 1-D densities', () => {
  const P: Gauss = { m: 0.4, s: 0.8 };
  const Q: Gauss = { m: -0.5, s: 1.3 };

  it('KL, reverse KL, squared Hellinger and Pearson χ² of two Gaussians match their closed forms', () => {
    const D = (id: 'kl' | 'reverse-kl' | 'hellinger' | 'pearson') => fDivergence1D(getDivergence(id), pdf(P), pdf(Q), -15, 15);
    expect(D('kl')).toBeCloseTo(klGauss(P, Q), 10);
    // paper's reverse KL: ∫ q·(−log(p/q)) = KL(Q‖P)
    expect(D('reverse-kl')).toBeCloseTo(klGauss(Q, P), 10);
    expect(D('hellinger')).toBeCloseTo(2 - 2 * bcGauss(P, Q), 10);
    expect(D('pearson')).toBeCloseTo(chi2Gauss(P, Q), 10);
  });

  it('fTerm takes the limits where a density vanishes', () => {
    const kl = getDivergence('kl');
    const rkl = getDivergence('reverse-kl');
    const js = getDivergence('js');
    expect(fTerm(kl, 0, 0)).toBe(0);
    expect(fTerm(kl, 0, 0.3)).toBe(0);
    expect(fTerm(kl, 0.3, 0)).toBe(Infinity);
    expect(fTerm(rkl, 0, 0.3)).toBe(Infinity);
    expect(fTerm(rkl, 0.3, 0)).toBe(0);
    expect(fTerm(js, 0, 0.3)).toBeCloseTo(0.3 * Math.LN2, 15);
    expect(fTerm(js, 0.3, 0)).toBeCloseTo(0.3 * Math.LN2, 15);
    // a subnormal q: still p·log(p/q)
    expect(fTerm(kl, 1e-300, 1e-310) / (1e-300 * Math.log(1e-300 / 1e-310))).toBeCloseTo(1, 14);
    expect(fTerm(getDivergence('tv'), 2, 0)).toBe(1);
    expect(fTerm(kl, -1, 1)).toBeNaN();
  });
});

describe("fitting N(μ, σ²) to the paper's mixture (Table 3)", () => {
  const w = [0.33, 0.67];
  const comp: Gauss[] = [{ m: -1, s: 0.255 }, { m: 2, s: 1.415 }];
  const mix = (x: number) => w[0] * normalPdf(x, comp[0].m, comp[0].s) + w[1] * normalPdf(x, comp[1].m, comp[1].s);
  const mean = w[0] * comp[0].m + w[1] * comp[1].m;
  const second = w[0] * (comp[0].s ** 2 + comp[0].m ** 2) + w[1] * (comp[1].s ** 2 + comp[1].m ** 2);
  const sd = Math.sqrt(second - mean * mean);
  const fit = (id: 'kl' | 'reverse-kl', start: number[]) => {
    const d = getDivergence(id);
    const r = nelderMead(([m, logS]) => fDivergence1D(d, mix, (x) => normalPdf(x, m, Math.exp(logS)), -8, 14), start, { step: 0.3 });
    return { mu: r.x[0], sigma: Math.exp(r.x[1]), value: r.value };
  };

  it('the mixture integrates to 1 on the window and has mean 1.01', () => {
    expect(gaussLegendre(mix, -8, 14, { panels: 200 })).toBeCloseTo(1, 10);
    expect(mean).toBeCloseTo(1.01, 12);
  });

  it('minimising KL(P‖N(μ,σ²)) matches moments: μ* = E_P[x], σ* = std_P(x)', () => {
    const r = fit('kl', [0, 0]);
    expect(r.mu).toBeCloseTo(mean, 5);
    expect(r.sigma).toBeCloseTo(sd, 5);
  });

  it('reverse KL seeks the larger-weight mode: μ* within 0.5 of 2, better than the narrow mode', () => {
    const global = fit('reverse-kl', [mean, Math.log(sd)]);
    expect(Math.abs(global.mu - 2)).toBeLessThan(0.5);
    expect(global.sigma).toBeLessThan(sd);
    // the narrow component at −1 is only a local minimum
    const local = fit('reverse-kl', [-1, Math.log(0.3)]);
    expect(Math.abs(local.mu + 1)).toBeLessThan(0.2);
    expect(global.value).toBeLessThan(local.value);
  });
});

describe('D_f on a 2-D grid', () => {
  // P = N(0.2, 0.9²) ⊗ N(−0.3, 1.1²), Q = N(−0.4, 1.2²) ⊗ N(0.1, 1.4²): every divergence below factorises.
  const Px: Gauss = { m: 0.2, s: 0.9 };
  const Py: Gauss = { m: -0.3, s: 1.1 };
  const Qx: Gauss = { m: -0.4, s: 1.2 };
  const Qy: Gauss = { m: 0.1, s: 1.4 };
  const n = 320;
  const lo = -10;
  const hi = 10;
  const h = (hi - lo) / n;
  const centres = linspace(lo + h / 2, hi - h / 2, n);
  const p = new Float64Array(n * n);
  const q = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      p[j * n + i] = normalPdf(centres[i], Px.m, Px.s) * normalPdf(centres[j], Py.m, Py.s);
      q[j * n + i] = normalPdf(centres[i], Qx.m, Qx.s) * normalPdf(centres[j], Qy.m, Qy.s);
    }
  }

  it('KL is additive, Hellinger affinity and 1 + χ² multiply', () => {
    expect(fDivergenceGrid(getDivergence('kl'), p, q, h * h)).toBeCloseTo(klGauss(Px, Qx) + klGauss(Py, Qy), 8);
    expect(fDivergenceGrid(getDivergence('hellinger'), p, q, h * h)).toBeCloseTo(2 - 2 * bcGauss(Px, Qx) * bcGauss(Py, Qy), 8);
    const chi = (1 + chi2Gauss(Px, Qx)) * (1 + chi2Gauss(Py, Qy)) - 1;
    expect(fDivergenceGrid(getDivergence('pearson'), p, q, h * h)).toBeCloseTo(chi, 8);
  });

  it('D_f(P‖P) = f(1)·mass, and size mismatches are rejected', () => {
    expect(fDivergenceGrid(getDivergence('js'), p, p, h * h)).toBeCloseTo(0, 12);
    expect(fDivergenceGrid(getDivergence('gan'), p, p, h * h)).toBeCloseTo(-Math.log(4), 8);
    expect(() => fDivergenceGrid(getDivergence('kl'), p, q.subarray(1), h * h)).toThrow(RangeError);
  });
});

describe('1-D helpers', () => {
  it('golden section finds the maximiser of a concave function, including at an end', () => {
    const r = goldenSectionMax((x) => -((x - 0.7) ** 2), -3, 5);
    expect(r.x).toBeCloseTo(0.7, 6);
    expect(goldenSectionMax((x) => x, -1, 2).x).toBe(2);
  });

  it('bisection and Nelder–Mead', () => {
    expect(bisect((x) => x * x - 2, 0, 2)).toBeCloseTo(Math.SQRT2, 15);
    const r = nelderMead(([x, y]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2, [-1.2, 1]);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
  });
});
