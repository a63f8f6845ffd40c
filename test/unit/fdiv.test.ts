// The f-GAN catalogue checked against its own definitions: every identity below would break if a formula in
// src/math/fdiv.ts were wrong, and none of them reuses the formula it checks (the conjugate is checked against a
// numeric supremum, derivatives against finite differences).
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import {
  ALPHA_RANGE, DEFAULT_PARAMS, PI_RANGE, fAtZero, fSlopeAtInfinity, getDivergence, inInterval, paramError, validateParams,
} from '../../src/math/fdiv.ts';
import { lambertW0, lambertW0Exp, logLambertW0Exp } from '../../src/math/lambertw.ts';
import { goldenSectionMax, linspace, supOnInterval } from '../../src/math/optimize.ts';
import { fDivergenceGrid } from '../../src/math/quadrature.ts';
import { DIVERGENCE_IDS, type Divergence, type DivergenceId } from '../../src/math/types.ts';

/** Every id, with each parameterised row at several parameter values. */
function cases(): { label: string; d: Divergence }[] {
  const out: { label: string; d: Divergence }[] = [];
  for (const id of DIVERGENCE_IDS) {
    if (id === 'alpha') for (const alpha of [0.3, 0.5, 2, 3]) out.push({ label: `alpha α=${alpha}`, d: getDivergence(id, { alpha }) });
    else if (id === 'js-weighted') for (const pi of [0.2, 0.5, 0.8]) out.push({ label: `js-weighted π=${pi}`, d: getDivergence(id, { pi }) });
    else out.push({ label: id, d: getDivergence(id) });
  }
  return out;
}

const CASES = cases();
const U_GRID = [...linspace(Math.log(0.05), Math.log(20), 60).map(Math.exp), 1];
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));

