// The exact side of <fgan-fit>, off the main thread: direct minimisation of D_f(P‖N(μ, σ²)) by quadrature, the
// contour map of D_f over (μ, σ) and the path of gradient descent on D_f from the generator's start
// (src/math/gaussian-fit.ts, float64, no tfjs), then the exact fits of the table's other rows. A map for the chosen divergence costs ~0.3 s and each further row ~0.2 s, so the rows are computed
// one at a time with a turn of the event loop between them: a newer request (a slider still moving) abandons them.
import { getDivergence } from '../../src/math/fdiv.ts';
import { descentPath, divergenceSurface, fitGaussian, fitWindow, makeMixture, type FitResult, type FitWindow, type GaussianFit, type MixtureComponent } from '../../src/math/gaussian-fit.ts';
import type { DivergenceId } from '../../src/math/types.ts';

export interface ExactRequest {
  id: number;
  divergence: DivergenceId;
  alpha: number;
  pi: number;
  components: MixtureComponent[];
  start: { mu: number; sigma: number };
  /** the contour map's grid is n × n */
  n: number;
  /** further rows whose exact fit the table shows (the chosen divergence excluded) */
  rows: DivergenceId[];
}

export interface ExactMap {
  window: FitWindow;
  fit: FitResult;
  /** D_f on n × n points: μ = mus[i] (inner), σ = sigmas[j] (outer, evenly spaced in log σ) */
  n: number;
  mus: number[];
  sigmas: number[];
  values: Float64Array;
  min: number;
  max: number;
  /** gradient descent on D_f itself from the start: interleaved (μ, σ) */
  descent: Float64Array;
}

export type ExactReply =
  | { id: number; kind: 'map'; map: ExactMap; ms: number }
  | { id: number; kind: 'row'; divergence: DivergenceId; fit: GaussianFit }
  | { id: number; kind: 'error'; error: string };

/** Quadrature orders: the panels are laid out around every feature of the integrand (see gaussian-fit.ts), so 8
 * points per panel already agree with the default 16 to ~1e-14 on the paper's mixture, and 6 to ~1e-11: plenty for
 * a fit shown to three decimals and a map drawn in colour. */
const FIT_ORDER = 8;
const MAP_ORDER = 6;

let latest = 0;

const post = (reply: ExactReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(reply, transfer);

self.onmessage = async (e: MessageEvent<ExactRequest>) => {
  const r = e.data;
  latest = r.id;
  try {
    const began = performance.now();
    const mixture = makeMixture(r.components);
    const params = { alpha: r.alpha, pi: r.pi };
    const d = getDivergence(r.divergence, params);
    const window = fitWindow(mixture, r.start);
    const fit = fitGaussian(d, mixture, { order: FIT_ORDER });
    const s = divergenceSurface(d, mixture, window.mu, window.sigma, r.n, { order: MAP_ORDER, sigmaScale: 'log' });
    const descent = descentPath(d, mixture, r.start, { order: FIT_ORDER });
    const map: ExactMap = { window, fit, n: r.n, mus: s.mus, sigmas: s.sigmas, values: s.values, min: s.min, max: s.max, descent };
    post({ id: r.id, kind: 'map', map, ms: performance.now() - began }, [s.values.buffer, descent.buffer]);
    for (const id of r.rows) {
      await new Promise((done) => setTimeout(done, 0));
      if (latest !== r.id) return;
      post({ id: r.id, kind: 'row', divergence: id, fit: fitGaussian(getDivergence(id, params), mixture, { order: FIT_ORDER }).best });
    }
  } catch (err) {
    post({ id: r.id, kind: 'error', error: err instanceof Error ? err.message : String(err) });
  }
};
