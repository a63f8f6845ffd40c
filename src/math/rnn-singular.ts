// σ₁(J_t), the largest singular value of every step Jacobian of a trace, as √λ_max(J_tJ_tᵀ) by block Davidson
// (TopEigenDavidson in linalg.ts) on matrix-free products (rnn-jacobians.ts).
//
// Why not Lanczos from the previous step's vector: at the widget's defaults (orthogonal U, ρ = 1, forget bias 4,
// small noisy inputs) the top of each step's spectrum is flat, within 1–2 % over several singular values for the
// LSTM and within 0.2 % for the GRU, and which one is on top changes with every input: the top singular vector of
// J_t and that of J_{t−1} overlap by 0.03–0.3 (for T = 200, H = 64). A warm start then holds no information: the
// Golub–Kahan–Lanczos estimate this replaces (2–3 steps from the previous vector) was 2–4 % low on average and up
// to 16 % at some steps, and even 16 steps leave it 0.3–0.7 % low somewhere. What the spectrum does have is
// structure: each unit's own rows (h_j and, with a memory, c_j) carry most of a top singular vector (0.6–0.95 of
// its weight on one unit), so the diagonal blocks of J_tJ_tᵀ per unit (JacobianOps.rowGram, O(H) per step from
// per-unit Grams of the gate rows) are a good preconditioner and their best block a good start; Davidson on that
// gains in one iteration what Lanczos gains in several. When those blocks are all there is
// (JacobianOps.unitsDecouple: a simple RNN with orthogonal or identity U, whose J_t = diag(φ')·ρQ has the singular
// values ρ|φ'_j|, or gated cells with identity U), σ₁ is read off them with no product at all.
// The second start vector is the previous step's top vector: worthless on a flat top, but where the spectrum has a
// clear top that moves slowly it helps. A simple RNN with a Gaussian U has neither block structure nor a flat top;
// there the starts are φ'∘w for U's top two left singular vectors w (see W below).
// The result is a Ritz value: never above σ₁. With the default budget (one iteration, at most four products with
// J_tJ_tᵀ per step, which is what keeps T = 200, H = 64, three cells within the widget's 50 ms) the unit test checks
// it against an exact dense eigen-decomposition: exact for the simple RNNs at the defaults and for identity U; for
// the gated cells at the defaults within 3e-2 at every step and 3e-3 on average; for Gaussian U within 6e-2 and
// 1.2e-2. More iterations converge (maxIterations 8: within 3e-3 everywhere); each costs about 6 ms for the LSTM or
// the GRU at T = 200, H = 64 in Node, as much as the start block.
import { type PairAction, type Preconditioner, type TopEigenOptions, TopEigenDavidson, matMul, topTwoEigenpairs, transpose } from './linalg.ts';
import type { CellTrace } from './rnn-cells.ts';
import type { JacobianOps } from './rnn-jacobians.ts';

/** How hard the per-step σ₁ solves work (TopEigenOptions in linalg.ts: residual tolerance and iterations). */
export type SingularOptions = TopEigenOptions;

export const DEFAULT_SINGULAR: Readonly<Required<SingularOptions>> = Object.freeze({ tol: 1e-5, maxIterations: 1 });

