// 2-D target distributions for the toy GAN: a seeded sampler, an exact (or quadrature-defined) density for the
// true-divergence estimate, a bounding box for views, and for ring/grid the mode centres and σ for mode coverage.
// Pure TypeScript, no tfjs. Invariants: samples are interleaved [x0, y0, x1, y1, …]; `density` integrates to 1 over
// the plane (the bounding box holds all but a negligible tail); the same seed gives the same samples.

import type { Rng } from './rng.ts';

export interface Bounds { xMin: number; xMax: number; yMin: number; yMax: number }

export interface Modes {
  centres: [number, number][];
  /** isotropic standard deviation of every mode */
  sigma: number;
}

export const TARGET_IDS = ['ring', 'grid', 'moons', 'spiral', 'mixture', 'drawn'] as const;
export type TargetId = (typeof TARGET_IDS)[number];

/** w·N((mx, my), diag(sx², sy²)) */
export interface GaussianComponent { w: number; mx: number; my: number; sx: number; sy: number }

export interface Target2D {
  id: TargetId;
  name: string;
  bounds: Bounds;
  /** n samples, interleaved x,y; written into `out` when given (length ≥ 2n) */
  sample(rng: Rng, n: number, out?: Float32Array): Float32Array;
  density(x: number, y: number): number;
  /** the density as an axis-aligned Gaussian mixture (weights sum to 1): exact for ring, grid, mixture and drawn,
   * the quadrature nodes of the density's definition for moons and spiral. Lets callers smooth P exactly by adding
   * a kernel's variance (kde.ts), and evaluate it on a grid fast. */
  components: GaussianComponent[];
  /** ring and grid (and drawn points) only */
  modes?: Modes;
}

/** Density of a Gaussian mixture at (x, y); terms beyond 40 in the exponent are skipped (e^{−40} is negligible
 * next to the components that carry the mass anywhere inside a target's box). */
export function mixtureDensity(comps: GaussianComponent[], x: number, y: number): number {
  let s = 0;
  for (const c of comps) {
    const e = 0.5 * (((x - c.mx) / c.sx) ** 2 + ((y - c.my) / c.sy) ** 2);
    if (e < 40) s += (c.w * Math.exp(-e)) / (2 * Math.PI * c.sx * c.sy);
  }
  return s;
}

/** Equal-weight mixture of isotropic Gaussians N(c_k, σ²I). */
function isoMixture(id: TargetId, name: string, centres: [number, number][], sigma: number, pad: number): Target2D {
  const k = centres.length;
  const components = centres.map(([mx, my]) => ({ w: 1 / k, mx, my, sx: sigma, sy: sigma }));
  return {
    id, name, modes: { centres, sigma }, bounds: boxAround(centres, pad), components,
    sample(rng, n, out = new Float32Array(2 * n)) {
      for (let i = 0; i < n; i++) {
        const c = centres[Math.min(k - 1, Math.floor(rng.uniform() * k))];
        out[2 * i] = c[0] + sigma * rng.normal();
        out[2 * i + 1] = c[1] + sigma * rng.normal();
      }
      return out;
    },
    density: (x, y) => mixtureDensity(components, x, y),
  };
}

function boxAround(points: [number, number][], pad: number): Bounds {
  let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
  for (const [x, y] of points) {
    xMin = Math.min(xMin, x); xMax = Math.max(xMax, x); yMin = Math.min(yMin, y); yMax = Math.max(yMax, y);
  }
  // square box, so that a square view does not distort the picture
  const cx = (xMin + xMax) / 2, cy = (yMin + yMax) / 2;
  const half = Math.max(xMax - xMin, yMax - yMin) / 2 + pad;
  return { xMin: cx - half, xMax: cx + half, yMin: cy - half, yMax: cy + half };
}

/** Ring of 8 Gaussians, radius 2, σ 0.1 (modes 15σ apart: distinct, yet wide enough to see on a 64-cell grid). */
export function ring(radius = 2, sigma = 0.1): Target2D {
  const centres: [number, number][] = [];
  for (let k = 0; k < 8; k++) centres.push([radius * Math.cos((2 * Math.PI * k) / 8), radius * Math.sin((2 * Math.PI * k) / 8)]);
  return isoMixture('ring', 'ring of 8 Gaussians', centres, sigma, 1);
}

/** 5×5 grid of Gaussians at {−2,−1,0,1,2}², σ 0.08. */
export function grid(spacing = 1, sigma = 0.08): Target2D {
  const centres: [number, number][] = [];
  for (let i = -2; i <= 2; i++) for (let j = -2; j <= 2; j++) centres.push([i * spacing, j * spacing]);
  return isoMixture('grid', '5×5 grid of Gaussians', centres, sigma, 0.8);
}

