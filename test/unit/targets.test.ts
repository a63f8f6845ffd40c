// Targets, KDE and mode coverage (pure TS): densities are normalised and agree with their samplers, sampling is
// seeded, Scott's rule and the KDE behave as stated, and coverage counts modes the way the metric is defined.
import { describe, expect, it } from 'vitest';
import { modeCoverage } from '../../src/math/coverage.ts';
import { getDivergence } from '../../src/math/fdiv.ts';
import { cellArea, densityOnGrid, kdeOnGrid, mixtureOnGrid, scottBandwidth, smoothedPair, type Grid2D } from '../../src/math/kde.ts';
import { fDivergenceGrid } from '../../src/math/quadrature.ts';
import { createRng } from '../../src/math/rng.ts';
import { drawn, getTarget, TARGET_IDS, type Target2D } from '../../src/math/targets.ts';

const POINTS: [number, number][] = [[-1, 0], [0, 1], [1, 0.5]];
const all = (): Target2D[] => TARGET_IDS.map((id) => getTarget(id, { points: POINTS }));

/** mass, mean and second moments of a density by the midpoint rule on its box */
function moments(t: Target2D, n = 160): { mass: number; mx: number; my: number; sxx: number; syy: number } {
  const g: Grid2D = { ...t.bounds, n };
  const p = mixtureOnGrid(t.components, g);
  const dA = cellArea(g);
  let mass = 0, mx = 0, my = 0, sxx = 0, syy = 0;
  for (let iy = 0; iy < n; iy++) {
    const y = g.yMin + ((iy + 0.5) * (g.yMax - g.yMin)) / n;
    for (let ix = 0; ix < n; ix++) {
      const x = g.xMin + ((ix + 0.5) * (g.xMax - g.xMin)) / n;
      const w = p[iy * n + ix] * dA;
      mass += w; mx += w * x; my += w * y; sxx += w * x * x; syy += w * y * y;
    }
  }
  return { mass, mx: mx / mass, my: my / mass, sxx: sxx / mass, syy: syy / mass };
}

function sampleMoments(s: Float32Array): { mx: number; my: number; sxx: number; syy: number } {
  const n = s.length / 2;
  let mx = 0, my = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { mx += s[2 * i]; my += s[2 * i + 1]; sxx += s[2 * i] ** 2; syy += s[2 * i + 1] ** 2; }
  return { mx: mx / n, my: my / n, sxx: sxx / n, syy: syy / n };
}

describe('seeded RNG', () => {
  it('is reproducible, and its normal draws have mean 0 and variance 1', () => {
    const a = createRng(7), b = createRng(7), c = createRng(8);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs);
    const r = createRng(1);
    let m = 0, v = 0;
    const n = 40000;
    for (let i = 0; i < n; i++) { const z = r.normal(); m += z; v += z * z; }
    expect(Math.abs(m / n)).toBeLessThan(0.02);
    expect(Math.abs(v / n - 1)).toBeLessThan(0.03);
  });
});

describe('targets', () => {
  it.each(all().map((t) => [t.id, t] as const))('%s: density has unit mass on its box and matches its sampler', (_, t) => {
    const m = moments(t);
    expect(Math.abs(m.mass - 1)).toBeLessThan(2e-3);
    const s = sampleMoments(t.sample(createRng(3), 40000));
    // Monte-Carlo error of 4·10⁴ samples on unit-scale moments is ≈ 0.01
    expect(Math.abs(s.mx - m.mx)).toBeLessThan(0.04);
    expect(Math.abs(s.my - m.my)).toBeLessThan(0.04);
    expect(Math.abs(s.sxx - m.sxx)).toBeLessThan(0.06);
    expect(Math.abs(s.syy - m.syy)).toBeLessThan(0.06);
  });

  it.each(all().map((t) => [t.id, t] as const))('%s: density() is its component mixture', (_, t) => {
    const g: Grid2D = { ...t.bounds, n: 24 };
    const a = densityOnGrid(t.density, g), b = mixtureOnGrid(t.components, g);
    let w = 0;
    for (const c of t.components) w += c.w;
    expect(w).toBeCloseTo(1, 12);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-12 + 1e-9 * b[i]);
  });

  // mixtureOnGrid takes its grid two rows and two columns at a time and scales its tables by 2^500 to keep tails out
  // of subnormal arithmetic. Checked against each cell's density written out, on odd grids (the last row and column
  // are the remainder) and far in the tails, where the density is below 1e-300 and must stay a positive number
  // (a zero there would make KL(P‖Q) infinite). Checked by mutation: writing the remainder cell from the wrong
  // accumulator, or undoing the scale by 2^−500 instead of 2^−1000, fails here.
  it.each([1, 7, 24])('mixtureOnGrid on a %i × %i grid is the mixture at every cell, tails included', (n) => {
    const comps = [{ w: 0.7, mx: -0.3, my: 0.2, sx: 0.02, sy: 0.03 }, { w: 0.3, mx: 0.4, my: -0.1, sx: 0.05, sy: 0.02 }];
    const g: Grid2D = { xMin: -1, xMax: 1.1, yMin: -0.9, yMax: 1, n };
    const direct = densityOnGrid((x, y) => comps.reduce((s, c) => s + c.w / (2 * Math.PI * c.sx * c.sy)
      * Math.exp(-0.5 * ((x - c.mx) / c.sx) ** 2) * Math.exp(-0.5 * ((y - c.my) / c.sy) ** 2), 0), g);
    const ours = mixtureOnGrid(comps, g);
    let tails = 0;
    for (let i = 0; i < n * n; i++) {
      if (direct[i] < 1e-300 && direct[i] > 1e-320) {
        tails++;
        expect(ours[i]).toBeGreaterThan(0);
      }
      // the direct products lose digits in subnormal arithmetic; relative agreement where they are normal numbers
      if (direct[i] > 1e-300) expect(Math.abs(ours[i] - direct[i])).toBeLessThanOrEqual(1e-12 * direct[i]);
      else expect(Math.abs(ours[i] - direct[i])).toBeLessThan(1e-310);
    }
    if (n === 24) expect(tails).toBeGreaterThan(0);
  });

  it('samples are seeded and written into a given buffer', () => {
    const t = getTarget('spiral');
    const a = t.sample(createRng(5), 100);
    expect(t.sample(createRng(5), 100)).toEqual(a);
    expect(t.sample(createRng(6), 100)).not.toEqual(a);
    const out = new Float32Array(200);
    expect(t.sample(createRng(5), 100, out)).toBe(out);
    expect(out).toEqual(a);
  });

  it('ring and grid list their modes; the drawn target needs points and has no modes', () => {
    expect(getTarget('ring').modes?.centres).toHaveLength(8);
    expect(getTarget('grid').modes?.centres).toHaveLength(25);
    expect(getTarget('moons').modes).toBeUndefined();
    expect(() => drawn([])).toThrow(RangeError);
    const d = drawn([[0, 0]], 0.2);
    expect(d.modes).toBeUndefined();
    expect(d.density(0, 0)).toBeCloseTo(1 / (2 * Math.PI * 0.04), 10);
  });
});