describe.each(CASES)('$label', ({ d }) => {
  it('f(1) = f1 (0, or −log 4 for GAN) and f\'(1) = threshold', () => {
    expect(d.f.output(1)).toBeCloseTo(d.id === 'gan' ? -Math.log(4) : 0, 14);
    expect(d.f1).toBeCloseTo(d.f.output(1), 14);
    expect(d.f.der(1)).toBeCloseTo(d.threshold, 14);
  });

  it('f\' matches a central finite difference of f', () => {
    for (const u of U_GRID) {
      const h = 1e-5 * u;
      const fd = (d.f.output(u + h) - d.f.output(u - h)) / (2 * h);
      expect(Math.abs(fd - d.f.der(u)), `u=${u}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(d.f.der(u))));
    }
  });

  it('f is convex (second differences ≥ −1e-9)', () => {
    for (const u of linspace(0.05, 20, 400)) {
      const h = 1e-3 * u;
      expect(d.f.output(u - h) - 2 * d.f.output(u) + d.f.output(u + h), `u=${u}`).toBeGreaterThanOrEqual(-1e-9);
    }
  });

  it('f(u) = sup_t {t·u − f*(t)} over dom f*, computed numerically', () => {
    for (const u of U_GRID) {
      const sup = supOnInterval((t) => t * u - d.conj.output(t), d.domConj, { bound: 1e3, tol: 1e-13 });
      expect(rel(sup.value, d.f.output(u)), `u=${u}, t*=${sup.x}`).toBeLessThan(1e-6);
    }
  });

  it('Fenchel–Young equality f*(f\'(u)) = u·f\'(u) − f(u)', () => {
    for (const u of U_GRID) {
      const t = d.f.der(u);
      expect(inInterval(d.domConj, t), `u=${u}`).toBe(true);
      expect(rel(d.conj.output(t), u * t - d.f.output(u)), `u=${u}`).toBeLessThan(1e-10);
    }
  });

  it('(f*)\'(f\'(u)) = u: the conjugate\'s slope is the maximising u', () => {
    if (d.id === 'tv') {
      // f' = ±½ off u = 1, where every u on that side maximises; inside (−½, ½) the unique maximiser is u = 1
      for (const t of linspace(-0.49, 0.49, 11)) expect(d.conj.der(t)).toBe(1);
      return;
    }
    for (const u of U_GRID) expect(rel(d.conj.der(d.f.der(u)), u), `u=${u}`).toBeLessThan(1e-9);
  });

  it('(f*)\' and g_f\' match finite differences', () => {
    // offset grid: keeps t away from the C¹-but-not-C² kinks of the clamped rows (t = −2, −1/(α−1))
    for (const v of linspace(-4.03, 3.97, 33)) {
      const t = d.activation.output(v);
      const h = 1e-6 * Math.max(1e-2, Math.abs(t));
      const fdConj = (d.conj.output(t + h) - d.conj.output(t - h)) / (2 * h);
      expect(Math.abs(fdConj - d.conj.der(t)), `t=${t}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(d.conj.der(t))));
      const k = 1e-6;
      const fdAct = (d.activation.output(v + k) - d.activation.output(v - k)) / (2 * k);
      expect(Math.abs(fdAct - d.activation.der(v)), `v=${v}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(fdAct)));
    }
  });

  it('g_f maps v ∈ [−30, 30] into dom f* (strictly inside open ends) and into its declared range', () => {
    const { domConj, activationRange: r } = d;
    expect(r.lo).toBeGreaterThanOrEqual(domConj.lo);
    expect(r.hi).toBeLessThanOrEqual(domConj.hi);
    for (const v of linspace(-30, 30, 601)) {
      const t = d.activation.output(v);
      expect(inInterval(domConj, t), `v=${v}, t=${t}`).toBe(true);
      expect(inInterval(r, t), `v=${v}, t=${t}`).toBe(true);
      expect(Number.isFinite(d.conj.output(t)), `f*(g(${v}))`).toBe(true);
    }
    // the activation fills its range: it approaches both ends
    const lo = d.activation.output(-30);
    const hi = d.activation.output(30);
    expect(Number.isFinite(r.lo) ? Math.abs(lo - r.lo) < 1e-9 : lo <= -25).toBe(true);
    expect(Number.isFinite(r.hi) ? Math.abs(hi - r.hi) < 1e-9 : hi >= 25).toBe(true);
  });

  it('f* is +∞ outside dom f*; limits f(0+) and f(u)/u → sup dom f*', () => {
    if (Number.isFinite(d.domConj.hi)) {
      expect(d.conj.output(d.domConj.hi + 1e-9)).toBe(Infinity);
      expect(d.conj.output(d.domConj.hi + 10)).toBe(Infinity);
    }
    if (Number.isFinite(d.domConj.lo)) expect(d.conj.output(d.domConj.lo - 1e-9)).toBe(Infinity);
    const f0 = fAtZero(d);
    // f(0+) = −inf f*: compare with f at a small u (finite rows) or check divergence (infinite rows)
    if (Number.isFinite(f0)) expect(Math.abs(d.f.output(1e-30) - f0)).toBeLessThan(1e-6);
    else expect(d.f.output(1e-12)).toBeGreaterThan(20);
    const slope = fSlopeAtInfinity(d);
    const big = 1e12;
    if (Number.isFinite(slope)) expect(Math.abs(d.f.output(big) / big - slope)).toBeLessThan(1e-3);
    else expect(d.f.output(big) / big).toBeGreaterThan(10);
  });

  it('KaTeX sources parse', () => {
    for (const tex of Object.values(d.tex)) expect(() => katex.renderToString(tex, { throwOnError: true })).not.toThrow();
  });
});

describe('catalogue values from Tables 1–2 of the f-GAN paper (arXiv 1606.00709)', () => {
  it('thresholds f\'(1) and activations at v = 0 match the table', () => {
    const L2 = Math.log(2);
    const expected: [DivergenceId, Partial<{ alpha: number; pi: number }>, number, number][] = [
      ['tv', {}, 0, 0], ['kl', {}, 1, 0], ['reverse-kl', {}, -1, -1], ['pearson', {}, 0, 0], ['neyman', {}, 0, 0],
      ['hellinger', {}, 0, 0], ['jeffrey', {}, 0, 0], ['js', {}, 0, 0],
      ['js-weighted', { pi: 0.2 }, 0, -0.2 * Math.log(0.2) - L2], ['gan', {}, -L2, -L2],
      ['alpha', { alpha: 0.3 }, 0, 1 / 0.7 - L2], ['alpha', { alpha: 3 }, 0, 0],
    ];
    for (const [id, params, threshold, g0] of expected) {
      const d = getDivergence(id, params);
      expect(d.threshold, id).toBeCloseTo(threshold, 14);
      expect(d.activation.output(0), id).toBeCloseTo(g0, 14);
    }
  });
});

describe('clamped conjugates (true conjugate where the closed form stops)', () => {
  it('Pearson χ²: f*(t) = −1 for t < −2, matching the numeric sup over u > 0', () => {
    const d = getDivergence('pearson');
    expect(d.conj.output(-3)).toBe(-1);
    expect(d.conj.der(-3)).toBe(0);
    const numeric = goldenSectionMax((u) => -3 * u - d.f.output(u), 0, 10).value;
    expect(numeric).toBeCloseTo(-1, 9);
    // the unclamped closed form would give ¼·9 − 3 = −0.75, which is not the sup
    expect(0.25 * 9 - 3).not.toBeCloseTo(-1, 3);
  });

  it.each([2, 3])('α = %d: f*(t) = −1/α for t < −1/(α−1), matching the numeric sup over u > 0', (alpha) => {
    const d = getDivergence('alpha', { alpha });
    for (const t of [-1 / (alpha - 1) - 0.5, -5, -50]) {
      expect(d.conj.output(t)).toBeCloseTo(-1 / alpha, 14);
      const numeric = goldenSectionMax((u) => t * u - d.f.output(u), 0, 10).value;
      expect(numeric).toBeCloseTo(-1 / alpha, 9);
    }
    // continuous at the kink
    const k = -1 / (alpha - 1);
    expect(d.conj.output(k + 1e-9)).toBeCloseTo(-1 / alpha, 6);
  });

  it('Neyman χ²: f*(1) = 2 is finite (dom f* closed at 1); f*(t) = +∞ beyond', () => {
    const d = getDivergence('neyman');
    expect(d.domConj.hiOpen).toBe(false);
    expect(d.conj.output(1)).toBe(2);
    expect(d.conj.output(1 + 1e-12)).toBe(Infinity);
    // sup_u {u − f(u)} = sup_u {2 − 1/u} → 2
    expect(goldenSectionMax((u) => u - d.f.output(u), 1, 1e9).value).toBeCloseTo(2, 6);
  });
});

describe('Jensen-Shannon and GAN against a direct discrete computation', () => {
  const kl = (a: number[], b: number[]) => a.reduce((s, ai, i) => (ai > 0 ? s + ai * Math.log(ai / b[i]) : s), 0);
  const js = (p: number[], q: number[]) => {
    const m = p.map((pi, i) => 0.5 * (pi + q[i]));
    return 0.5 * kl(p, m) + 0.5 * kl(q, m);
  };
  const pairs: [number[], number[]][] = [
    [[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25]],
    [[0.7, 0.1, 0.2, 0], [0, 0.3, 0.3, 0.4]], // zeros on both sides exercise the limits q·f(0) and p·f'(∞)
    [[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]], // disjoint supports: JS = log 2
  ];
  it.each(pairs)('D_js = 2·JS and D_GAN = 2·JS − log 4 (case %#)', (p, q) => {
    const J = js(p, q);
    expect(fDivergenceGrid(getDivergence('js'), p, q, 1)).toBeCloseTo(2 * J, 12);
    expect(fDivergenceGrid(getDivergence('gan'), p, q, 1)).toBeCloseTo(2 * J - Math.log(4), 12);
    // weighted JS at π = ½ is the textbook JS (half the paper's js row)
    expect(fDivergenceGrid(getDivergence('js-weighted', { pi: 0.5 }), p, q, 1)).toBeCloseTo(J, 12);
  });
});

describe('parameters', () => {
  it('defaults and ranges', () => {
    expect(DEFAULT_PARAMS).toEqual({ alpha: 0.5, pi: 0.5 });
    expect(paramError('alpha', ALPHA_RANGE.min)).toBeNull();
    expect(paramError('alpha', 1)).toMatch(/alpha/);
    expect(paramError('alpha', 1 + ALPHA_RANGE.gap / 2)).toMatch(/alpha/);
    expect(paramError('alpha', ALPHA_RANGE.max + 0.1)).toMatch(/alpha/);
    expect(paramError('pi', PI_RANGE.max)).toBeNull();
    expect(paramError('pi', 0)).toMatch(/pi/);
    expect(paramError('pi', Number.NaN)).toMatch(/pi/);
  });

  it('getDivergence rejects the parameter its row uses, ignores the other', () => {
    expect(() => getDivergence('alpha', { alpha: 1 })).toThrow(RangeError);
    expect(() => getDivergence('js-weighted', { pi: 1 })).toThrow(RangeError);
    expect(() => getDivergence('kl', { alpha: 1 })).not.toThrow();
    expect(validateParams('alpha', { alpha: 3, pi: undefined })).toEqual({ alpha: 3, pi: 0.5 });
  });

  it('every id has English and Chinese names', () => {
    const ids = new Set<DivergenceId>();
    for (const { d } of CASES) {
      ids.add(d.id);
      expect(d.name.en.length).toBeGreaterThan(1);
      expect(d.name.zh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect([...ids].sort()).toEqual([...DIVERGENCE_IDS].sort());
  });
});

describe('Lambert W (principal branch)', () => {
  it('W(x)·e^{W(x)} = x from 1e-300 to 1e300', () => {
    for (let k = -300; k <= 300; k += 5) {
      for (const m of [1, 3.7]) {
        const x = m * 10 ** k;
        const w = lambertW0(x);
        expect(Math.abs((w * Math.exp(w)) / x - 1), `x=${x}`).toBeLessThan(2e-15 * (1 + w));
        expect(Math.abs(Math.log(w) + w - Math.log(x)), `x=${x}`).toBeLessThan(1e-15 * Math.max(1, Math.abs(Math.log(x))));
      }
    }
  });

  it('known values and the branch point', () => {
    expect(lambertW0(1)).toBeCloseTo(0.5671432904097838, 15);
    expect(lambertW0(Math.E)).toBeCloseTo(1, 15);
    expect(lambertW0(0)).toBe(0);
    expect(lambertW0(-1 / Math.E)).toBe(-1);
    expect(lambertW0(-0.1)).toBeCloseTo(-0.11183255915896297, 15);
    expect(lambertW0(-1)).toBeNaN();
    for (const x of [-0.3678, -0.3, -0.2, -1e-8]) {
      const w = lambertW0(x);
      expect(Math.abs(w * Math.exp(w) - x), `x=${x}`).toBeLessThan(1e-15);
      expect(w).toBeGreaterThanOrEqual(-1);
    }
  });

  it('log-space entry: W(e^s) without forming e^s, s from −1e4 to 1e300', () => {
    for (const s of [-1e4, -745, -700, -30, -1, 0, 1, 5, 50, 709, 710, 1000, 1e5, 1e10, 1e100, 1e300]) {
      const y = logLambertW0Exp(s);
      const ey = Math.exp(y);
      // residual of y + e^y = s, measured as the Newton correction it implies
      expect(Math.abs((y + ey - s) / (1 + ey)), `s=${s}`).toBeLessThan(4e-16 * Math.max(1, Math.abs(y)));
    }
    expect(lambertW0Exp(1)).toBeCloseTo(1, 15);
    expect(lambertW0Exp(Math.log(1e300))).toBeCloseTo(lambertW0(1e300), 11);
  });

  it('Jeffrey f* at extreme t stays finite and agrees with the paper\'s form where that is safe', () => {
    const d = getDivergence('jeffrey');
    for (const t of [-1e6, -1e3, -10, 0, 2, 10, 100]) {
      const w = lambertW0Exp(1 - t);
      const paper = w + 1 / w + t - 2;
      expect(Number.isFinite(d.conj.output(t))).toBe(true);
      if (Math.abs(t) <= 100) expect(rel(d.conj.output(t), paper)).toBeLessThan(1e-12);
    }
  });
});