/** σ₁(J_t) for t = 1..T at index t − 1 (NaN where the products overflow), and the products with J_tJ_tᵀ spent. */
export function stepSingularValues(trace: CellTrace, ops: JacobianOps, opts: SingularOptions = {}): { sigma: Float64Array; products: number } {
  const { T, stateDim: S } = trace, H = trace.params.hidden, two = ops.rowsPerUnit === 2;
  const solver = new TopEigenDavidson(S, { ...DEFAULT_SINGULAR, ...opts });
  const gram = new Float64Array(two ? 3 * H : H), top = new Float64Array(H);
  const tmp0 = new Float64Array(S), tmp1 = new Float64Array(S), local = new Float64Array(S), other = new Float64Array(S);
  let t = 1;
  const apply: PairAction = (x0, x1, y0, y1) => {
    if (x1 && y1) { ops.vjpPair(t, x0, x1, tmp0, tmp1); ops.jvpPair(t, tmp0, tmp1, y0, y1); }
    else { ops.vjp(t, x0, tmp0); ops.jvp(t, tmp0, y0); }
  };
  // (θI − B_j)⁻¹ on each unit's block; a near-singular block (θ at one of its eigenvalues) is kept invertible at a
  // scale of 1e-4 θ, which points the correction at that unit without overflowing it.
  const precondition: Preconditioner = (theta, r, out) => {
    const eps = 1e-4 * Math.abs(theta) + 1e-300;
    for (let j = 0; j < H; j++) {
      if (!two) {
        const d = theta - gram[j];
        out[j] = r[j] / (Math.abs(d) < eps ? (d < 0 ? -eps : eps) : d);
        continue;
      }
      const a = theta - gram[3 * j], b = -gram[3 * j + 1], c = theta - gram[3 * j + 2];
      let det = a * c - b * b;
      if (Math.abs(det) < eps * Math.abs(theta)) det = det < 0 ? -eps * Math.abs(theta) : eps * Math.abs(theta);
      const rh = r[j], rc = r[H + j];
      out[j] = (c * rh - b * rc) / det;
      out[H + j] = (a * rc - b * rh) / det;
    }
  };
  /** out = unit j's top eigenvector of its block, embedded (unit norm). */
  const unitVector = (j: number, out: Float64Array) => {
    out.fill(0);
    if (!two) { out[j] = 1; return; }
    const a = gram[3 * j], b = gram[3 * j + 1], c = gram[3 * j + 2];
    let x = 1, y = 0;
    if (b !== 0) {
      const lambda = top[j];
      // (b, λ − a) and (λ − c, b) both solve the 2×2 system; the longer one is the better conditioned.
      const [p, q] = Math.abs(lambda - a) > Math.abs(lambda - c) ? [b, lambda - a] : [lambda - c, b];
      const n = Math.sqrt(p * p + q * q);
      x = p / n; y = q / n;
    } else if (c > a) { x = 0; y = 1; }
    out[j] = x;
    out[H + j] = y;
  };
  const sigma = new Float64Array(T);
  let products = 0;
  // A simple RNN whose U does not decouple the units (Gaussian U) has J_tJ_tᵀ = D_t UUᵀ D_t, D_t = diag(φ'): its rows
  // share no block structure for rowGram to find, but its top eigenvectors stay close to D_t w for U's top left
  // singular vectors w, whatever the step. Those two, once per trace, replace the unit and warm starts.
  let W: Float64Array | null = null;
  if (trace.params.kind === 'rnn' && !ops.unitsDecouple && H >= 2) {
    const U = trace.params.h.U;
    W = new Float64Array(2 * H);
    topTwoEigenpairs(matMul(U, transpose(U, H, H), H, H, H), H, new Float64Array(2), W);
  }
  for (t = 1; t <= T; t++) {
    ops.rowGram(t, gram);
    let best = 0, next = -1;
    for (let j = 0; j < H; j++) {
      if (two) {
        const a = gram[3 * j], b = gram[3 * j + 1], c = gram[3 * j + 2], h = 0.5 * (a - c);
        top[j] = 0.5 * (a + c) + Math.sqrt(h * h + b * b); // Math.hypot is several times slower in V8
      } else top[j] = gram[j];
      if (top[j] > top[best]) best = j;
    }
    if (ops.unitsDecouple) {
      // no products needed: σ₁² is the best unit's own top eigenvalue (NaN if any block overflowed)
      let nan = false;
      for (let j = 0; j < H; j++) nan ||= Number.isNaN(top[j]);
      sigma[t - 1] = nan ? NaN : Math.sqrt(Math.max(0, top[best]));
      continue;
    }
    for (let j = 0; j < H; j++) if (j !== best && (next < 0 || top[j] > top[next])) next = j;
    unitVector(best, local);
    // the previous step's top vector, or at t = 1 the second-best unit
    if (t === 1) { if (next >= 0) unitVector(next, other); else other.fill(0); }
    else other.set(solver.vector);
    if (W) {
      const dphi = trace.cache.dphi;
      for (let j = 0; j < H; j++) { local[j] = dphi[t * H + j] * W[j]; other[j] = dphi[t * H + j] * W[H + j]; }
    }
    const r = solver.solve(apply, local, other, precondition);
    sigma[t - 1] = Math.sqrt(Math.max(0, r.value)); // NaN stays NaN
    products += r.products;
  }
  return { sigma, products };
}