describe('mode coverage', () => {
  it('true samples cover every mode with ≈ 98.9 % within 3σ (P(χ²₂ ≤ 9) = 1 − e^{−4.5})', () => {
    for (const id of ['ring', 'grid'] as const) {
      const t = getTarget(id);
      const c = modeCoverage(t.sample(createRng(11), 20000), t.modes!);
      expect(c.covered).toBe(c.total);
      expect(Math.abs(c.shareWithin3Sigma - (1 - Math.exp(-4.5)))).toBeLessThan(0.005);
    }
  });

  it('a collapsed generator covers one mode; stray and non-finite samples count as misses', () => {
    const t = getTarget('ring');
    const s = new Float32Array(2000);
    for (let i = 0; i < 1000; i++) { s[2 * i] = 2 + 0.01 * (i % 7); s[2 * i + 1] = 0; }
    s[0] = NaN; s[2] = 0; s[3] = 0; // one NaN, one sample at the centre (far from all modes)
    const c = modeCoverage(s, t.modes!);
    expect(c.covered).toBe(1);
    expect(c.shareWithin3Sigma).toBeCloseTo(998 / 1000, 12);
    expect(c.counts[0]).toBe(998);
  });
});

describe('kde', () => {
  it("Scott's rule: h = sd · n^(−1/6) per axis", () => {
    const r = createRng(2);
    const n = 4096;
    const s = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) { s[2 * i] = 2 * r.normal(); s[2 * i + 1] = 0.5 * r.normal(); }
    const [hx, hy] = scottBandwidth(s);
    expect(hx / (2 * n ** (-1 / 6))).toBeCloseTo(1, 1);
    expect(hy / (0.5 * n ** (-1 / 6))).toBeCloseTo(1, 1);
  });

  it('integrates to 1; with a small kernel it approaches a smooth density; the mixture tables are exact', () => {
    const t = getTarget('mixture');
    const g: Grid2D = { ...t.bounds, n: 64 };
    const q = kdeOnGrid(t.sample(createRng(4), 4000), g, [0.1, 0.1]);
    let mass = 0;
    for (const v of q) mass += v;
    expect(Math.abs(mass * cellArea(g) - 1)).toBeLessThan(0.01);
    const p = densityOnGrid(t.density, g);
    const pm = mixtureOnGrid(t.components, g);
    let l1 = 0, maxErr = 0;
    for (let i = 0; i < p.length; i++) { l1 += Math.abs(p[i] - q[i]); maxErr = Math.max(maxErr, Math.abs(p[i] - pm[i])); }
    expect(l1 * cellArea(g)).toBeLessThan(0.15);
    expect(maxErr).toBeLessThan(1e-12);
  });

  it('smoothing P by the KDE kernel: D_f ≈ 0 for P-samples, large for a collapsed sample set', () => {
    const t = getTarget('ring');
    const g: Grid2D = { ...t.bounds, n: 64 };
    const js = getDivergence('js');
    const d = (s: Float32Array): number => { const { p, q } = smoothedPair(t.components, s, g); return fDivergenceGrid(js, p, q, cellArea(g)); };
    const good = d(t.sample(createRng(9), 2000));
    const r = createRng(10);
    const one = new Float32Array(2000).map((_, i) => (i % 2 === 0 ? 2 : 0) + 0.1 * r.normal());
    const bad = d(one);
    expect(good).toBeGreaterThanOrEqual(0);
    expect(good).toBeLessThan(0.02);
    // one mode of 8 covered, modes disjoint: 2·JS = (1/8)·log(2/9) + log(16/9) + (7/8)·log 2 ≈ 0.994
    expect(Math.abs(bad - 0.994)).toBeLessThan(0.03);
  });
});