/** Uniform-in-parameter curves blurred by isotropic noise: p(x) = ∫ N(x; c(t), σ²I) dt / |T|. The density is that
 * integral by the midpoint rule with steps much shorter than σ along the curve (so it is a Gaussian mixture, and
 * well-defined); the sampler draws t uniformly (not by arc length), which is what the integral says. */
function blurredCurves(id: TargetId, name: string, curves: ((t: number) => [number, number])[], sigma: number,
  nodes: number, bounds: Bounds): Target2D {
  const components: GaussianComponent[] = [];
  const w = 1 / (curves.length * nodes);
  for (const c of curves) {
    for (let i = 0; i < nodes; i++) {
      const [mx, my] = c((i + 0.5) / nodes);
      components.push({ w, mx, my, sx: sigma, sy: sigma });
    }
  }
  return {
    id, name, bounds, components,
    sample(rng, n, out = new Float32Array(2 * n)) {
      for (let i = 0; i < n; i++) {
        const c = curves[Math.min(curves.length - 1, Math.floor(rng.uniform() * curves.length))];
        const [cx, cy] = c(rng.uniform());
        out[2 * i] = cx + sigma * rng.normal();
        out[2 * i + 1] = cy + sigma * rng.normal();
      }
      return out;
    },
    density: (x, y) => mixtureDensity(components, x, y),
  };
}

/** Two interleaved half-circles (scikit-learn's make_moons, centred and scaled ×1.5), noise σ 0.1. */
export function moons(sigma = 0.1): Target2D {
  const s = 1.5, ox = 0.5, oy = 0.25;
  const upper = (t: number): [number, number] => [s * (Math.cos(Math.PI * t) - ox), s * (Math.sin(Math.PI * t) - oy)];
  const lower = (t: number): [number, number] => [s * (1 - Math.cos(Math.PI * t) - ox), s * (0.5 - Math.sin(Math.PI * t) - oy)];
  return blurredCurves('moons', 'two moons', [upper, lower], sigma, 300, { xMin: -2.75, xMax: 2.75, yMin: -2.75, yMax: 2.75 });
}

/** Archimedean spiral r ∝ angle over 1.5 turns, noise σ 0.08. */
export function spiral(sigma = 0.08): Target2D {
  const turns = 1.5, rMin = 0.3, rMax = 2.2;
  const arm = (t: number): [number, number] => {
    const a = 2 * Math.PI * turns * t;
    const r = rMin + (rMax - rMin) * t;
    return [r * Math.cos(a), r * Math.sin(a)];
  };
  return blurredCurves('spiral', 'spiral', [arm], sigma, 800, { xMin: -3, xMax: 3, yMin: -3, yMax: 3 });
}

/** Two-component Gaussian mixture with unequal weights and axis-aligned covariances (a 2-D echo of the paper's
 * 1-D experiment P = 0.33·N(−1, 0.255²) + 0.67·N(2, 1.415²)). */
export function mixture(): Target2D {
  const components: GaussianComponent[] = [
    { w: 0.33, mx: -1.2, my: 0.8, sx: 0.25, sy: 0.35 },
    { w: 0.67, mx: 0.9, my: -0.5, sx: 0.7, sy: 0.45 },
  ];
  return {
    id: 'mixture', name: 'two-component Gaussian mixture',
    bounds: { xMin: -3, xMax: 3, yMin: -3, yMax: 3 }, components,
    sample(rng, n, out = new Float32Array(2 * n)) {
      for (let i = 0; i < n; i++) {
        const c = rng.uniform() < components[0].w ? components[0] : components[1];
        out[2 * i] = c.mx + c.sx * rng.normal();
        out[2 * i + 1] = c.my + c.sy * rng.normal();
      }
      return out;
    },
    density: (x, y) => mixtureDensity(components, x, y),
  };
}

/** A target drawn by the reader: equal-weight mixture of N(point, σ²I). Needs at least one point. */
export function drawn(points: [number, number][], sigma = 0.1): Target2D {
  if (points.length === 0) throw new RangeError('a drawn target needs at least one point');
  for (const p of points) if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) throw new RangeError('drawn points must be finite');
  const t = isoMixture('drawn', 'drawn points', points.map((p) => [p[0], p[1]]), sigma, Math.max(0.5, 5 * sigma));
  // drawn points overlap freely, so they are not separate modes: no mode coverage for this target
  delete t.modes;
  return t;
}

export interface TargetOptions {
  /** points for the 'drawn' target */
  points?: [number, number][];
  /** σ for the 'drawn' target */
  sigma?: number;
}

export function getTarget(id: TargetId, opts: TargetOptions = {}): Target2D {
  switch (id) {
    case 'ring': return ring();
    case 'grid': return grid();
    case 'moons': return moons();
    case 'spiral': return spiral();
    case 'mixture': return mixture();
    case 'drawn': return drawn(opts.points ?? [], opts.sigma);
  }
}
